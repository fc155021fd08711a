"""Fixtures that speak in user actions: visitors with their own sessions and sockets."""

import os
import re
from io import BytesIO

import pytest
from flask_socketio.test_client import SocketIOTestClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import close, create_app
from app.config import ASYNC_MODES
from app.extensions import socketio

from .clock import Clock
from .store_backends import MONGO_URI_ENV, NO_MONGO, app_config, drop
from .waiting import wait_for


def pytest_report_header(config):
    if not os.environ.get(MONGO_URI_ENV):
        return f"real MongoDB: none configured, its tests are skipped (set {MONGO_URI_ENV})"
    return "real MongoDB: configured"


def pytest_collection_modifyitems(config, items):
    """The `mongodb` tier: skipped, for one plain reason, unless a real MongoDB is given."""
    if os.environ.get(MONGO_URI_ENV):
        return
    for item in items:
        if item.get_closest_marker("mongodb"):
            item.add_marker(pytest.mark.skip(reason=NO_MONGO))


@pytest.fixture(scope="module", params=ASYNC_MODES)
def async_mode(request):
    """Each event loop a live server can run on: a module's server fixture that asks for this
    runs its tests once per loop (eventlet, the default, and gevent)."""
    return request.param


@pytest.fixture(autouse=True)
def _live_server_stays_healthy(request):
    """After every test on a live server: it still runs and logged no traceback meanwhile."""
    if "server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("server")
    since = server.stderr_size()
    yield
    server.assert_healthy(since)


@pytest.fixture
def backend():
    """The store the app-level tests run on; the store suites override this, parametrized."""
    return "sqlite"


@pytest.fixture
def config(backend, tmp_path):
    """The test configuration; a test may change it before asking for `app`."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SOCKETIO_ASYNC_MODE": "threading",
        # Long enough that no room vanishes, or changes hands, mid-test unless a test asks for it.
        "ROOM_EMPTY_GRACE_SECONDS": 3600,
        "OWNER_HANDOVER_SECONDS": 3600,
        # Exits final at once; tests of the debounce ask for one.
        "EXIT_DEBOUNCE_SECONDS": 0,
        # Every join and exit announced; tests of folding ask for it.
        "NOTICE_FOLD_SECONDS": 0,
        "RATELIMIT_ENABLED": False,  # tests act faster than people; tests/test_limits_* turn it on
        **app_config(backend, tmp_path),
    }


@pytest.fixture
def quick_grace(config):
    """Emptied rooms go, and departed owners hand over, after a short grace period."""
    config["ROOM_EMPTY_GRACE_SECONDS"] = 0.5
    config["OWNER_HANDOVER_SECONDS"] = 0.5


@pytest.fixture
def app(config, backend):
    app = create_app(config)
    # Closed even if a test puts another in its place (a store that is down, say).
    opened = [app.extensions["store"], app.session_interface]
    yield app
    drop(app.extensions["store"], backend)
    close(app)  # the session store's connection too
    for each in opened:
        getattr(each, "close", lambda: None)()


@pytest.fixture
def make_app():
    """A factory of apps beside `app` (a restart, another setting), each closed afterwards."""
    made = []

    def make(config):
        made.append(create_app(config))
        return made[-1]

    yield make
    for each in made:
        close(each)


@pytest.fixture
def processes(make_app, redis_server, tmp_path):
    """Make apps that share one Redis and one database, as the processes of one server do.

    The test's module provides `redis_server` (from harness.cluster)."""

    def make():
        return make_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test secret",
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "UPLOAD_FOLDER": str(tmp_path / "uploads"),
                "SQLITE_PATH": str(tmp_path / "gifchat.sqlite3"),
                "SOCKETIO_ASYNC_MODE": "threading",
                "REDIS_URL": redis_server.url,
            }
        )

    return make


@pytest.fixture
def clock(monkeypatch):
    """The clock rate limits read, stopped: a test moves it on instead of waiting."""
    return Clock.install(monkeypatch)


@pytest.fixture
def sqlite_only(config):
    """For what is the same on every backend (GIF uploads): run it once, on SQLite."""
    if "SQLITE_PATH" not in config:
        pytest.skip("the upload path is the same on every backend")


@pytest.fixture
def member(sqlite_only, visitor):
    """A visitor in a room of their own, joined, so they may post: (visitor, room id)."""
    person = visitor()
    room_id = person.create_room("gifs")
    person.join(room_id)  # only people in the room may post
    return person, room_id


@pytest.fixture
def store(app):
    return app.extensions["store"]


@pytest.fixture
def grace_over(app, visitor, store):
    """Wait, bounded, until every grace period started before the call has run out.

    A room nobody enters is deleted when its grace period ends, and deadlines come in the order
    they were set: once a room made now is gone, every earlier deadline has been carried out.
    """

    def wait():
        marker = visitor().create_room("marks the time")
        bound = app.config["ROOM_EMPTY_GRACE_SECONDS"] + 5
        assert wait_for(lambda: store.get_room(marker) is None, bound), "no deadline came"

    return wait


