"""Settings that would make the relay send twice, or open an SSRF hole, stop the app starting."""

import pytest

from app import create_app


def test_a_lease_that_a_slow_delivery_could_outlast_is_refused():
    settings = {"DELIVERY_TIMEOUT_SECONDS": 30, "RELAY_LEASE_SECONDS": 45}

    with pytest.raises(RuntimeError, match="RELAY_LEASE_SECONDS"):
        create_app(settings)


def test_private_webhook_targets_are_refused_in_production():
    settings = {"ENV": "production", "SECRET_KEY": "x" * 40, "WEBHOOK_ALLOW_PRIVATE": True}

    with pytest.raises(RuntimeError, match="WEBHOOK_ALLOW_PRIVATE"):
        create_app(settings)
