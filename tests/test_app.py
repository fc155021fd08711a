"""The factory: configuration, secrets, cookies and what happens when the database is gone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.store import StoreUnavailable

ROOT = Path(__file__).resolve().parent.parent


def minimal(tmp_path, **extra):
    return {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "SOCKETIO_ASYNC_MODE": "threading",
        **extra,
    }


def test_secret_key_is_generated_once_into_the_instance_folder(make_app, tmp_path):
    first = make_app(minimal(tmp_path))
    key_file = tmp_path / "instance" / "secret_key"
    assert key_file.read_text() == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert key_file.stat().st_mode & 0o077 == 0
    assert make_app(minimal(tmp_path)).config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_environment_overrides_defaults(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("GIFCHAT_ROOM_EMPTY_GRACE_SECONDS", "1")
    monkeypatch.setenv("GIFCHAT_SECRET_KEY", "from-env")
    app = make_app(minimal(tmp_path))
    assert app.config["ROOM_EMPTY_GRACE_SECONDS"] == 1
    assert app.config["SECRET_KEY"] == "from-env"


def test_instance_config_overrides_defaults(make_app, tmp_path):
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "config.py").write_text("HISTORY_PAGE_SIZE = 7\n")
    assert make_app(minimal(tmp_path)).config["HISTORY_PAGE_SIZE"] == 7


def test_session_cookie_flags(app):
    response = app.test_client().get("/")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_over_https(app):
    response = app.test_client().get("/", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_session_cookie_secure_marks_it_secure_everywhere(make_app, config):
    app = make_app({**config, "SESSION_COOKIE_SECURE": True})
    assert "Secure" in app.test_client().get("/").headers["Set-Cookie"]


@pytest.mark.parametrize("proxies, secure", [(0, False), (1, True)])
def test_forwarded_headers_are_trusted_only_from_the_configured_proxies(
    make_app, config, proxies, secure
):
    app = make_app({**config, "PROXY_COUNT": proxies})

    @app.get("/test-client-address")
    def address():
        from flask import request

        return request.remote_addr

    client = app.test_client()
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    response = client.get("/", headers=forwarded)
    assert ("Secure" in response.headers["Set-Cookie"]) is secure
    seen = client.get("/test-client-address", headers=forwarded).text
    assert seen == ("203.0.113.9" if secure else "127.0.0.1")


def test_an_empty_room_outlives_a_locked_phone_and_an_owner_hands_over_sooner(
    make_app, tmp_path, monkeypatch
):
    monkeypatch.delenv("GIFCHAT_ROOM_EMPTY_GRACE_SECONDS", raising=False)
    config = make_app(minimal(tmp_path)).config
    assert (config["ROOM_EMPTY_GRACE_SECONDS"], config["OWNER_HANDOVER_SECONDS"]) == (300, 30)


def test_color_is_the_colorhash_of_the_session(visitor):
    from colorhash import ColorHash

    person = visitor()
    with person.client.session_transaction() as session:
        assert session["color"] == ColorHash(session.sid).hex
    assert f'data-me="{person.color}"' in person.client.get("/").text


def test_the_color_stays_the_same_across_requests(visitor):
    person = visitor()
    person.client.get("/room")
    with person.client.session_transaction() as session:
        assert session["color"] == person.color


def test_start_up_without_the_database_says_so_in_one_line_and_exits(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "GIFCHAT_MONGO_URI": "mongodb://user:hunter2@127.0.0.1:1/gifchat?serverSelectionTimeoutMS=300",
        "GIFCHAT_SECRET_KEY": "x",
        "GIFCHAT_UPLOAD_FOLDER": str(tmp_path),
        # The loop this environment serves with (a gevent install has no eventlet).
        **{k: v for k, v in os.environ.items() if k == "GIFCHAT_ASYNC_MODE"},
    }
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gifchat: cannot reach the database")
    assert "hunter2" not in result.stderr and "user:***@" in result.stderr


def test_the_instance_folder_can_be_moved_by_environment(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("GIFCHAT_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    config = minimal(tmp_path)
    del config["INSTANCE_PATH"]
    app = make_app(config)
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "secret_key").exists()


def test_an_unusable_sqlite_path_fails_start_up_clearly(make_app, tmp_path):
    config = minimal(tmp_path, SQLITE_PATH=str(tmp_path / "missing" / "dir" / "db.sqlite3"))
    with pytest.raises(StoreUnavailable, match="SQLite database"):
        make_app(config)


@pytest.mark.parametrize("path", ["/static/css/main.css", "/gif/" + "0" * 24 + ".gif"])
def test_files_make_no_session(app, path):
    response = app.test_client().get(path)
    response.close()
    assert "Set-Cookie" not in response.headers


def test_an_unchanged_session_is_not_written_again(visitor, app, monkeypatch):
    person = visitor()
    writes = []
    interface = app.session_interface
    original = interface._upsert_session
    monkeypatch.setattr(
        interface, "_upsert_session", lambda *args: writes.append(1) or original(*args)
    )
    person.client.get("/room")
    assert writes == []


def test_redis_configured_without_its_package_is_refused_in_one_line(make_app, config, monkeypatch):
    monkeypatch.setitem(sys.modules, "redis", None)  # as if it were not installed
    with pytest.raises(SystemExit) as refused:
        make_app({**config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    message = str(refused.value)
    assert "\n" not in message
    assert "redis package is not installed" in message and "gifchat[redis]" in message


@pytest.mark.parametrize("entry", ["wsgi.py", "gunicorn"])
def test_the_servers_say_so_without_a_traceback(tmp_path, entry):
    # Where redis is missing for real, import fails the same way it does here.
    hide_redis = "import sys; sys.modules['redis'] = None; "
    if entry == "wsgi.py":
        start = "import runpy; runpy.run_path('wsgi.py', run_name='__main__')"
    else:
        start = (
            "from gunicorn.app.wsgiapp import run;"
            " sys.argv[1:] = ['-c', 'gunicorn.conf.py', 'wsgi:app']; run()"
        )
    env = {
        **os.environ,
        "GIFCHAT_REDIS_URL": "redis://127.0.0.1:1/0",
        "GIFCHAT_INSTANCE_PATH": str(tmp_path / "instance"),
        "GIFCHAT_BIND": "127.0.0.1:0",
    }
    finished = subprocess.run(
        [sys.executable, "-c", hide_redis + start],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode != 0
    (line,) = [line for line in finished.stderr.splitlines() if "redis" in line]
    assert "redis package is not installed" in line
    assert "Traceback" not in finished.stderr, finished.stderr
