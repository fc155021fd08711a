"""Edits and replies on the real server (gunicorn, eventlet), over both transports."""

import pytest

from .required import require

require("requests", "requests")
require("websocket", "websocket-client")

from harness.live_server import WAIT, running  # noqa: E402

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running(tmp_path_factory.mktemp("edit-reply"), 2) as live:
        yield live


def send(person, method, path, body):
    return person.http.request(
        method, person.server.url + path, json=body, headers={"X-CSRFToken": person.csrf},
        timeout=WAIT,
    )  # fmt: skip


@pytest.mark.parametrize("transport", ["websocket", "polling"])
def test_an_edit_and_a_whispered_reply_reach_only_whom_they_should(people, transport):
    alice, bob, carol = people(), people(), people()
    room_id = alice.create_room("edits")
    a, b, c = (someone.join(room_id, transport) for someone in (alice, bob, carol))
    said = alice.post_chat(room_id, "see you at 7").json()
    edited = send(alice, "PATCH", f"/room/{room_id}/chat/{said['_id']}", {"chat": "see you at 8"})
    assert edited.status_code == 200, edited.text
    for sock in (b, c):
        told = sock.wait_for("editChat", lambda data: data["_id"] == said["_id"])
        assert told == {
            "_id": said["_id"], "room": room_id, "chat": "see you at 8",
            "editedAt": edited.json()["editedAt"],
        }  # fmt: skip
    whisper = send(alice, "POST", f"/room/{room_id}/chat", {"chat": "psst", "to": bob.handle})
    answer = send(
        bob, "POST", f"/room/{room_id}/chat", {"chat": "ok", "replyTo": whisper.json()["_id"]}
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["toHandle"] == alice.handle
    got = a.wait_for("chat", lambda data: data.get("chat") == "ok")
    assert got["replyTo"]["excerpt"] == "psst"
    public = alice.post_chat(room_id, "after the whisper").json()["_id"]
    c.wait_for("chat", lambda data: data.get("_id") == public)  # in order: nothing before it
    # Carol heard neither the whisper nor the reply that quotes it.
    assert all("psst" not in str(data) for _event, data in c.received())
