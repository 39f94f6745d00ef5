"""The platform benchmark (`python -m bench`, run by `make bench`).

It serves the app with gunicorn on loopback against PostgreSQL and Redis, measures API latency
and throughput at several concurrency levels, and the seconds from uploading a photo to its
stylized result on a CPU worker. See docs/benchmarks.md.
"""
