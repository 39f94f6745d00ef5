"""The platform benchmark's own arithmetic and report (the run itself is `make bench`)."""

import pytest

from bench import load, services
from bench.__main__ import markdown


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert load.percentile(values, 0.5) == 50.0
    assert load.percentile(values, 0.95) == 95.0
    assert load.percentile([7.0], 0.95) == 7.0


def test_the_report_is_a_markdown_table_with_every_row():
    row = {
        "endpoint": "job status",
        "path": "/api/v1/jobs/1/",
        "clients": 10,
        "requests": 200,
        "errors": 0,
        "p50_ms": 12.5,
        "p95_ms": 30.1,
        "requests_per_second": 80.2,
    }
    report = {
        "in_process_median_ms": {"/api/v1/jobs/1/": 9.0},
        "load": [row],
        "end_to_end": {
            "cold_total_seconds": 5.0,
            "warm_median_total_seconds": 1.0,
            "warm_median_upload_seconds": 0.2,
            "warm_median_queued_to_done_seconds": 0.8,
        },
    }

    table = markdown(report)

    assert "| job status | 10 | 200 | 0 | 12.5 | 30.1 | 80.2 | 9.0 |" in table
    assert "| first run (cold worker) | 5.0 |" in table


def test_only_a_bench_database_is_ever_dropped():
    with pytest.raises(services.BenchError, match="must end in _bench"):
        services.recreate_database("postgres://postgres@127.0.0.1:5432/lookbook")
