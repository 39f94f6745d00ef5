"""Server-side cost of one request without HTTP: Django's test client in one process.

`python -m bench.inprocess TOKEN PATH...` prints {path: median milliseconds} as JSON. It is the
baseline the gunicorn figures compare against: the difference is HTTP, process hand-off and
queueing behind other requests.
"""

import json
import statistics
import sys
import time

REPEATS = 30


def median_milliseconds(token: str, paths: list[str]) -> dict[str, float]:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json")
    medians = {}
    for path in paths:
        client.get(path)
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        medians[path] = round(statistics.median(timings), 1)
    return medians


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(median_milliseconds(sys.argv[1], sys.argv[2:])))
