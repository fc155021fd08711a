"""What only the MongoDB backend has: URIs, outages, indexes and the session store."""

import logging
import random

import mongomock
import pytest
from bson import ObjectId
from flask import Flask
from pymongo import MongoClient
from pymongo.errors import ConfigurationError, OperationFailure, ServerSelectionTimeoutError

from app import close
from app.store.base import StoreUnavailable, new_id, utcnow
from app.store.mongo import MongoStore
from app.store.mongo_uri import mask_uri
from app.visitor.sessions import create_session_indexes, init_sessions, session_config

from .store_backends import mongomock_config, real_mongo_uri

# Nothing listens on port 1: connections are refused at once, selection gives up after 50 ms.
DOWN = "mongodb://alice:s3cret@localhost:1/gifchat?serverSelectionTimeoutMS=50"


@pytest.mark.parametrize(
    "uri, masked",
    [
        ("mongodb://alice:s3cret@db1:27017,db2/gifchat?replicaSet=rs0",
         "mongodb://alice:***@db1:27017,db2/gifchat?replicaSet=rs0"),
        ("mongodb+srv://alice:p%40ss@cluster0.example.net/gifchat",
         "mongodb+srv://alice:***@cluster0.example.net/gifchat"),
        ("mongodb://alice:pa@ss:wo/rd@db1/", "mongodb://alice:***@db1/"),
        ("mongodb://alice:@db1/", "mongodb://alice:***@db1/"),
        ("mongodb://db1/?tls=true&tlsCertificateKeyFilePassword=hunter2",
         "mongodb://db1/?tls=true&tlsCertificateKeyFilePassword=***"),
        ("mongodb://db1:27017/gifchat", "mongodb://db1:27017/gifchat"),
        ("mongodb://alice@db1/?authMechanism=MONGODB-X509",
         "mongodb://alice@db1/?authMechanism=MONGODB-X509"),
        ("not a uri", "not a uri"),
    ],
)  # fmt: skip
def test_mask_uri(uri, masked):
    assert mask_uri(uri) == masked


class DownClient:
    """A client, its databases and collections in one: every call fails as with no server."""

    def __getattr__(self, name):
        return self

    def __getitem__(self, name):
        return self

    def __call__(self, *args, **kwargs):
        raise ServerSelectionTimeoutError("No servers found yet")


def test_an_unreachable_server_at_start_is_unavailable(caplog):
    caplog.set_level(logging.INFO, logger="app.store.mongo")
    with pytest.raises(StoreUnavailable) as caught:
        MongoStore.from_uri(DOWN)
    assert "alice:***@localhost:1" in str(caught.value)
    assert isinstance(caught.value.__cause__, ServerSelectionTimeoutError)
    assert "s3cret" not in str(caught.value) + str(caught.value.__cause__) + caplog.text
    assert "alice:***@localhost:1" in caplog.text


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.ping(),
        lambda s: s.create_indexes(),
        lambda s: s.create_room("Cats", 10, "#bf4082", None),
        lambda s: s.get_room(new_id()),
        lambda s: s.list_rooms(),
        lambda s: s.set_owner(new_id(), "#000000"),
        lambda s: s.ban(new_id(), "#000000"),
        lambda s: s.delete_room(new_id()),
        lambda s: s.add_chat(new_id(), "#bf4082", chat="hello"),
        lambda s: s.chats(new_id(), limit=10),
        lambda s: s.chats(new_id(), limit=10, after=new_id()),
        lambda s: s.chats(new_id(), limit=10, after_seq=3),
        lambda s: s.edit_chat(new_id(), "changed"),
        lambda s: s.search_chats(new_id(), "popcorn", limit=10),
        lambda s: s.search_chats(new_id(), "po", limit=10, before_seq=9),
        lambda s: s.save_media(new_id(), b"GIF89a"),
        lambda s: s.open_media(f"{new_id()}.gif"),
    ],
)
def test_every_call_to_an_unreachable_server_is_unavailable(call):
    with pytest.raises(StoreUnavailable, match="unreachable"):
        call(MongoStore(DownClient(), "gifchat", mask_uri(DOWN)))


def test_a_real_client_without_a_server_is_unavailable():
    store = MongoStore(MongoClient(DOWN, connect=False), "gifchat", mask_uri(DOWN))
    with pytest.raises(StoreUnavailable, match=r"alice:\*\*\*@localhost:1"):
        store.get_room(new_id())
    store.close()


@pytest.fixture
def mock_store():
    store = MongoStore.from_uri("mongodb://localhost/chatdb", client_class=mongomock.MongoClient)
    yield store
    store.close()


