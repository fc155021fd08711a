"""Server-side sessions: SQLite under instance/ by default, MongoDB beside a MongoDB store.

Sessions hold identities (color, handle, private key) and admissions, and so ownership:
they live where the data is durable, never only in a Redis that may restart empty, even
when REDIS_URL is set. SESSION_TYPE chooses another store explicitly ("redis" included).
"""

import logging
import sqlite3
import time
from pathlib import Path

from cachelib import FileSystemCache
from flask import current_app
from flask.sessions import NullSession
from flask_babel import gettext as _

from .. import config as defaults
from ..extensions import server_session, socketio
from ..offload import run_blocking
from ..patches import session_reading, session_saving
from .identity import has_identity
from .sqlite_sessions import SessionNotSaved, SQLiteSessionInterface

log = logging.getLogger(__name__)

SESSIONS_COLLECTION = "sessions"


def _is_pymongo_client(client) -> bool:
    from pymongo import MongoClient

    # Handed anything else, Flask-Session quietly connects to localhost instead.
    return isinstance(client, MongoClient)


def session_config(app) -> dict:
    """The Flask-Session settings to add to this app's configuration."""
    config = app.config
    store = app.extensions.get("store")
    store_client = getattr(store, "client", None)
    kind = config.get("SESSION_TYPE")
    if kind is None:
        # Not Redis, even with REDIS_URL: a Redis restarted empty would log everyone out.
        kind = "sqlite"
        if config.get("MONGO_URI"):
            if _is_pymongo_client(store_client):
                kind = "mongodb"
            else:  # a stand-in such as mongomock, in tests
                log.info("Sessions kept in SQLite: the store's client is not pymongo's")
    chosen = {"SESSION_TYPE": kind}
    if kind == "sqlite" and config.get("SESSION_SQLITE_PATH") is None:
        chosen["SESSION_SQLITE_PATH"] = str(Path(app.instance_path, "sessions.sqlite3"))
    elif kind == "cachelib" and config.get("SESSION_CACHELIB") is None:
        folder = Path(app.instance_path, "sessions")
        chosen["SESSION_CACHELIB"] = FileSystemCache(
            str(folder),
            threshold=config.get("SESSION_FILE_LIMIT", defaults.SESSION_FILE_LIMIT),
            mode=0o600,
        )
    elif kind == "redis" and config.get("SESSION_REDIS") is None:
        from ..presence.redis_client import connect

        # Bytes, not strings: Flask-Session stores its own encoding.
        chosen["SESSION_REDIS"] = connect(config["REDIS_URL"], decode_responses=False)
    elif kind == "mongodb":
        client = config.get("SESSION_MONGODB") or store_client
        if not _is_pymongo_client(client):
            raise RuntimeError(
                "SESSION_TYPE 'mongodb' needs a pymongo MongoClient (MONGO_URI, or"
                f" SESSION_MONGODB), not {type(client).__name__}"
            )
        chosen["SESSION_MONGODB"] = client
        if config.get("SESSION_MONGODB_DB") is None and client is store_client:
            chosen["SESSION_MONGODB_DB"] = store.db.name
        if config.get("SESSION_MONGODB_COLLECT") is None:
            chosen["SESSION_MONGODB_COLLECT"] = SESSIONS_COLLECTION
    return chosen


def create_session_indexes(collection) -> None:
    """Index the session collection the way Flask-Session reads and expires it."""
    # Flask-Session upserts by "id" with no index on it: unique keeps one document a session.
    collection.create_index("id", unique=True, name="sessions_by_id")
    # The TTL index Flask-Session makes too; repeated here, same key and options, as a no-op.
    collection.create_index("expiration", expireAfterSeconds=0)


def init_sessions(app) -> None:
    """Pick the session store for this configuration and bind Flask-Session."""
    app.config.update(session_config(app))
    if app.config["SESSION_TYPE"] == "sqlite":
        path = app.config["SESSION_SQLITE_PATH"]
        # Sessions kept in files before SQLite live on: each moves over on its next visit.
        files = Path(app.instance_path, "sessions")
        legacy = FileSystemCache(str(files), threshold=0, mode=0o600) if files.is_dir() else None
        app.session_interface = SQLiteSessionInterface.from_config(app, path, legacy)
    else:
        server_session.init_app(app)
    # A session only for a visitor, a 503 when it cannot be stored, Secure over HTTPS.
    session_saving.install(answer_unavailable, has_identity, SessionNotSaved)
    if app.config["SESSION_TYPE"] == "redis":
        session_reading.install(app.session_interface, UnreadableSession)
    if app.config["SESSION_TYPE"] == "mongodb":
        create_session_indexes(app.session_interface.store)


class UnreadableSession(NullSession):
    """The session of a request whose session store could not be read: any use is busy."""

    def __init__(self, error: Exception):
        super().__init__()
        self.error = error

    def _unavailable(self, *_args, **_kwargs):
        from ..store import StoreUnavailable

        raise StoreUnavailable(f"sessions: {self.error}")

    __getitem__ = __setitem__ = __delitem__ = __contains__ = __iter__ = _unavailable
    get = setdefault = pop = update = clear = keys = items = values = _unavailable


def answer_unavailable(response) -> None:
    """Turn the response about to go out into a 503 (save_session cannot replace it)."""
    from ..web.errors import error_response

    failed = current_app.make_response(
        error_response(_("The service is busy. Please try again in a moment."), 503)
    )
    response.status_code = 503
    response.headers = failed.headers
    response.set_data(failed.get_data())


def start_sweeping(app) -> None:
    """Remove expired sessions every SESSION_SWEEP_SECONDS (0 stops), off the event loop."""
    if not hasattr(app.session_interface, "delete_expired"):
        return  # MongoDB expires its own (a TTL index); cachelib files prune on write

    def sweep_forever():
        while interval := app.config["SESSION_SWEEP_SECONDS"]:
            socketio.sleep(interval)
            try:
                sweep(app)
            except Exception:  # the next pass may succeed; a dead loop never would
                app.logger.exception("Sweeping expired sessions failed")

    socketio.start_background_task(sweep_forever)


def sweep(app) -> int:
    """Remove the sessions that have expired; how many went (0 when the store failed)."""
    with app.app_context():
        try:
            removed = run_blocking(app.session_interface.delete_expired, time.time())
        except sqlite3.Error as error:
            app.logger.error("Expired sessions were not removed: %s", error)
            return 0
    if removed:
        app.logger.info("Removed %d expired sessions", removed)
    return removed
