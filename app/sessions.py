"""Server-side sessions: files under instance/ by default, MongoDB beside a MongoDB store."""

import logging
from pathlib import Path

from cachelib import FileSystemCache
from flask import has_request_context, request

from . import config as defaults
from .extensions import server_session

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
        kind = "cachelib"
        if config.get("MONGO_URI"):
            if _is_pymongo_client(store_client):
                kind = "mongodb"
            else:  # a stand-in such as mongomock, in tests
                log.info("Sessions kept in files: the store's client is not pymongo's")
        elif config.get("REDIS_URL"):  # several hosts share no instance folder, but Redis
            kind = "redis"
    chosen = {"SESSION_TYPE": kind}
    if kind == "cachelib" and config.get("SESSION_CACHELIB") is None:
        folder = Path(app.instance_path, "sessions")
        chosen["SESSION_CACHELIB"] = FileSystemCache(
            str(folder),
            threshold=config.get("SESSION_FILE_LIMIT", defaults.SESSION_FILE_LIMIT),
            mode=0o600,
        )
    elif kind == "redis" and config.get("SESSION_REDIS") is None:
        import redis

        # Bytes, not strings: Flask-Session stores its own encoding.
        chosen["SESSION_REDIS"] = redis.Redis.from_url(
            config["REDIS_URL"], socket_timeout=5, socket_connect_timeout=2
        )
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
    server_session.init_app(app)
    _secure_over_https(app.session_interface)
    if app.config["SESSION_TYPE"] == "mongodb":
        create_session_indexes(app.session_interface.store)


def _secure_over_https(interface) -> None:
    """Mark the cookie Secure on any request that came over HTTPS, not only when configured."""
    configured = interface.get_cookie_secure

    def get_cookie_secure(app) -> bool:
        return configured(app) or (has_request_context() and request.is_secure)

    interface.get_cookie_secure = get_cookie_secure
