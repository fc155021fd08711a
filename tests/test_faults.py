"""Storage that really fails answers 503 on pages, JSON and sockets, and heals once it is fixed."""

from pathlib import Path

import pytest

from harness.gifs import gif

from .faults import DiskFull, Locked, ReadOnly, small_disk

BUSY = "서비스가 바쁩니다. 잠시 후 다시 시도해 주세요."


@pytest.fixture
def backend():
    """These faults are the SQLite backend's; MongoDB's outages are in test_mongo.py."""
    return "sqlite"


@pytest.fixture(params=["locked", "read-only", "disk full"])
def fault(request, config, tmp_path):
    """The fault, for a test to start once the app is running; the app's files are set here."""
    config["SQLITE_BUSY_TIMEOUT"] = 0.05  # a locked write gives up quickly
    if request.param != "disk full":
        yield (Locked if request.param == "locked" else ReadOnly)(Path(config["SQLITE_PATH"]))
        return
    with small_disk(tmp_path / "disk") as disk:
        config.update(SQLITE_PATH=str(disk / "gifchat.sqlite3"), UPLOAD_FOLDER=str(disk / "gifs"))
        yield DiskFull(disk)


def create_room_page(person):
    return person.client.post(
        "/room", data={"title": "another", "max": 10, "csrf_token": person.csrf}
    )


def test_a_storage_fault_answers_503_then_the_next_request_succeeds(fault, visitor, config, store):
    alice = visitor()
    room_id = alice.create_room()
    alice.join(room_id)  # in the room, so that her posts reach the store
    bob = visitor()
    bob.enter(room_id)
    sock = bob.socket()  # joins during the fault, then after it
    uploads = Path(config["UPLOAD_FOLDER"])

    with fault.active(store):
        response = alice.post_chat(room_id, "lost")
        assert (response.status_code, response.json) == (503, {"error": BUSY, "code": "busy"})
        page = create_room_page(alice)
        assert page.status_code == 503 and BUSY in page.text
        assert "gifchat.sqlite3" not in page.text  # the error's details stay in the log
        ack = sock.emit("join", room_id, namespace="/chat", callback=True)
        assert ack == {"error": BUSY, "code": "busy"}
        assert sock.is_connected("/chat")
        upload = alice.post_gif(room_id, gif())
        assert (upload.status_code, upload.json) == (503, {"error": BUSY, "code": "busy"})
        assert list(uploads.iterdir()) == []  # not even a partial file

    assert alice.post_chat(room_id, "kept").status_code == 201
    assert create_room_page(alice).status_code == 302
    assert sock.emit("join", room_id, namespace="/chat", callback=True)["ok"] is True
    assert alice.post_gif(room_id, gif()).status_code == 201
    assert len(list(uploads.iterdir())) == 1
    history = alice.client.get(f"/room/{room_id}/chats").json["chats"]
    # Newest first: the GIF, then "kept"; "lost" was never stored.
    assert [chat.get("chat") for chat in history if "kind" not in chat] == [None, "kept"]
