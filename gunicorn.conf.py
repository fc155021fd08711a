"""Production settings for `gunicorn -c gunicorn.conf.py wsgi:app`."""

import os

# One eventlet worker per process: Socket.IO needs sticky sessions across processes,
# so scale out with more processes behind a sticky balancer and a message queue.
worker_class = "eventlet"
workers = 1
# Each worker holds one green thread per open connection; the default of 1000 is far
# too few for a chat server where every visitor keeps a socket open.
worker_connections = int(os.environ.get("GIFCHAT_MAX_CONNECTIONS", "10000"))
bind = os.environ.get("GIFCHAT_BIND", "127.0.0.1:8005")
timeout = 60
# With the eventlet worker this also bounds the wait for each request's headers; each wait
# for its body's data is bounded by BODY_TIMEOUT, in app.guards.
keepalive = 2
graceful_timeout = 15
# gunicorn 25's control socket is one path per user: two servers would fight over it.
control_socket_disable = True
accesslog = "-"
# Query strings could carry tokens: log the path only.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
