"""Fixtures that speak in user actions: visitors with their own sessions and sockets."""

import os
import re
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import create_app
from app.extensions import socketio
from app.store.base import new_id

from .store_backends import MONGO_URI_ENV, mongomock_config, real_mongo_uri

BACKENDS = ["sqlite", "mongomock", "mongodb"]


def pytest_report_header(config):
    if not os.environ.get(MONGO_URI_ENV):
        return f"real MongoDB: none configured, its tests are skipped (set {MONGO_URI_ENV})"
    return "real MongoDB: configured"


def backend_config(backend: str, tmp_path) -> dict:
    if backend == "sqlite":
        return {"SQLITE_PATH": str(tmp_path / "gifchat.sqlite3")}
    if backend == "mongomock":
        return mongomock_config()
    # A real server only when one is configured; a database of its own for each test.
    return {"MONGO_URI": real_mongo_uri(), "MONGO_DATABASE": f"gifchat_test_{new_id()}"}


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def config(backend, tmp_path):
    """The test configuration; a test may change it before asking for `app`."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SOCKETIO_ASYNC_MODE": "threading",
        # Long enough that no room vanishes mid-test unless a test asks for it.
        "ROOM_EMPTY_GRACE_SECONDS": 3600,
        # Exits final at once; tests of the debounce ask for one.
        "EXIT_DEBOUNCE_SECONDS": 0,
        **backend_config(backend, tmp_path),
    }


@pytest.fixture
def app(config):
    app = create_app(config)
    yield app
    store = app.extensions["store"]
    if config.get("MONGO_DATABASE"):
        store.client.drop_database(store.db.name)
    store.close()


@pytest.fixture
def store(app):
    return app.extensions["store"]


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

    def post_chat(self, room_id, text, **kwargs):
        return self.client.post(
            f"/room/{room_id}/chat",
            json={"chat": text},
            headers={"X-CSRFToken": self.csrf},
            **kwargs,
        )

    def post_gif(self, room_id, data: bytes, filename="a.gif", content_type="image/gif"):
        # Encoded here: the test client spools large bodies to a file it never closes.
        boundary, body = encode_multipart(
            {"gif": FileStorage(BytesIO(data), filename, content_type=content_type)}
        )
        return self.client.post(
            f"/room/{room_id}/gif",
            data=body,
            content_type=f"multipart/form-data; boundary={boundary}",
            headers={"X-CSRFToken": self.csrf, "Accept": "application/json"},
        )

    def delete_room(self, room_id):
        return self.client.delete(
            f"/room/{room_id}", headers={"X-CSRFToken": self.csrf, "Accept": "application/json"}
        )

    def socket(self, namespace="/chat"):
        sock = socketio.test_client(self.app, namespace=namespace, flask_test_client=self.client)
        self.sockets.append(sock)
        return sock

    def join(self, room_id):
        """Open the room's page and its socket, as the browser does; returns the socket."""
        self.enter(room_id)
        sock = self.socket()
        ack = sock.emit("join", room_id, namespace="/chat", callback=True)
        assert ack["ok"] is True, ack
        return sock


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
