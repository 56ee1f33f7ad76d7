"""gunicorn's settings in the production image (Dockerfile, docker-compose.yml).

gunicorn runs behind nginx (config/nginx/nginx.conf), which buffers whole requests and
answers before handing them over, so a slow client never holds a worker. Threaded workers
(gthread) keep serving while a request waits on PostgreSQL; `timeout` kills a worker stuck
longer than that (long work is a background job, importers.web.jobs). Each value can be set
from the environment: GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT.
"""

import os

bind = "0.0.0.0:8000"
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
#: Seconds; nginx's proxy_read_timeout is a little longer, so gunicorn's answer comes first.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
#: nginx keeps connections to gunicorn open (upstream keepalive): longer than nginx's idle.
keepalive = 75
accesslog = "-"
