"""Benchmark the local upload path: ``python -m app.photos.bench [--megabytes 20]``.

Starts the app as production runs it (gunicorn, one worker) on a throw-away SQLite database and
media folder, opens a case through the API, PUTs a large photo to the signed URL and reports the
worker's resident-memory growth (the body must stream to disk, not sit in memory), the upload
throughput and how long complete() takes to check and re-encode it.
"""

import argparse
import io
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "bench-password-long-enough"
MEMORY_GOAL_MB = 30
MB = 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20, help="size of the photo sent")
    photo = noisy_jpeg(parser.parse_args().megabytes)
    with tempfile.TemporaryDirectory(prefix="firstfix-bench-") as workdir:
        env = bench_environment(Path(workdir), free_port())
        prepare_database(env)
        with running_server(env) as (base_url, worker_pid):
            report(measure(base_url, worker_pid, photo), len(photo))


def noisy_jpeg(megabytes: float) -> bytes:
    """A JPEG of about that size: random pixels at quality 100 cost about 2 bytes a pixel."""
    pixels = int(megabytes * MB / 1.98)
    width = int((pixels * 4 / 3) ** 0.5)
    height = width * 3 // 4
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=100)
    return buffer.getvalue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_environment(workdir: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "FIRSTFIX_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "FIRSTFIX_MEDIA_ROOT": str(workdir / "media"),
        "FIRSTFIX_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "FIRSTFIX_SECRET_KEY": secrets.token_urlsafe(32),
        "FIRSTFIX_STORAGE": "local",
        "BENCH_PORT": str(port),
    }


def prepare_database(env: dict[str, str]) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=REPO, check=True)
    subprocess.run(
        [*flask, "users", "create", "bench@example.com", "--role", "agent", "--password", PASSWORD],
        env=env,
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def running_server(env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """gunicorn with one sync worker; yields its URL and the worker's process id."""
    base_url = f"http://127.0.0.1:{env['BENCH_PORT']}"
    command = [sys.executable, "-m", "gunicorn", "--workers", "1", "--timeout", "120"]
    server = subprocess.Popen(
        [*command, "--bind", base_url.removeprefix("http://"), "wsgi:app"], env=env, cwd=REPO
    )
    try:
        wait_until_live(base_url)
        yield base_url, only_child(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_live(base_url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}/livez", timeout=1).ok:
                return
        except requests.RequestException:  # not listening yet, or still importing
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {base_url} within {seconds} s")


def only_child(pid: int) -> int:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak) of a process, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            fields[name] = int(value.split()[0])
    return fields


def reset_peak(pid: int) -> None:
    """Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def open_case(api: requests.Session, base_url: str) -> str:
    token = api.post(
        f"{base_url}/api/v1/auth/token",
        json={"email": "bench@example.com", "password": PASSWORD},
    ).json()["access_token"]
    api.headers["Authorization"] = f"Bearer {token}"
    site = {"address": "1 Bench St", "latitude": 39.7, "longitude": -105.0}
    customer = api.post(
        f"{base_url}/api/v1/customers",
        json={"name": "Bench", "sites": [{**site, "timezone": "America/Denver"}]},
    ).json()
    case = api.post(
        f"{base_url}/api/v1/cases",
        json={
            "customer_id": customer["id"],
            "site_id": customer["sites"][0]["id"],
            "title": "Benchmark",
            "channel": "phone",
        },
    ).json()
    return case["number"]


def measure(base_url: str, worker_pid: int, photo: bytes) -> dict[str, Any]:
    api = requests.Session()
    number = open_case(api, base_url)
    created = api.post(
        f"{base_url}/api/v1/cases/{number}/photos",
        json={"filename": "big.jpg", "content_type": "image/jpeg", "size_bytes": len(photo)},
    ).json()
    upload = created["upload"]
    before = memory_kb(worker_pid)
    reset_peak(worker_pid)
    started = time.perf_counter()
    sent = requests.put(upload["url"], data=photo, headers=upload["headers"], timeout=120)
    upload_seconds = time.perf_counter() - started
    sent.raise_for_status()
    after_upload = memory_kb(worker_pid)
    started = time.perf_counter()
    done = api.post(f"{base_url}/api/v1/photos/{created['id']}/complete").json()
    return {
        "before": before,
        "after_upload": after_upload,
        "after_complete": memory_kb(worker_pid),
        "upload_seconds": upload_seconds,
        "complete_seconds": time.perf_counter() - started,
        "photo": done,
    }


def report(figures: dict[str, Any], size: int) -> None:
    before, upload = figures["before"], figures["after_upload"]
    growth_mb = (upload["VmHWM"] - before["VmRSS"]) / 1024
    photo = figures["photo"]
    lines = [
        f"photo sent            {size / MB:.1f} MB",
        f"worker RSS before     {before['VmRSS'] / 1024:.1f} MB",
        f"peak RSS growth (PUT) {growth_mb:.1f} MB (goal < {MEMORY_GOAL_MB} MB)",
        f"RSS after PUT         {upload['VmRSS'] / 1024:.1f} MB",
        f"upload throughput     {size / MB / figures['upload_seconds']:.1f} MB/s "
        f"({figures['upload_seconds']:.2f} s)",
        f"complete()            {figures['complete_seconds']:.2f} s -> {photo['status']} "
        f"{photo.get('width')}x{photo.get('height')}",
        f"peak RSS (complete)   {figures['after_complete']['VmHWM'] / 1024:.1f} MB",
    ]
    print("\n".join(lines))
    if growth_mb >= MEMORY_GOAL_MB:
        sys.exit(f"FAIL: the upload grew the worker by {growth_mb:.1f} MB")


if __name__ == "__main__":
    main()
