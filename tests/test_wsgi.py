"""The entry point gunicorn imports in each worker."""

import gc
import runpy
from pathlib import Path

WSGI = Path(__file__).parents[1] / "wsgi.py"


def test_the_served_app_leaves_its_start_up_objects_to_no_collection():
    gc.unfreeze()
    try:
        served = runpy.run_path(str(WSGI))

        assert served["app"].name == "app"
        assert gc.get_freeze_count() > 100_000  # the app's mappers, schemas and routes
    finally:
        gc.unfreeze()
