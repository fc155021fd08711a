"""The store backends tests run against: SQLite, mongomock, and a real MongoDB on request."""

import os
from contextlib import contextmanager

import mongomock
import pytest

from app.store.base import new_id
from app.store.mongo import MongoStore
from app.store.sqlite import SQLiteStore

BACKENDS = ("sqlite", "mongomock", "mongodb")
MONGO_URI_ENV = "GIFCHAT_TEST_MONGO_URI"


def mongomock_config(database: str = "gifchat_test") -> dict:
    """create_app settings for the whole app on mongomock; sessions stay in cachelib files."""
    return {
        "MONGO_URI": f"mongodb://localhost/{database}",
        "MONGO_CLIENT_CLASS": mongomock.MongoClient,
    }


def real_mongo_uri() -> str:
    """The URI of a MongoDB to test against, or a skip saying how to give one."""
    uri = os.environ.get(MONGO_URI_ENV)
    if not uri:
        pytest.skip(f"no real MongoDB: set {MONGO_URI_ENV} to a mongodb:// URI to test one")
    return uri


@contextmanager
def open_store(backend: str, tmp_path):
    """A fresh, empty store of the given backend, closed (and dropped) afterwards."""
    if backend == "sqlite":
        store = SQLiteStore(tmp_path / "gifchat.sqlite3", tmp_path / "uploads")
    elif backend == "mongomock":
        store = MongoStore.from_uri(
            mongomock_config()["MONGO_URI"], client_class=mongomock.MongoClient
        )
    elif backend == "mongodb":
        # A database of its own, so a shared server's data is never touched.
        store = MongoStore.from_uri(real_mongo_uri(), database=f"gifchat_test_{new_id()}")
    else:
        raise ValueError(f"unknown store backend {backend!r}")
    try:
        yield store
    finally:
        if backend == "mongodb":
            store.client.drop_database(store.db.name)
        store.close()
