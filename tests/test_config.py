"""Settings come from defaults, then FIRSTFIX_* variables, then the mapping given."""

import pytest

from app import create_app


def test_settings_are_read_from_firstfix_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("FIRSTFIX_PUBLIC_URL", "https://fix.example.com")
    monkeypatch.setenv("FIRSTFIX_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")

    app = create_app()

    assert app.config["PUBLIC_URL"] == "https://fix.example.com"
    assert app.config["DATABASE_URL"].endswith("env.db")


def test_the_default_database_is_a_sqlite_file_under_instance(monkeypatch):
    monkeypatch.delenv("FIRSTFIX_DATABASE_URL", raising=False)

    app = create_app()

    assert app.config["DATABASE_URL"] == f"sqlite:///{app.instance_path}/firstfix.db"


def test_production_refuses_to_start_with_the_default_secret(monkeypatch):
    monkeypatch.setenv("FIRSTFIX_ENV", "production")
    monkeypatch.delenv("FIRSTFIX_SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="FIRSTFIX_SECRET_KEY"):
        create_app()


def test_production_starts_with_a_real_secret(monkeypatch):
    monkeypatch.setenv("FIRSTFIX_ENV", "production")
    monkeypatch.setenv("FIRSTFIX_SECRET_KEY", "a-real-secret-that-is-long-enough-for-hs256")

    assert create_app().config["ENV"] == "production"
