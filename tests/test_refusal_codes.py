"""Every refusal carries a stable code beside its translated message (docs/api.md lists them).

Clients decide by the code: these pin each cause to its code, over HTTP and socket acks.
"""

import pytest

from app.web.errors import Refused, code_for
from harness.gifs import gif

pytestmark = pytest.mark.usefixtures("english_first")


def test_a_refusal_without_a_code_takes_its_statuss():
    assert [Refused("no", status).code for status in (400, 403, 404, 413, 429, 503)] == [
        "invalid",
        "forbidden",
        "not-found",
        "too-large",
        "rate-limited",
        "busy",
    ]
    assert [code_for(status) for status in (418, 500, 502)] == ["invalid"] + ["server-error"] * 2
    assert Refused("no", 403, "full").code == "full"


def test_posting_nothing_is_empty(room):
    owner, room_id = room
    response = owner.post_chat(room_id, "   ")
    assert (response.status_code, response.json["code"]) == (400, "empty")


def test_a_name_of_nothing_is_name_empty(visitor):
    response = visitor().rename(" ")
    assert (response.status_code, response.json["code"]) == (400, "name-empty")


def test_a_file_that_is_no_gif_is_not_a_gif(member):
    person, room_id = member
    response = person.post_gif(room_id, b"GIF89a<script>")
    assert (response.status_code, response.json["code"]) == (400, "not-a-gif")


def test_a_gif_too_large_is_too_large(app, member):
    person, room_id = member
    app.config["GIF_MAX_BYTES"] = 100
    response = person.post_gif(room_id, gif(64, 64, frames=4))
    assert (response.status_code, response.json["code"]) == (400, "too-large")


def test_without_its_csrf_token_a_request_is_csrf(room):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat", json={"chat": "hi"}, headers={"Accept": "application/json"}
    )
    assert (response.status_code, response.json["code"]) == (400, "csrf")


def test_a_method_a_route_does_not_take_is_not_allowed(app):
    response = app.test_client().put("/rooms", headers={"Accept": "application/json"})
    assert (response.status_code, response.json["code"]) == (405, "not-allowed")


def test_someone_removed_is_banned_at_the_door_and_on_the_socket(trio):
    room_id, (alice, bob, _carol), _sockets = trio
    assert alice.kick(room_id, bob.handle).status_code == 204
    sock = bob.socket()
    ack = sock.emit("join", room_id, namespace="/chat", callback=True)
    assert ack["code"] == "banned"
    response = bob.send(f"/room/{room_id}/chat", {"chat": "let me in"})
    assert (response.status_code, response.json["code"]) == (403, "banned")


def test_a_secret_room_not_entered_is_not_admitted_on_the_socket(visitor):
    owner, stranger = visitor(), visitor()
    room_id = owner.create_room("secret", password="pw")
    stranger.enter(room_id)
    ack = stranger.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert ack["code"] == "not-admitted"


def test_kicks_aimed_wrong_say_which_way(trio):
    room_id, (alice, _bob, _carol), _sockets = trio
    nobody = alice.kick(room_id, "0" * 16)
    assert (nobody.status_code, nobody.json["code"]) == (400, "not-in-room")
    themselves = alice.kick(room_id, alice.handle)
    assert (themselves.status_code, themselves.json["code"]) == (400, "owner-stays")


def test_deleting_another_persons_message_is_not_author(trio):
    room_id, (alice, bob, carol), _sockets = trio
    chat_id = bob.post_chat(room_id, "mine").json["_id"]
    response = carol.send(f"/room/{room_id}/chat/{chat_id}", None, method="DELETE")
    assert (response.status_code, response.json["code"]) == (403, "not-author")


def test_notices_take_nothing_and_say_notice(trio, store):
    room_id, (alice, _bob, _carol), _sockets = trio
    notice = next(chat for chat in store.chats(room_id, limit=10) if chat.user == "system")
    deleted = alice.send(f"/room/{room_id}/chat/{notice.id}", None, method="DELETE")
    reacted = alice.send(f"/room/{room_id}/chat/{notice.id}/reactions", {"emoji": "👍"})
    assert [deleted.json["code"], reacted.json["code"]] == ["notice", "notice"]
