"""Production settings for `gunicorn -c gunicorn.conf.py wsgi:app`."""

import os
import resource


def _open_files_limit() -> int:
    """Raise the soft open-file limit to the hard one, as Node does at start; return it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return 1 << 20
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # a kernel cap below the hard limit: keep what we have
            pass
    return soft


# One eventlet worker per process: Socket.IO needs sticky sessions across processes,
# so scale out with more processes behind a sticky balancer and a message queue.
worker_class = "eventlet"
workers = 1
# Each worker holds one green thread per open connection; the default of 1000 is far
# too few for a chat server where every visitor keeps a socket open. Each is also a file
# descriptor: the worker inherits the raised limit, less some for its database, files and logs.
_files = _open_files_limit()
worker_connections = min(
    int(os.environ.get("GIFCHAT_MAX_CONNECTIONS", "10000")), max(_files - 100, _files // 2)
)
bind = os.environ.get("GIFCHAT_BIND", "127.0.0.1:8005")
timeout = 60
graceful_timeout = 15
# gunicorn 25's control socket is one path per user: two servers would fight over it.
control_socket_disable = True
accesslog = "-"
# Query strings could carry tokens: log the path only.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
