"""`python -m bench`: the platform benchmark; a Markdown table and var/bench/platform.json.
`python -m bench personalization`: simulated users and their adapters (bench/personalization.py).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from bench import e2e, load, services

ENDPOINTS = (
    ("looks list", "/api/v1/looks/"),
    ("results list", "/api/v1/results/"),
    ("job status", "/api/v1/jobs/{job_id}/"),
)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", services.DEFAULT_DATABASE_URL),
        help="PostgreSQL database to drop and recreate (its name must end in _bench)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", services.DEFAULT_REDIS_URL),
        help="Redis database for broker and cache (flushed)",
    )
    parser.add_argument("--clients", default="1,10,50", help="concurrency levels")
    parser.add_argument("--requests", type=int, default=200, help="requests per level")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--e2e-runs", type=int, default=4, help="uploads; the first is cold")
    return parser.parse_args(argv)


def prepare(env: dict[str, str], arguments: argparse.Namespace) -> dict:
    services.recreate_database(arguments.database_url)
    services.flush_redis(arguments.redis_url)
    services.manage(env, "migrate", "--no-input")
    services.manage(env, "seed_demo")
    seeded = subprocess.run(
        [sys.executable, "-m", "bench.seed"],
        cwd=services.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if seeded.returncode != 0:
        raise services.BenchError(f"seeding failed:\n{seeded.stderr[-3000:]}")
    return json.loads(seeded.stdout.strip().splitlines()[-1])


def in_process_baseline(env: dict[str, str], seeded: dict) -> dict[str, float]:
    paths = [path.format(job_id=seeded["job_id"]) for _, path in ENDPOINTS]
    completed = subprocess.run(
        [sys.executable, "-m", "bench.inprocess", seeded["token"], *paths],
        cwd=services.ROOT,
        env={**env, "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise services.BenchError(f"in-process baseline failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_load(base_url: str, seeded: dict, arguments: argparse.Namespace) -> list[dict]:
    headers = {"Authorization": f"Token {seeded['token']}"}
    results = []
    for endpoint, path in ENDPOINTS:
        for clients in (int(level) for level in arguments.clients.split(",")):
            result = load.measure(
                base_url,
                endpoint,
                path.format(job_id=seeded["job_id"]),
                clients=clients,
                requests=max(arguments.requests, clients),
                headers=headers,
            )
            print(f"  {endpoint:<13} {clients:>3} clients  p50 {result.p50_ms} ms", flush=True)
            results.append(result.as_dict())
    return results


def run_end_to_end(base_url: str, seeded: dict, runs: int) -> dict:
    timings = []
    for variant in range(runs):
        timing = e2e.upload_to_result(base_url, seeded["token"], seeded["look_slug"], variant)
        print(f"  upload to result #{variant + 1}: {timing.total_seconds} s", flush=True)
        timings.append(timing.as_dict())
    warm = timings[1:] or timings
    return {
        "runs": timings,
        "cold_total_seconds": timings[0]["total_seconds"],
        "warm_median_total_seconds": round(statistics.median(t["total_seconds"] for t in warm), 3),
        "warm_median_upload_seconds": round(
            statistics.median(t["upload_seconds"] for t in warm), 3
        ),
        "warm_median_queued_to_done_seconds": round(
            statistics.median(t["queued_to_done_seconds"] for t in warm), 3
        ),
    }


def markdown(report: dict) -> str:
    lines = [
        "| endpoint | clients | requests | errors | p50 ms | p95 ms | requests/s | in-process ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in report["load"]:
        baseline = report["in_process_median_ms"][row["path"]]
        lines.append(
            f"| {row['endpoint']} | {row['clients']} | {row['requests']} | {row['errors']} "
            f"| {row['p50_ms']} | {row['p95_ms']} | {row['requests_per_second']} | {baseline} |"
        )
    end_to_end = report["end_to_end"]
    lines += [
        "",
        "| upload to result (1 MP photo, CPU worker) | seconds |",
        "|---|---:|",
        f"| first run (cold worker) | {end_to_end['cold_total_seconds']} |",
        f"| median of warm runs, total | {end_to_end['warm_median_total_seconds']} |",
        f"| of which upload | {end_to_end['warm_median_upload_seconds']} |",
        f"| of which job create to succeeded | "
        f"{end_to_end['warm_median_queued_to_done_seconds']} |",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["personalization"]:
        from bench import personalization

        return personalization.main(argv[1:])
    arguments = parse_arguments(argv)
    services.OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    env = services.environment(arguments.database_url, arguments.redis_url)
    started = time.monotonic()
    load_before = round(os.getloadavg()[0], 2)
    try:
        print("Preparing the benchmark database...", flush=True)
        seeded = prepare(env, arguments)
        print("In-process baseline (no HTTP)...", flush=True)
        baseline = in_process_baseline(env, seeded)
        logs = services.OUTPUT_DIR
        with services.gunicorn(env, arguments.web_workers, logs / "gunicorn.log") as base_url:
            print(f"API load against gunicorn ({arguments.web_workers} workers):", flush=True)
            load_results = run_load(base_url, seeded, arguments)
            with services.celery_worker(env, logs / "worker.log"):
                print("Upload to result on a CPU worker:", flush=True)
                end_to_end = run_end_to_end(base_url, seeded, arguments.e2e_runs)
    except services.BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            # Other work on the machine skews every figure; this says how busy it was.
            "load_average_1m_before_and_after": [load_before, round(os.getloadavg()[0], 2)],
        },
        "setup": {
            "web_workers": arguments.web_workers,
            "looks": seeded["looks"],
            "results": seeded["results"],
            "database": "postgresql",
            "broker": "redis",
        },
        "in_process_median_ms": baseline,
        "load": load_results,
        "end_to_end": end_to_end,
        "seconds": round(time.monotonic() - started, 1),
    }
    (services.OUTPUT_DIR / "platform.json").write_text(json.dumps(report, indent=2))
    print()
    print(markdown(report))
    load_average = report["machine"]["load_average_1m_before_and_after"]
    print(f"\nLoad average (1 min) before and after: {load_average}")
    print(f"\nWritten to {services.OUTPUT_DIR / 'platform.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
