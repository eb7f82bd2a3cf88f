"""Celery entry point: `celery -A app.celery_worker worker` with FIRSTFIX_BROKER_URL set."""

from app import create_app
from app.jobs import celery_for

flask_app = create_app()
celery = celery_for(flask_app)
