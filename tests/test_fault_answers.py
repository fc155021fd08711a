"""Faults answered, not crashed: a read-only or vanished database is a 503 and the worker lives;
/readyz tries a real write, fails on a full disk or a read-only database, and recovers.

The faults are real (tests/faults.py): a read-only file is also made immutable (chattr +i),
which root cannot write through either; a full disk is a small tmpfs filled to ENOSPC.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from harness.live_server import People, WsgiServer, running

from .faults import DiskFull, Locked, ReadOnly, small_disk

BUSY = "서비스가 바쁩니다. 잠시 후 다시 시도해 주세요."


@pytest.fixture
def backend():
    return "sqlite"  # MongoDB's outages are in test_mongo.py


@contextmanager
def immutable(*paths: Path):
    """The files read-only and immutable while inside; skips where chattr is not possible."""
    made = []
    try:
        for path in paths:
            path.chmod(0o444)
            if os.geteuid() == 0:
                done = shutil.which("chattr") and subprocess.run(
                    ["chattr", "+i", path], capture_output=True
                )
                if not done or done.returncode != 0:
                    path.chmod(0o644)
                    pytest.skip("running as root, and chattr +i is not available here")
                made.append(path)
        yield
    finally:
        for path in made:
            subprocess.run(["chattr", "-i", path], check=True)
        for path in paths:
            path.chmod(0o644)


@pytest.fixture
def client(app):
    return app.test_client()


def ready(client):
    response = client.get("/readyz")
    return response.status_code, response.json


DOWN = (503, {"status": "unavailable", "down": ["store"]})
UP = (200, {"status": "ready"})


@pytest.fixture(params=["locked", "read-only", "disk full"])
def fault(request, config, tmp_path):
    config["SQLITE_BUSY_TIMEOUT"] = 0.05
    if request.param != "disk full":
        yield (Locked if request.param == "locked" else ReadOnly)(Path(config["SQLITE_PATH"]))
        return
    with small_disk(tmp_path / "disk") as disk:
        config.update(SQLITE_PATH=str(disk / "gifchat.sqlite3"), UPLOAD_FOLDER=str(disk / "gifs"))
        yield DiskFull(disk)


def test_readyz_fails_during_a_fault_and_recovers_after_it(fault, client, store):
    assert ready(client) == UP
    with fault.active(store):
        assert ready(client) == DOWN
        assert client.get("/healthz").status_code == 200  # alive all the same
    assert ready(client) == UP


def test_readyz_fails_when_the_open_database_turns_read_only(client, store):
    # No reconnection here: the connection opened before the fault is the one asked.
    assert ready(client) == UP
    with immutable(Path(store.path)):
        assert ready(client) == DOWN
    assert ready(client) == UP


def test_readyz_fails_when_the_media_folder_turns_read_only(client, store):
    with immutable(store.media_folder):
        assert ready(client) == DOWN
    assert ready(client) == UP


def test_a_database_that_vanished_is_503_until_it_is_back(visitor, store):
    alice = visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    database = Path(store.path)
    away = database.with_name("moved-away.sqlite3")
    database.rename(away)  # a file moved or deleted under the running process
    try:
        response = alice.post_chat(room_id, "into a file nobody will find")
        assert (response.status_code, response.json) == (503, {"error": BUSY, "code": "busy"})
        assert ready(alice.client) == DOWN
        assert not database.exists()  # not made again, empty, in its place
    finally:
        away.rename(database)
    assert alice.post_chat(room_id, "back").status_code == 201
    assert ready(alice.client) == UP


def test_a_database_restored_in_its_place_is_opened_afresh(visitor, store, tmp_path):
    alice = visitor()
    alice.create_room("before the backup")
    database = Path(store.path)
    backup = tmp_path / "backup.sqlite3"
    with store.db.transaction() as db:
        db.execute(f"VACUUM INTO '{backup}'")
    alice.create_room("after the backup")
    for suffix in ("", "-wal", "-shm"):  # rm gifchat.sqlite3*, under the running process
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    assert alice.client.get("/rooms").status_code == 503
    shutil.copy(backup, database)  # the backup put back: another file under the same name
    titles = [room["title"] for room in alice.client.get("/rooms").json["rooms"]]
    assert titles == ["before the backup"]
    alice.create_room("after the restore")
    # Written into the file that is there, not the old one.
    with closing(sqlite3.connect(database)) as db:
        stored = {title for (title,) in db.execute("SELECT title FROM rooms")}
    assert stored == {"before the backup", "after the restore"}


@pytest.fixture(scope="module")
def wsgi_server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("faults"), 3600, WsgiServer) as live:
        yield live


@pytest.mark.server
@pytest.mark.parametrize("files", [("-shm",), ("", "-wal", "-shm"), ("",)], ids=str)
def test_the_worker_lives_when_its_mapped_files_turn_read_only(wsgi_server, files):
    # The -shm file is memory-mapped: written through once it is immutable, it was a SIGBUS
    # that took the worker and every socket with it.
    people = People(wsgi_server)
    try:
        alice = people()
        room_id = alice.create_room()
        alice.join(room_id, "websocket")
        assert alice.post_chat(room_id, "before").status_code == 201
        database = wsgi_server.folder / "gifchat.sqlite3"
        with immutable(*(Path(f"{database}{suffix}") for suffix in files)):
            response = alice.post_chat(room_id, "during")
            assert (response.status_code, response.json()) == (503, {"error": BUSY, "code": "busy"})
            assert alice.get("/readyz").status_code == 503
            assert alice.get("/healthz").status_code == 200
        assert alice.post_chat(room_id, "after").status_code == 201
        assert alice.get("/readyz").status_code == 200
        wsgi_server.assert_healthy()
    finally:
        people.close()