def _raise(exc):
    def raiser(*args, **kwargs):
        raise exc

    return raiser


def test_a_lost_connection_mid_call_is_unavailable(mock_store, monkeypatch):
    monkeypatch.setattr(mock_store._rooms, "find_one", _raise(ServerSelectionTimeoutError("x")))
    with pytest.raises(StoreUnavailable):
        mock_store.get_room(new_id())


def test_other_database_errors_are_not_outages(mock_store, monkeypatch):
    monkeypatch.setattr(mock_store._rooms, "find_one", _raise(OperationFailure("denied", 13)))
    with pytest.raises(OperationFailure):
        mock_store.get_room(new_id())


@pytest.mark.parametrize(
    "uri, echoed",
    [
        ("mongodb://alice:se/cret@db1/gifchat", False),
        ("mongodb://alice:s3cret@db1/?replicaSet=rs0&loadBalanced=true", True),
        ("http://alice:s3cret@db1/", True),
    ],
)
def test_a_bad_uri_is_refused_without_its_password(uri, echoed):
    with pytest.raises(ConfigurationError) as caught:
        MongoStore.from_uri(uri)
    message = str(caught.value)
    assert "alice:***@" in message
    assert "cret" not in message and caught.value.__suppress_context__
    assert ("quote_plus" not in message) is echoed


def test_database_from_the_uri(mock_store):
    assert mock_store.db.name == "chatdb"
    default = MongoStore.from_uri("mongodb://localhost/", client_class=mongomock.MongoClient)
    assert default.db.name == "gifchat"
    default.close()


class RecordingClient(mongomock.MongoClient):
    """mongomock's client, remembering the options it was built with."""

    def __init__(self, uri, **options):
        super().__init__(uri, **options)
        self.built_with = options


@pytest.mark.parametrize(
    "uri, timeout",
    [
        ("mongodb://localhost/gifchat", 5000),  # docs/storage.md: "gives up after 5 seconds"
        ("mongodb://localhost/gifchat?serverSelectionTimeoutMS=900", None),
    ],
)
def test_one_client_with_a_short_server_selection_timeout(uri, timeout):
    store = MongoStore.from_uri(uri, client_class=RecordingClient)
    assert store.client.built_with.get("serverSelectionTimeoutMS") == timeout
    assert store.client.built_with["tz_aware"] is True
    store.close()


def test_indexes_at_start_up(mock_store):
    def keys(collection):
        return {name: info["key"] for name, info in collection.index_information().items()}

    assert keys(mock_store.db.chats)["chats_by_room_seq"] == [("room", 1), ("seq", 1)]
    assert "chats_by_room" not in keys(mock_store.db.chats)  # (room, _id): pages went by seq
    assert keys(mock_store.db.rooms)["rooms_by_created"] == [("createdAt", 1), ("_id", 1)]
    assert keys(mock_store.db.media)["media_by_room"] == [("room", 1)]
    assert keys(mock_store.db.media_chunks)["chunks_by_media"] == [("media", 1), ("n", 1)]
    assert keys(mock_store.db.chats)["chats_by_gif"] == [("gif", 1)]
    assert keys(mock_store.db.chats)["chats_gifs_by_user"] == [("userKey", 1), ("_id", 1)]
    mock_store.create_indexes()  # again, as every process start does
    assert len(mock_store.db.chats.index_information()) == 4


@pytest.fixture
def app(tmp_path):
    app = Flask(__name__, instance_path=str(tmp_path / "instance"))
    app.config["SECRET_KEY"] = "test"
    yield app
    close(app)  # the session store a test opened on it


@pytest.fixture
def real_client():
    # connect=False: built and inspected, never connected, so no server is needed.
    client = MongoClient("mongodb://localhost:1/chatdb", connect=False)
    yield client
    client.close()


def test_sessions_default_to_sqlite(app):
    chosen = session_config(app)
    assert chosen["SESSION_TYPE"] == "sqlite"
    assert chosen["SESSION_SQLITE_PATH"].startswith(app.instance_path)


def test_sessions_stay_in_sqlite_beside_redis(app):
    # A Redis restarted empty must not log everyone out: it keeps only what can be rebuilt.
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    assert session_config(app)["SESSION_TYPE"] == "sqlite"


def test_sessions_go_to_redis_only_when_asked(app):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", SESSION_TYPE="redis")
    chosen = session_config(app)
    assert chosen["SESSION_TYPE"] == "redis"
    assert chosen["SESSION_REDIS"].connection_pool.connection_kwargs["port"] == 1
    chosen["SESSION_REDIS"].close()


