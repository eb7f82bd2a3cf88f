"""Settings that would make the relay send twice, or open an SSRF hole, stop the app starting."""

import pytest

from app import create_app


def test_a_lease_shorter_than_a_batch_of_timeouts_is_refused():
    settings = {"RELAY_BATCH_SIZE": 50, "DELIVERY_TIMEOUT_SECONDS": 10, "RELAY_LEASE_SECONDS": 120}

    with pytest.raises(RuntimeError, match="RELAY_LEASE_SECONDS"):
        create_app(settings)


def test_private_webhook_targets_are_refused_in_production():
    settings = {"ENV": "production", "SECRET_KEY": "x" * 40, "WEBHOOK_ALLOW_PRIVATE": True}

    with pytest.raises(RuntimeError, match="WEBHOOK_ALLOW_PRIVATE"):
        create_app(settings)
