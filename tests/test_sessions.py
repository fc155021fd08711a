"""Sessions: stored only for visitors, never evicted, swept when expired, failures reported."""

import logging
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from cachelib import FileSystemCache

from app.extensions import socketio
from app.visitor.sessions import start_sweeping, sweep

from .waiting import wait_for

UNKNOWN_ROOM = "0" * 24


@pytest.fixture
def backend():
    return "sqlite"  # sessions live in SQLite beside either store; once is enough


def stored(app) -> int:
    return app.session_interface.count()


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        pytest.param("get", "/no/such/page", {}, id="404 page"),
        pytest.param("get", "/no/such/page", {"headers": {"Accept": "application/json"}}, id="404"),
        pytest.param("get", "/static/css/main.css", {}, id="static file"),
        pytest.param("get", f"/gif/{UNKNOWN_ROOM}.gif", {}, id="gif"),
        pytest.param("post", "/room", {"data": {"title": "t", "max": 5}}, id="csrf failure"),
        pytest.param(
            "post", f"/room/{UNKNOWN_ROOM}/chat", {"json": {"chat": "hi"}}, id="csrf json"
        ),
        pytest.param("delete", f"/room/{UNKNOWN_ROOM}", {}, id="csrf delete"),
        pytest.param("put", "/", {}, id="405"),
    ],
)
def test_no_session_is_stored_for_a_request_that_needs_none(app, method, path, kwargs):
    before = stored(app)
    response = getattr(app.test_client(), method)(path, **kwargs)
    response.close()
    assert response.status_code in (200, 302, 400, 404, 405)
    assert "Set-Cookie" not in response.headers
    assert stored(app) == before


def test_no_session_is_stored_for_a_refused_handshake(app):
    before = stored(app)
    sock = socketio.test_client(app, namespace="/chat")  # no page loaded, so no cookie
    assert not sock.is_connected("/chat")
    assert stored(app) == before


def test_a_visitor_gets_one_session_and_keeps_it(app, visitor):
    before = stored(app)
    person = visitor()
    person.client.get("/room")
    person.client.get("/no/such/page")
    assert stored(app) == before + 1


def _expire(app, person) -> None:
    """Age one visitor's session past its end, as if a month had gone by."""
    with person.client.session_transaction() as session:
        store_id = app.session_interface._get_store_id(session.sid)
    with closing(sqlite3.connect(app.config["SESSION_SQLITE_PATH"])) as db, db:
        db.execute("UPDATE sessions SET expires = ? WHERE id = ?", (time.time() - 1, store_id))


def _color(person) -> str | None:
    with person.client.session_transaction() as session:
        return session.get("color")


def test_the_sweep_removes_expired_sessions_and_keeps_live_ones(app, visitor):
    gone, live = visitor(), visitor()
    _expire(app, gone)
    assert stored(app) == 2
    assert sweep(app) == 1
    assert stored(app) == 1
    assert _color(live) == live.color
    assert _color(gone) is None


def test_the_sweep_runs_in_the_background(app, visitor):
    gone, live = visitor(), visitor()
    _expire(app, gone)
    app.config["SESSION_SWEEP_SECONDS"] = 0.05
    start_sweeping(app)
    try:
        assert wait_for(lambda: stored(app) == 1)
    finally:
        app.config["SESSION_SWEEP_SECONDS"] = 0  # ends the loop
    assert _color(live) == live.color


def test_many_new_visitors_never_push_out_a_live_one(app, visitor):
    app.config["SESSION_FILE_LIMIT"] = 5  # what once evicted the oldest session past it
    first = visitor()
    for _ in range(20):
        visitor()
    assert _color(first) == first.color


def test_a_session_that_cannot_be_saved_answers_503_and_is_logged(app, tmp_path, caplog):
    interface = app.session_interface
    path = app.config["SESSION_SQLITE_PATH"]
    readonly = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    interface.close()
    interface._db = readonly  # what a read-only folder or a full disk does to every write
    try:
        with caplog.at_level(logging.ERROR):
            response = app.test_client().get("/", headers={"Accept": "application/json"})
    finally:
        readonly.close()
        interface._db = None
    assert response.status_code == 503
    assert "error" in response.json
    assert "Set-Cookie" not in response.headers
    assert any(
        "session could not be saved" in record.getMessage() and "readonly" in record.getMessage()
        for record in caplog.records
    )
    assert app.test_client().get("/").status_code == 200  # and heals once it can write


def test_sessions_kept_in_files_before_move_over_on_their_next_visit(make_app, config):
    files = FileSystemCache(str(Path(config["INSTANCE_PATH"], "sessions")), threshold=0)
    before = {"_permanent": True, "color": "#123456", "uid": "k" * 32}
    files.set("session:from-before", before, timeout=3600)
    app = make_app(config)
    try:
        client = app.test_client()
        client.set_cookie("session", "from-before")
        assert 'data-me="#123456"' in client.get("/").text
        assert stored(app) == 1 and not files.has("session:from-before")
        assert 'data-me="#123456"' in client.get("/").text  # now from the table
    finally:
        app.extensions["store"].close()
