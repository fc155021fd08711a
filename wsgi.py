"""The entry point for gunicorn, `flask run` and `python wsgi.py`."""

import warnings

# Eventlet is chosen knowingly (see setup.cfg's pins); its notice would hide real start-up errors.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # before any other import, so every socket and lock is green

import os  # noqa: E402
import sys  # noqa: E402

from eventlet import tpool  # noqa: E402

from app import create_app, start_background_tasks  # noqa: E402
from app.extensions import socketio  # noqa: E402
from app.store import StoreUnavailable  # noqa: E402

try:
    app = create_app()
except StoreUnavailable as error:
    # One clear line, no traceback: the usual cause is a database that is not up yet.
    print(f"gifchat: cannot reach the database: {error}", file=sys.stderr)
    sys.exit(1)
app.extensions["offload"] = tpool.execute  # GIF decoding, password hashing: OS threads
start_background_tasks(app)

if __name__ == "__main__":
    # eventlet's pool caps concurrent connections; a chat server holds one per visitor.
    socketio.run(
        app,
        host=os.environ.get("GIFCHAT_HOST", "127.0.0.1"),
        port=int(os.environ.get("GIFCHAT_PORT", "8005")),
        max_size=int(os.environ.get("GIFCHAT_MAX_CONNECTIONS", "10000")),
    )
