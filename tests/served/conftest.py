"""The product as users run it: a real server (`flask run` as `make run` does, or gunicorn as
the README says for production), its relay thread and job worker processes on, a fresh SQLite
file (and a fresh PostgreSQL database when TEST_DATABASE_URL is set), spoken to over HTTP."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DISPATCHER = ("dispatcher@firstfix.example", "dispatch-demo-1")
AGENT = ("agent@firstfix.example", "agent-demo-1")


@dataclass
class Served:
    """A running server: its address, its log, and the settings it was started with."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str]

    @property
    def api(self) -> str:
        return f"{self.url}/api/v1"

    def token(self, email: str, password: str) -> dict[str, str]:
        response = requests.post(
            f"{self.api}/auth/token", json={"email": email, "password": password}, timeout=30
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def server_errors(self) -> list[str]:
        """Tracebacks the server logged: every one is a bug, whatever the client saw."""
        return [line for line in self.log.read_text().splitlines() if "Traceback" in line]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh database, migrated and loaded with the demo, as `make run` leaves it."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'firstfix.db'}"
        _prepare(url, tmp_path_factory)
        yield url
        return
    admin = os.environ.get("TEST_DATABASE_URL")
    if not admin:
        pytest.skip("PostgreSQL run skipped: set TEST_DATABASE_URL to run it")
    name = f"firstfix_served_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _admin(admin, f'CREATE DATABASE "{name}"')
    url = admin.rsplit("/", 1)[0] + f"/{name}"
    _prepare(url, tmp_path_factory)
    yield url
    _admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[str]:
    """A real SMTP server on loopback that accepts every message, for the relay to send to."""
    controller = Controller(Sink(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield f"smtp://127.0.0.1:{controller.port}"
    controller.stop()


@pytest.fixture
def serve(
    served_database: str, smtp_server: str, tmp_path: Path
) -> Iterator[Callable[..., Served]]:
    """Start `flask run` (kind="flask") or `gunicorn -w N` (kind="gunicorn") on the database."""
    started: list[Served] = []

    def start(kind: str = "flask", workers: int = 4, **settings: str) -> Served:
        port = _free_port()
        env = _env(served_database, tmp_path, smtp_url=smtp_server, **settings)
        if kind == "flask":
            command = [str(BIN / "flask"), "--app", "wsgi", "run", "--port", str(port)]
        else:
            command = [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}"]
            command += ["--graceful-timeout", "5", "wsgi:app"]
        log = tmp_path / f"{kind}-{port}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        served = Served(f"http://127.0.0.1:{port}", process, log, env)
        started.append(served)
        _wait_until_live(served)
        return served

    yield start
    for served in started:
        _stop(served.process)


def _env(database_url: str, tmp_path: Path, *, smtp_url: str, **settings: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("FIRSTFIX_")}
    env.update(
        {
            "FIRSTFIX_DATABASE_URL": database_url,
            "FIRSTFIX_SECRET_KEY": "served-tests-secret-key-of-at-least-32-bytes",
            "FIRSTFIX_MEDIA_ROOT": str(tmp_path / "media"),
            "FIRSTFIX_SMS_SINK_PATH": str(tmp_path / "sms.jsonl"),
            "FIRSTFIX_SMTP_URL": smtp_url,
            "FIRSTFIX_LOGIN_RATE_LIMIT": "1000 per minute",
            "FIRSTFIX_RELAY_INTERVAL_SECONDS": "1",
            "FIRSTFIX_PASSWORD_HASH_PROFILE": "CHEAPEST",
            **{f"FIRSTFIX_{key}": value for key, value in settings.items()},
        }
    )
    return env


def _prepare(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    env = _env(database_url, tmp_path_factory.mktemp("prepare"), smtp_url="smtp://127.0.0.1:1")
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *command],
            cwd=REPO, env=env, check=True, capture_output=True, timeout=600,
        )  # fmt: skip


def _admin(url: str, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_live(served: Served, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert served.process.poll() is None, served.log.read_text()
        try:
            if requests.get(f"{served.url}/livez", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still booting
            pass
        time.sleep(0.2)
    raise AssertionError(f"server did not start:\n{served.log.read_text()}")


def _stop(process: subprocess.Popen[Any]) -> None:
    """The whole process group: the server, its workers and their job processes."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError):  # job processes a killed parent left
        os.killpg(process.pid, signal.SIGKILL)
