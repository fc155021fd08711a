"""The store backends tests run against: SQLite, mongomock, and a real MongoDB on request.

The app-level tests run on SQLite alone (conftest's `backend`); the store contract suite and
the MongoDB tests override `backend` with `@pytest.fixture(params=BACKENDS)`. Tests that need
a real MongoDB carry the `mongodb` marker and are skipped, for NO_MONGO, unless one is given.
"""

import os
from contextlib import contextmanager

import mongomock
import pytest

from app.store.base import new_id
from app.store.mongo import MongoStore
from app.store.sqlite import SQLiteStore

MONGO_URI_ENV = "GIFCHAT_TEST_MONGO_URI"
NO_MONGO = f"no real MongoDB: set {MONGO_URI_ENV} to a mongodb:// URI to test one"
# Every backend, for a parametrized `backend` or `store` fixture.
BACKENDS = ["sqlite", "mongomock", pytest.param("mongodb", marks=pytest.mark.mongodb)]


def mongomock_config(database: str = "gifchat_test") -> dict:
    """create_app settings for the whole app on mongomock; sessions stay in cachelib files."""
    return {
        "MONGO_URI": f"mongodb://localhost/{database}",
        "MONGO_CLIENT_CLASS": mongomock.MongoClient,
    }


def real_mongo_uri() -> str:
    """The URI of a MongoDB to test against, or the `mongodb` tier's skip."""
    uri = os.environ.get(MONGO_URI_ENV)
    if not uri:
        pytest.skip(NO_MONGO)
    return uri


def app_config(backend: str, tmp_path) -> dict:
    """create_app settings that put the app's data on `backend`, in tmp_path or its own database."""
    if backend == "sqlite":
        return {"SQLITE_PATH": str(tmp_path / "gifchat.sqlite3")}
    if backend == "mongomock":
        return mongomock_config()
    if backend == "mongodb":
        # A database of its own for each test, so a shared server's data is never touched.
        return {"MONGO_URI": real_mongo_uri(), "MONGO_DATABASE": f"gifchat_test_{new_id()}"}
    raise ValueError(f"unknown store backend {backend!r}")


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
        store = MongoStore.from_uri(real_mongo_uri(), database=f"gifchat_test_{new_id()}")
    else:
        raise ValueError(f"unknown store backend {backend!r}")
    try:
        yield store
    finally:
        drop(store, backend)


def drop(store, backend: str) -> None:
    """Close a store; a real MongoDB's test database goes first, while the client is open."""
    if backend == "mongodb":
        store.client.drop_database(store.db.name)
    store.close()
