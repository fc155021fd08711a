"""What wsgi.py and gunicorn.conf.py make of the settings they read before the app: the event
loop (ASYNC_MODE) and the format of gunicorn's own log lines (LOG_FORMAT)."""

import json
import subprocess
import sys

import pytest

from harness.live_server import PROJECT_ROOT, LiveServer, People, running

from .required import require

require("requests", "requests")

pytestmark = pytest.mark.server


class JsonLogs(LiveServer):
    def environment(self) -> dict:
        env = super().environment()
        env["GIFCHAT_LOG_FORMAT"] = "json"
        env["GUNICORN_CMD_ARGS"] = "--access-logfile -"  # gunicorn's access lines, on stdout
        return env


def test_gunicorn_writes_json_lines_when_the_app_does(tmp_path):
    with running(tmp_path, 10, JsonLogs, mode="gevent") as server:
        people = People(server)
        try:
            people()  # a page, so that the access log has a line
        finally:
            people.close()
    lines = [
        line
        for line in (server.stderr() + (tmp_path / "stdout.log").read_text()).splitlines()
        if line and not line.startswith("gifchat: ")  # wsgi.py's one start-up line
    ]
    records = [json.loads(line) for line in lines]  # every one of them a JSON object
    loggers = {record["logger"] for record in records}
    assert {"gunicorn.error", "gunicorn.access", "app.request"} <= loggers
    starting = [r for r in records if r["message"].startswith("Starting gunicorn")]
    assert [r["level"] for r in starting] == ["INFO"]


def start(command: list[str], tmp_path, **settings) -> subprocess.CompletedProcess:
    """Run an entry point that is expected to refuse to start; its exit code and output."""
    server = LiveServer(tmp_path, 10)
    env = {**server.environment(), **settings}
    return subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("entry", ["wsgi.py", "gunicorn"])
def test_an_unknown_mode_is_refused_in_one_line(tmp_path, entry):
    command = {
        "wsgi.py": [sys.executable, "wsgi.py"],
        "gunicorn": [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
    }[entry]
    done = start(command, tmp_path, GIFCHAT_ASYNC_MODE="tornado")
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        "gifchat: GIFCHAT_ASYNC_MODE must be one of eventlet, gevent, not 'tornado'"
    ]


def test_a_gunicorn_worker_of_the_other_loop_is_refused(tmp_path):
    """`-k eventlet` with ASYNC_MODE gevent would patch for both loops: the worker says so
    and gunicorn stops, instead of serving half-broken."""
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-k", "eventlet"]
    done = start([*command, "wsgi:app"], tmp_path, GIFCHAT_ASYNC_MODE="gevent")
    assert done.returncode != 0
    assert (
        "gifchat: gunicorn runs its eventlet worker but GIFCHAT_ASYNC_MODE is gevent:"
        " drop -k/--worker-class, gunicorn.conf.py picks the worker"
    ) in done.stderr.splitlines()
    assert "Traceback" not in done.stderr
