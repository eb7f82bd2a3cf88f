"""Benchmark GET /me/visits against a bare Flask endpoint, both under the same gunicorn.

    .venv/bin/python -m app.me.bench.run --admin-url postgresql+psycopg://postgres@127.0.0.1/postgres

Creates and fills the `firstfix_bench` database (skip with --no-load), counts the queries of
one request (a cache miss, then the same day again, a hit), then drives each server with wrk on
loopback and prints the results. The day is measured twice under one server: a first run
against an empty cache (days are built as they are asked for), then, once every technician's
day has been asked for, a warm one. The workers share the day cache in the local Redis
(--cache-url; empty for each worker's own LRU, where the warm run still builds days).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
from sqlalchemy import select

from app import create_app, migrations
from app.auth.models import User
from app.auth.service import token_for
from app.db import counting_statements
from app.extensions import db
from app.me.bench.load import DAY, TECHNICIANS, create_database, load

PATH = f"/api/v1/me/visits?date={DAY.isoformat()}"
THREADS = 2
# Each wrk thread walks the technicians from its own starting point: phones do not ask for the
# same day in lockstep (walking in step, both threads would build every day twice at once).
LUA = """
tokens = {%s}
threads = 0
setup = function(thread)
  thread:set("offset", threads * math.floor(#tokens / %d))
  threads = threads + 1
end
n = 0
request = function()
  n = n + 1
  local headers = {["Authorization"] = "Bearer " .. tokens[((n + offset) %% #tokens) + 1]}
  return wrk.format("GET", "%s", headers)
end
"""


def main() -> None:
    args = _arguments()
    url = create_database(args.admin_url, args.database) if args.load else _url(args)
    settings = {"DATABASE_URL": url, "SECRET_KEY": "bench-secret-" + "x" * 32}
    if args.cache_url:
        settings["CACHE_URL"] = args.cache_url
        _forget_days(args.cache_url)
    app = create_app(settings)
    with app.app_context():
        migrations.upgrade()  # a database loaded by an earlier version gets the new schema
        if args.load:
            started = time.monotonic()
            load(url)
            print(f"loaded in {time.monotonic() - started:.0f} s", flush=True)
        tokens = _tokens()
        queries = _queries_per_request(app, tokens[0])
    env = {**os.environ, **{f"FIRSTFIX_{key}": value for key, value in settings.items()}}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (", ".join(f'"{t}"' for t in tokens), THREADS, PATH))
    me = ["-s", script.name, "http://127.0.0.1:8765"]
    cold, warm = _drive("wsgi:app", args, env, me, prime=lambda: _prime(tokens))
    (bare,) = _drive("app.me.bench.bare:app", args, env, ["http://127.0.0.1:8765/bare"])
    results = {"me (cold)": cold, "me (warm)": warm, "bare": bare}
    _report(results, queries, args)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--database", default="firstfix_bench")
    parser.add_argument("--no-load", dest="load", action="store_false")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", default="30s")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/3",
        help="the Redis the workers share for the day cache; empty for each worker's own LRU",
    )
    return parser.parse_args()


def _url(args: argparse.Namespace) -> str:
    return args.admin_url.rsplit("/", 1)[0] + f"/{args.database}"


def _tokens() -> list[str]:
    users = db.session.scalars(select(User).where(User.role == "technician").limit(TECHNICIANS))
    return [str(token_for(user)["access_token"]) for user in users]


def _queries_per_request(app: Any, token: str) -> tuple[int, int]:
    """Statements sent by a miss and then a hit (this thread only: not the outbox relay's)."""
    counts = []
    for _pass in ("miss", "hit"):
        with counting_statements() as seen:
            response = app.test_client().get(PATH, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and len(response.json) == 8, response.get_data()[:300]
        counts.append(len(seen))
    return counts[0], counts[1]


def _drive(
    target: str,
    args: argparse.Namespace,
    env: dict[str, str],
    wrk: list[str],
    prime: Callable[[], None] | None = None,
) -> list[dict]:
    """A measured run against a fresh server; with `prime`, a second one once it has run."""
    with _gunicorn(target, args.workers, env):
        outs = [_wrk(args, wrk)]
        if prime:
            prime()
            outs.append(_wrk(args, wrk))
    for out in outs:
        print(out, flush=True)
    return [_parse(out) for out in outs]


def _wrk(args: argparse.Namespace, wrk: list[str]) -> str:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{args.connections}",
        f"-d{args.duration}",
        "--latency",
        *wrk,
    ]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _prime(tokens: list[str]) -> None:
    """Every technician's day once, so the warm run measures days that are all in the cache."""
    for token in tokens:
        request = urllib.request.Request(
            "http://127.0.0.1:8765" + PATH, headers={"Authorization": f"Bearer {token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


def _forget_days(cache_url: str) -> None:
    """Days cached by an earlier run would make the cold run warm."""
    server = redis.Redis.from_url(cache_url)
    for key in server.scan_iter("me-day:*"):
        server.delete(key)


def _parse(out: str) -> dict:
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": _latency(out, "50%"),
        "p99": _latency(out, "99%"),
        "non_2xx": int(m.group(1)) if (m := re.search(r"Non-2xx.*?(\d+)", out)) else 0,
    }


@contextmanager
def _gunicorn(target: str, workers: int, env: dict[str, str]) -> Iterator[None]:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-w",
            str(workers),
            "-b",
            "127.0.0.1:8765",
            "--log-level",
            "warning",
            target,
        ],
        env=env,
    )
    try:
        _wait_until_serving()
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_serving(seconds: float = 60) -> None:
    """A loaded machine boots workers slowly; probe an address no cache answers (a 404)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen("http://127.0.0.1:8765/ready", timeout=2)
        except urllib.error.HTTPError:
            time.sleep(2)  # one worker answers; give its siblings the same time to boot
            return
        except OSError:
            time.sleep(0.5)
            continue
        return
    raise RuntimeError("gunicorn did not answer within a minute")


def _latency(out: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _report(results: dict[str, dict], queries: tuple[int, int], args: argparse.Namespace) -> None:
    bare = results["bare"]["rps"]
    print(
        f"gunicorn -w {args.workers} (sync), wrk -t{THREADS} -c{args.connections} -d{args.duration}"
    )
    for name, result in results.items():
        print(
            f"{name:10} {result['rps']:9.1f} req/s  ratio {result['rps'] / bare:.2f}  "
            f"p50 {result['p50']:.2f} ms  p99 {result['p99']:.2f} ms  "
            f"non-2xx {result['non_2xx']}"
        )
    print(
        f"ratio goal >= 0.5, p99 goal <= 50 ms; queries per request: "
        f"miss {queries[0]}, hit {queries[1]} (goal <= 6)"
    )


if __name__ == "__main__":
    main()
