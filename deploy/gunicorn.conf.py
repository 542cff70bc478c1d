"""gunicorn for Labitory's web tier: stateless workers behind nginx.

Every value can be overridden from the environment file (deploy/env.example). Run it from
the project root (the systemd unit's WorkingDirectory), which gunicorn puts on the path.
"""

import multiprocessing
import os

wsgi_app = "labitory.wsgi:application"
proc_name = "labitory"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core plus one; each worker also runs a few threads, so a slow request (a large
# export) does not hold a whole process.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
# The worker heartbeat file in memory: a busy disk cannot make gunicorn kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only nginx may say which scheme and client a request came from (X-Forwarded-*).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx writes the access log; set GUNICORN_ACCESS_LOG=- to have gunicorn write one too.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Load the application (URLconf included, see site/wsgi.py) once in the master: workers,
# and those restarted after max_requests, start ready instead of importing it on their
# first request.
preload_app = True


def child_exit(server, worker):
    """A worker gone: its live gauges leave /metrics (its counts stay in the sums)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
