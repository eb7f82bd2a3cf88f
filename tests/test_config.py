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


@pytest.mark.parametrize("spelling", ["Production", "PRODUCTION", " production "])
def test_production_is_recognised_whatever_its_case(monkeypatch, spelling):
    monkeypatch.setenv("FIRSTFIX_ENV", spelling)
    monkeypatch.delenv("FIRSTFIX_SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="development default"):
        create_app()


@pytest.mark.parametrize("unknown", ["prod", "staging", ""])
def test_an_unknown_environment_is_refused_rather_than_taken_for_development(monkeypatch, unknown):
    monkeypatch.setenv("FIRSTFIX_ENV", unknown)

    with pytest.raises(RuntimeError, match="FIRSTFIX_ENV"):
        create_app()


@pytest.mark.parametrize("secret", ["x", "s" * 31, "é" * 15])
def test_production_refuses_a_secret_shorter_than_32_bytes(monkeypatch, secret):
    monkeypatch.setenv("FIRSTFIX_ENV", "Production")
    monkeypatch.setenv("FIRSTFIX_SECRET_KEY", secret)

    with pytest.raises(RuntimeError, match="at least 32"):
        create_app()


def test_a_32_byte_secret_is_enough_and_the_environment_reads_lower_case(monkeypatch):
    monkeypatch.setenv("FIRSTFIX_ENV", "PRODUCTION")
    monkeypatch.setenv("FIRSTFIX_SECRET_KEY", "é" * 16)

    assert create_app().config["ENV"] == "production"
