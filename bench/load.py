"""Concurrent GET requests against a loopback server: latency percentiles and throughput."""

import http.client
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LoadResult:
    endpoint: str
    path: str
    clients: int
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    requests_per_second: float

    def as_dict(self) -> dict:
        return asdict(self)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def _get(host: str, port: int, path: str, headers: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return time.perf_counter() - started, status


def measure(
    base_url: str,
    endpoint: str,
    path: str,
    *,
    clients: int,
    requests: int,
    headers: dict[str, str],
) -> LoadResult:
    """Send `requests` GETs from `clients` concurrent threads, each a fresh connection."""
    parts = urlsplit(base_url)
    headers = {"Accept": "application/json", **headers}
    _get(parts.hostname, parts.port, path, headers)  # warm this worker's code path
    with ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.perf_counter()
        outcomes = list(
            pool.map(lambda _: _get(parts.hostname, parts.port, path, headers), range(requests))
        )
        elapsed = time.perf_counter() - started
    latencies = [seconds * 1000 for seconds, _ in outcomes]
    return LoadResult(
        endpoint=endpoint,
        path=path,
        clients=clients,
        requests=requests,
        errors=sum(1 for _, status in outcomes if status != 200),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        requests_per_second=round(requests / elapsed, 1),
    )
