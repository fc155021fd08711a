"""gunicorn's own lines (its error log, and its access log when turned on) follow LOG_FORMAT."""

import json

import pytest

from .live_server import LiveServer, People, running
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
