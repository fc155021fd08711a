"""The data layer: one interface, a backend chosen by configuration."""

from pathlib import Path

from .base import Chat, Media, Room, Store, StoreUnavailable, is_id

__all__ = ["Chat", "Media", "Room", "Store", "StoreUnavailable", "get_store", "init_store", "is_id"]


def init_store(app) -> Store:
    """Build the store the configuration names and keep it on the app."""
    if app.config.get("MONGO_URI"):
        from .mongo import MongoStore

        store = MongoStore.from_uri(
            app.config["MONGO_URI"],
            client_class=app.config.get("MONGO_CLIENT_CLASS"),
            database=app.config.get("MONGO_DATABASE"),  # else the URI's, else gifchat
        )
    else:
        from .sqlite import SQLiteStore

        database = app.config.get("SQLITE_PATH") or Path(app.instance_path, "gifchat.sqlite3")
        timeout = float(app.config["SQLITE_BUSY_TIMEOUT"])
        store = SQLiteStore(database, app.config["UPLOAD_FOLDER"], busy_timeout=timeout)
    store.ping()  # fail at start, not on the first visitor
    app.extensions["store"] = store
    return store


def get_store() -> Store:
    from flask import current_app

    return current_app.extensions["store"]
