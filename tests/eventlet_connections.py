"""Run by tests/test_collector.py in a process of its own (importing eventlet makes every later
fork warn): eventlet's WSGI server with this app's changes serves and ends connections, and
what the collector then finds of them is printed as JSON."""

import gc
import json
import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")  # as wsgi.py

import eventlet  # noqa: E402
import eventlet.wsgi  # noqa: E402

from app.patches import eventlet_accept, eventlet_wsgi  # noqa: E402
from app.protection.connections import ConnectionCounter  # noqa: E402


def hello(environ, start_response):
    start_response("200 OK", [("Content-Length", "2")])
    return [b"ok"]


def main(count: int) -> None:
    eventlet_wsgi.install()
    eventlet_accept.install(ConnectionCounter(per_address=count), header_seconds=5, backlog=128)
    listener = eventlet.listen(("127.0.0.1", 0))
    eventlet.spawn(eventlet.wsgi.server, listener, hello, log_output=False)
    port = listener.getsockname()[1]
    eventlet.sleep(0)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept, to be named
    for _ in range(count):
        client = eventlet.connect(("127.0.0.1", port))
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        while client.recv(4096):
            pass
        client.close()
    # The server's side ends each connection too, and the accept loop looks at its queue
    # several times with nobody in it.
    eventlet.sleep(eventlet_accept.ACCEPT_CHECK * 6)
    gc.collect()
    protocols = sum(isinstance(each, eventlet.wsgi.HttpProtocol) for each in gc.garbage)
    print(json.dumps({"unreachable": len(gc.garbage), "protocols": protocols}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