def test_sessions_go_to_mongodb_through_the_stores_client(app, real_client):
    app.config["MONGO_URI"] = "mongodb://localhost:1/chatdb"
    app.extensions["store"] = MongoStore(real_client, "chatdb")
    assert session_config(app) == {
        "SESSION_TYPE": "mongodb",
        "SESSION_MONGODB": real_client,
        "SESSION_MONGODB_DB": "chatdb",
        "SESSION_MONGODB_COLLECT": "sessions",
    }


def test_an_explicit_session_type_wins(app, real_client):
    app.config.update(MONGO_URI="mongodb://localhost:1/chatdb", SESSION_TYPE="cachelib")
    app.extensions["store"] = MongoStore(real_client, "chatdb")
    assert session_config(app)["SESSION_TYPE"] == "cachelib"


def test_sessions_stay_in_sqlite_beside_a_stand_in_client(app, mock_store):
    app.config["MONGO_URI"] = "mongodb://localhost/chatdb"
    app.extensions["store"] = mock_store
    assert session_config(app)["SESSION_TYPE"] == "sqlite"


def test_mongodb_sessions_refuse_a_client_that_is_not_pymongos(app, mock_store):
    app.config.update(MONGO_URI="mongodb://localhost/chatdb", SESSION_TYPE="mongodb")
    app.extensions["store"] = mock_store
    with pytest.raises(RuntimeError, match="needs a pymongo MongoClient.*not MongoClient"):
        session_config(app)


def test_mongodb_sessions_need_a_client(app):
    app.config["SESSION_TYPE"] = "mongodb"
    with pytest.raises(RuntimeError, match="not NoneType"):
        session_config(app)


def test_the_mongomock_app_config_keeps_sessions_in_sqlite(app, mock_store):
    app.config.update(mongomock_config())
    app.extensions["store"] = mock_store
    init_sessions(app)
    assert type(app.session_interface).__name__ == "SQLiteSessionInterface"


def test_session_indexes(mock_store):
    sessions = mock_store.db.sessions
    create_session_indexes(sessions)
    create_session_indexes(sessions)
    info = sessions.index_information()
    assert info["sessions_by_id"]["key"] == [("id", 1)] and info["sessions_by_id"]["unique"]
    assert info["expiration_1"]["expireAfterSeconds"] == 0


def test_sessions_on_a_real_mongodb(app):
    store = MongoStore.from_uri(real_mongo_uri(), database=f"gifchat_test_{new_id()}")
    try:
        app.config["MONGO_URI"] = "set"
        app.extensions["store"] = store
        init_sessions(app)
        assert app.session_interface.client is store.client
        assert "sessions_by_id" in store.db.sessions.index_information()
    finally:
        store.client.drop_database(store.db.name)
        store.close()


def test_old_chats_get_seqs_in_id_order_at_start_up_once(monkeypatch):
    """Documents as the release before seqs stored them: no seq, no counter, (room, _id)."""
    monkeypatch.setattr("app.store.mongo_order.BATCH", 40)  # several batches in one room
    client = mongomock.MongoClient("mongodb://localhost/olddb")
    chats = client["olddb"]["chats"]
    chats.create_index([("room", 1), ("_id", 1)], name="chats_by_room")
    rooms = {"a" * 24: sorted(ObjectId() for _ in range(250)), "b" * 24: [ObjectId()]}
    docs = [
        {"_id": oid, "room": room, "user": "#bf4082", "chat": f"said {n}", "createdAt": utcnow()}
        for room, oids in rooms.items()
        for n, oid in enumerate(oids)
    ]
    random.Random(7).shuffle(docs)  # the insertion order is not the order: ids are
    chats.insert_many(docs)

    def open_store():
        shared = lambda *args, **options: client  # noqa: E731 - every start finds the same data
        return MongoStore.from_uri("mongodb://localhost/olddb", client_class=shared)

    store = open_store()
    for room, oids in rooms.items():
        history = store.chats(room, limit=300)[::-1]
        assert [chat.id for chat in history] == [str(oid) for oid in oids]  # none lost, in order
        assert [chat.seq for chat in history] == list(range(1, len(oids) + 1))
    assert store.add_chat("b" * 24, "#bf4082", chat="new").seq == 2
    assert "chats_by_room" not in chats.index_information()
    open_store()  # a second start numbers nothing again
    assert [chat.seq for chat in store.chats("b" * 24, limit=10)] == [2, 1]
    assert sorted(doc["seq"] for doc in chats.find({"room": "a" * 24})) == list(range(1, 251))
