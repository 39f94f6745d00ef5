#!/bin/sh
# One entry point for every Lookbook container; the first argument names its role.
# Configuration comes only from the environment (docs/configuration.md).
set -eu

case "${1:-web}" in
    web)
        exec gunicorn config.wsgi \
            --bind 0.0.0.0:8000 \
            --workers "${WEB_CONCURRENCY:-2}" \
            --timeout "${WEB_TIMEOUT:-60}" \
            --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-*}" \
            --access-logfile - \
            --error-logfile -
        ;;
    migrate)
        python manage.py migrate --no-input
        exec python manage.py rebuild_stale_looks
        ;;
    worker-gpu)
        # One process per GPU; solo pool, so CUDA is never initialised before a fork.
        exec celery -A config worker -Q gpu -c 1 --pool solo \
            -n "gpu@%h" -l "${LOG_LEVEL:-INFO}"
        ;;
    worker-default)
        exec celery -A config worker -Q default -c "${WORKER_CONCURRENCY:-2}" \
            -n "default@%h" -l "${LOG_LEVEL:-INFO}"
        ;;
    beat)
        exec celery -A config beat -l "${LOG_LEVEL:-INFO}" \
            --schedule "${LOOKBOOK_VAR_DIR:-/app/var}/celerybeat-schedule"
        ;;
    *)
        exec "$@"
        ;;
esac