class Tab(SocketIOTestClient):
    """A page's Socket.IO client: what it received, by event name."""

    def names(self, namespace="/chat") -> list[str]:
        """The names of the events received since the last look."""
        return [event["name"] for event in self.get_received(namespace)]


class Visitor:
    """One person with their own browser: a cookie jar, a color, sockets."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.sockets = []
        page = self.client.get("/")
        self.csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
        with self.client.session_transaction() as session:
            self.color = session["color"]
            self.handle = session["handle"]  # what others aim whispers and kicks at

    def create_room(self, title="room", max=10, password=""):
        """Create a room through the form; returns the new room's id."""
        response = self.client.post(
            "/room",
            data={"title": title, "max": max, "password": password, "csrf_token": self.csrf},
        )
        assert response.status_code == 302, response.text
        return response.headers["Location"].rsplit("/", 1)[1]

    def enter(self, room_id, password=None):
        if password is not None:
            return self.client.post(
                f"/room/{room_id}/password", data={"password": password, "csrf_token": self.csrf}
            )
        return self.client.get(f"/room/{room_id}")

    def send(self, path, body, method="POST", **kwargs):
        """A JSON request from the page's script: CSRF header, JSON body."""
        return self.client.open(
            path, method=method, json=body, headers={"X-CSRFToken": self.csrf}, **kwargs
        )

    def post_chat(self, room_id, text, **kwargs):
        return self.send(f"/room/{room_id}/chat", {"chat": text}, **kwargs)

    def whisper(self, room_id, to, text="psst"):
        """Whisper to the person with handle `to`."""
        return self.send(f"/room/{room_id}/chat", {"chat": text, "to": to})

    def kick(self, room_id, user):
        """Remove the person with handle `user`."""
        return self.send(f"/room/{room_id}/kick", {"user": user})

    def rename(self, name):
        return self.send("/me", {"name": name})

    def choose_english(self):
        self.client.post("/lang", data={"lang": "en", "next": "/", "csrf_token": self.csrf})

    def post_gif(
        self, room_id, data: bytes, filename="a.gif", content_type="image/gif", headers=()
    ):
        # Encoded here: the test client spools large bodies to a file it never closes.
        boundary, body = encode_multipart(
            {"gif": FileStorage(BytesIO(data), filename, content_type=content_type)}
        )
        return self.client.post(
            f"/room/{room_id}/gif",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json", **dict(headers)},
        )

    def delete_room(self, room_id):
        return self.client.delete(
            f"/room/{room_id}", headers={"X-CSRFToken": self.csrf, "Accept": "application/json"}
        )

    def socket(self, namespace="/chat") -> Tab:
        sock = Tab(self.app, socketio, namespace=namespace, flask_test_client=self.client)
        self.sockets.append(sock)
        return sock

    def join(self, room_id) -> Tab:
        """Open the room's page and its socket, as the browser does; returns the socket."""
        self.enter(room_id)
        sock = self.socket()
        ack = sock.emit("join", room_id, namespace="/chat", callback=True)
        assert ack["ok"] is True, ack
        return sock


def posted(store, room_id):
    """What people posted in the room, its join notices left out."""
    return [chat for chat in store.chats(room_id, limit=10) if chat.kind is None]


def seated(room_id, people):
    """Each person joins the room in turn; their sockets, with nothing left to receive."""
    socks = [person.join(room_id) for person in people]
    for sock in socks:
        sock.get_received("/chat")
    return socks


@pytest.fixture
def visitor(app):
    """A factory: each call is another person."""
    made = []

    def make():
        person = Visitor(app)
        made.append(person)
        return person

    yield make
    for person in made:
        for sock in person.sockets:
            for namespace in ("/chat", "/room"):
                if sock.is_connected(namespace):
                    sock.disconnect(namespace=namespace)


@pytest.fixture
def english_first(config):
    """Messages read in English unless a test asks otherwise; the Korean is the catalogs'."""
    config["LANGUAGES"] = ["en", "ko"]


@pytest.fixture
def room(visitor):
    """A public room with its owner inside."""
    owner = visitor()
    room_id = owner.create_room("Chat")
    owner.join(room_id)
    return owner, room_id


@pytest.fixture
def trio(visitor):
    """Alice owns a room; Bob and Carol are in it; nobody has anything left to receive."""
    people = alice, _, _ = visitor(), visitor(), visitor()
    room_id = alice.create_room("Three")
    return room_id, people, seated(room_id, people)


@pytest.fixture
def people(server):
    """On a live server: a factory, each call another person with their own browser."""
    from harness.live_server import People

    made = People(server)
    yield made
    made.close()
