"""A small closed-loop HTTP load client: ``clients`` threads, each with its own connection,
asking for random pages from a list until a deadline, optionally waiting between requests like
a person reading. Enough for a few hundred requests per second on loopback; the threads spend
their time waiting on sockets, so the GIL is not what limits them.

Every response that is not a 200 with a body, and every connection failure or timeout, is an
error (the first few are kept as samples to say what went wrong).
"""

from __future__ import annotations

import http.client
import math
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_ERROR_SAMPLES = 5
TIMEOUT_S = 30.0


@dataclass(frozen=True)
class LoadFigures:
    clients: int
    duration_s: float
    requests: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    throughput_rps: float  # successful responses per second
    error_samples: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "clients": self.clients,
            "duration_s": round(self.duration_s, 2),
            "requests": self.requests,
            "errors": self.errors,
            "p50_ms": _round(self.p50_ms),
            "p95_ms": _round(self.p95_ms),
            "max_ms": _round(self.max_ms),
            "throughput_rps": round(self.throughput_rps, 1),
            "error_samples": list(self.error_samples),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile of already sorted values (``None`` for no values)."""
    if not sorted_values:
        return None
    rank = max(1, min(len(sorted_values), math.ceil(fraction * len(sorted_values))))
    return sorted_values[rank - 1]


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors += 1
            if len(self.samples) < MAX_ERROR_SAMPLES:
                self.samples.append(what)


def run_load(
    *,
    base_url: str,
    paths: Sequence[str],
    clients: int,
    duration_s: float,
    think_s: tuple[float, float] | None,
    seed: int = 0,
) -> LoadFigures:
    """Run ``clients`` users for ``duration_s`` seconds against ``base_url`` + a random path.

    ``think_s`` = (low, high): each user waits a uniform time in that range after every
    response (and once before the first request, so that they do not all start together);
    ``None``: no waiting (a throughput run). A request still in flight at the deadline is
    awaited and counted.
    """
    if not paths:
        raise ValueError("run_load needs at least one path")
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    tally = _Tally()
    started = time.perf_counter()
    deadline = started + duration_s

    def user(number: int) -> None:
        rng = random.Random(seed * 1000 + number)  # noqa: S311 — a page mix, not a secret
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
        local: list[float] = []
        if think_s is not None:
            time.sleep(min(rng.uniform(0, think_s[1]), duration_s))
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            begin = time.perf_counter()
            try:
                # A new connection is opened when the server closed the last one (gunicorn's
                # sync workers close after each response).
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - begin) * 1000
                if response.status != 200 or not body:
                    tally.error(f"{response.status} {path}")
                else:
                    local.append(elapsed)
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                tally.error(f"{type(error).__name__}: {error} {path}")
            if think_s is not None:
                pause = rng.uniform(*think_s)
                time.sleep(max(0.0, min(pause, deadline - time.perf_counter())))
        connection.close()
        with tally.lock:
            tally.latencies_ms.extend(local)

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(tally.latencies_ms)
    done = len(latencies) + tally.errors
    return LoadFigures(
        clients=clients,
        duration_s=elapsed,
        requests=done,
        errors=tally.errors,
        p50_ms=percentile(latencies, 0.50),
        p95_ms=percentile(latencies, 0.95),
        max_ms=latencies[-1] if latencies else None,
        throughput_rps=len(latencies) / elapsed if elapsed > 0 else 0.0,  # successful only
        error_samples=tuple(tally.samples),
    )


def fetch_each(
    *, base_url: str, paths: Sequence[str], timings_ms: list[float] | None = None
) -> list[str]:
    """GET every path once, one after the other; the ones that fail, with their status. The
    time of each successful answer (request to last byte) is appended to ``timings_ms``."""
    parts = urlsplit(base_url)
    failures = []
    for path in paths:
        connection = http.client.HTTPConnection(
            parts.hostname or "127.0.0.1", parts.port or 80, timeout=TIMEOUT_S
        )
        try:
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            if response.status != 200 or not response.read():
                failures.append(f"{response.status} {path}")
            elif timings_ms is not None:
                timings_ms.append((time.perf_counter() - started) * 1000)
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{type(error).__name__}: {error} {path}")
        finally:
            connection.close()
    return failures
