"""`flask --app wsgi run`, with and without the reloader, serves the whole app to browsers."""

import subprocess
import time

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")  # python-socketio's client for the websocket transport

from app import close, create_app  # noqa: E402
from harness.live_server import PROJECT_ROOT, WAIT, People, chat_both_ways_and_share_a_gif, running  # noqa: E402

from .dev_server import DevServer, flask_command  # noqa: E402
from .waiting import wait_for  # noqa: E402

pytestmark = pytest.mark.server

GRACE = 2  # ROOM_EMPTY_GRACE_SECONDS of the servers under test
RESTART_GRACE = 8  # long enough to start, reloader and all, and join a room on a busy machine
MODES = {"plain": False, "reloader": True}


@pytest.fixture(scope="module", params=list(MODES))
def server(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"dev-{request.param}")
    with running(folder, GRACE, DevServer, debug=MODES[request.param]) as live:
        yield live


@pytest.fixture
def transport(server):
    """Each transport once: the reloader (`make dev`) with the browser's first choice, the plain
    server with the long-polling a page falls back to. The loop is the same thread pool in both."""
    return "websocket" if server.debug else "polling"


def test_the_server_says_once_what_it_runs(server):
    log = server.stderr()
    said = "gifchat: serving with Werkzeug's development server, async mode threading"
    assert log.count("gifchat: serving") == log.count(said) == 1, log  # the reloader's parent: none
    assert "monkey_patch" not in log


def test_two_visitors_chat_share_a_gif_and_the_lobby_sees_the_room_come_and_go(people, transport):
    carol = people()
    lobby = carol.socket("/room", transport)
    alice, bob = people(), people()
    room_id = alice.create_room("dev room")  # the form post that used to hang
    room = lobby.wait_for("newRoom", lambda room: room["_id"] == room_id)
    assert (room["title"], room["owner"]) == ("dev room", alice.color)

    a = alice.join(room_id, transport)
    b = bob.join(room_id, transport)
    assert a.client.transport() == transport
    assert a.wait_for("join", lambda notice: notice["who"] == bob.color)

    chat_both_ways_and_share_a_gif(room_id, alice, a, bob, b)

    b.close()
    assert a.wait_for("exit", lambda notice: notice["who"] == bob.color)
    a.close()
    lobby.wait_for(
        "occupancy", lambda seen: (seen["_id"], seen["count"]) == (room_id, 0) and seen["closesAt"]
    )
    assert lobby.wait_for("removeRoom", lambda gone: gone == room_id, timeout=GRACE + WAIT)
    assert room_id not in carol.get("/").text


def _rooms_left_in(folder, *titles) -> list[str]:
    """Rooms in the store of a server on `folder`, as a server stopped earlier leaves them."""
    app = create_app(
        {  # where LiveServer.environment() puts a server's data
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLITE_PATH": str(folder / "gifchat.sqlite3"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "MONGO_URI": None,
            "SECRET_KEY": "live server test secret",
            "SOCKETIO_ASYNC_MODE": "threading",
        }
    )
    store = app.extensions["store"]
    try:
        return [store.create_room(title, 10, "#123456", None).id for title in titles]
    finally:
        close(app)


@pytest.mark.parametrize("mode", list(MODES))
def test_rooms_from_before_a_restart_are_watched_by_the_serving_process_only(tmp_path, mode):
    kept, left = _rooms_left_in(tmp_path, "kept", "left")
    started = time.monotonic()
    with running(tmp_path, RESTART_GRACE, DevServer, debug=MODES[mode]) as server:
        people = People(server)
        try:
            visitor = people()
            try:
                visitor.join(kept, "websocket")
            except AssertionError as error:
                since = time.monotonic() - started
                pytest.fail(f"the room went before anyone joined, {since:.1f}s in: {error}")

            # The serving process gave both rooms their grace: the one left empty goes...
            gone = wait_for(lambda: left not in visitor.get("/").text, RESTART_GRACE + WAIT)
            assert gone, "the empty room outlived its grace"
            # ...and the occupied one stays. The reloader's parent, which sees no visitors,
            # would have deleted it a moment earlier, had it scheduled anything.
            assert kept in visitor.get("/").text, "an occupied room was deleted"
            response = visitor.post_chat(kept, "still here")
            assert response.status_code == 201, response.text
        finally:
            people.close()
        assert "Traceback" not in server.stderr(), server.stderr()


def test_a_flask_shell_schedules_nothing(tmp_path):
    (room_id,) = _rooms_left_in(tmp_path, "kept")
    environment = DevServer(tmp_path, GRACE).environment()
    # Typed into the shell: outlive the grace, then look for the room.
    script = (
        f"import time; time.sleep({GRACE + 1.5})\n"
        "from app.store import get_store\n"
        f"print('room kept:', get_store().get_room({room_id!r}) is not None)\n"
    )
    shell = subprocess.run(
        flask_command("--app", "wsgi", "shell"),
        cwd=PROJECT_ROOT,
        env=environment,
        input=script,
        capture_output=True,
        text=True,
        timeout=GRACE + 30,
        start_new_session=True,
    )
    assert shell.returncode == 0, shell.stderr
    assert "room kept: True" in shell.stdout, (shell.stdout, shell.stderr)
    assert "Traceback" not in shell.stderr, shell.stderr
    assert "gifchat: serving" not in shell.stderr
