"""Entry point for gunicorn (`gunicorn wsgi:app`) and the flask CLI (`flask --app wsgi`)."""

import gc

from app import create_app

app = create_app()

# What the app built at start-up (mappers, schemas, compiled routes: some 200k objects) lives
# as long as the worker: the collector need not walk it again. Unfrozen, the first full
# collection of every worker paused it for 100 ms in the middle of its first requests.
gc.freeze()
