"""`flask --app app run`, a Flask user's first guess, serves as `flask run` does: background
work included, one log line per request; other `flask` commands start nothing."""

import subprocess
from importlib.metadata import entry_points

import pytest

from app import close, create_app
from harness.live_server import PROJECT_ROOT, WAIT, running

from .dev_server import DevServer, flask_command
from .required import require
from .waiting import wait_for

requests = require("requests", "requests")

pytestmark = pytest.mark.server

GRACE = 2  # ROOM_EMPTY_GRACE_SECONDS of the servers under test


class FactoryServer(DevServer):
    """`flask --app app run`: the package's factory named, not wsgi.py."""

    def command(self) -> list[str]:
        return flask_command("--app", "app", "run", "--port", str(self.port))


@pytest.fixture(autouse=True)
def run_is_ours():
    (found,) = entry_points(group="flask.commands", name="run") or (None,)
    if found is None or found.value != "app.cli:run":
        pytest.fail("app/cli.py's `flask run` is not registered: pip install -e . again")


def left_behind(folder, title: str) -> str:
    """A room in the store of a server on `folder`, as a server stopped earlier leaves it."""
    app = create_app(
        {
            "INSTANCE_PATH": str(folder / "instance"),
            "SQLITE_PATH": str(folder / "gifchat.sqlite3"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "SECRET_KEY": "live server test secret",
            "SOCKETIO_ASYNC_MODE": "threading",
        }
    )
    try:
        return app.extensions["store"].create_room(title, 10, "#123456", None).id
    finally:
        close(app)


def test_flask_app_run_serves_with_the_background_work(tmp_path):
    room_id = left_behind(tmp_path, "left behind")
    with running(tmp_path, GRACE, FactoryServer) as server:
        log = server.stderr()
        assert log.count("gifchat: serving with Werkzeug's development server") == 1, log
        # Only the background work deletes a room nobody came back to.
        page = lambda: requests.get(f"{server.url}/", timeout=WAIT).text  # noqa: E731
        assert wait_for(lambda: room_id not in page(), GRACE + WAIT), "the room was never deleted"

        since = server.stderr_size()
        assert requests.get(f"{server.url}/no/such/page-7f3a", timeout=WAIT).status_code == 404
        assert wait_for(lambda: "page-7f3a" in server.stderr(since), WAIT)
        lines = [line for line in server.stderr(since).splitlines() if "page-7f3a" in line]
        assert len(lines) == 1, lines  # the app's line, with its request id; not Werkzeug's too


def test_other_flask_commands_start_nothing(tmp_path):
    routes = subprocess.run(
        flask_command("--app", "app", "routes"),
        cwd=PROJECT_ROOT,
        env=DevServer(tmp_path, GRACE).environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert routes.returncode == 0, routes.stderr
    assert "/room/<room_id>/chats" in routes.stdout
    assert "gifchat: serving" not in routes.stderr
