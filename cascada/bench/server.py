"""The app served by gunicorn on 127.0.0.1 for the load runs, as production serves it (several
sync workers, persistent database connections), against a scratch database."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

READY_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def gunicorn_command(*, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--chdir",
        str(settings.BASE_DIR),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "60",
        "--log-level",
        "warning",
    ]


def _answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextmanager
def served(*, env: Mapping[str, str], workers: int, log: Path, probe: str = "/") -> Iterator[str]:
    """gunicorn serving the app with ``env`` (``DATABASE_URL`` …); yields its base URL and
    stops it (SIGTERM, then SIGKILL) when done."""
    port = free_port()
    with log.open("ab") as log_file:
        process = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
            gunicorn_command(port=port, workers=workers),
            env={**os.environ, **env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        limit = time.monotonic() + READY_TIMEOUT_S
        while not _answers(port, probe):
            if process.poll() is not None or time.monotonic() > limit:
                raise RuntimeError(
                    f"gunicorn no respondió en 127.0.0.1:{port}{probe}; registro: {log}"
                )
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
