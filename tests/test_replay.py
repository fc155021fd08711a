"""Catching up after a reconnect: history after a message, and the lobby as JSON."""

import pytest

NOT_AN_ID = "메시지 id가 올바르지 않습니다."


def after(person, room_id, cursor, **params):
    return person.client.get(f"/room/{room_id}/chats", query_string={"after": cursor, **params})


def catch_up(person, room_id, cursor) -> list[dict]:
    """Page with after= from cursor until an empty page, as the page does on reconnect."""
    seen = []
    for _ in range(100):  # bounded: each page moves the cursor on
        response = after(person, room_id, cursor)
        assert response.status_code == 200, response.text
        page = response.json["chats"]
        if not page:
            return seen
        seen += page
        cursor = page[-1]["_id"]
    raise AssertionError("catching up never ended")


def test_catching_up_gets_every_later_message_once_in_order(room, visitor, app):
    owner, room_id = room
    app.config["HISTORY_PAGE_SIZE"] = 3
    bob = visitor()
    bob.join(room_id)
    last_seen = bob.client.get(f"/room/{room_id}/chats").json["chats"][0]["_id"]
    sent = [owner.post_chat(room_id, f"m{n}").json for n in range(8)]
    first = after(bob, room_id, last_seen).json["chats"]
    assert first == sent[:3]  # one page, oldest first
    assert catch_up(bob, room_id, last_seen) == sent
    assert catch_up(bob, room_id, sent[-1]["_id"]) == []


def test_catching_up_never_includes_other_peoples_whispers(room, visitor):
    owner, room_id = room
    bob, carol = visitor(), visitor()
    bob.join(room_id)
    carol.join(room_id)
    start = owner.post_chat(room_id, "start").json["_id"]
    whisper = owner.client.post(
        f"/room/{room_id}/chat",
        json={"chat": "for bob", "to": bob.handle},
        headers={"X-CSRFToken": owner.csrf},
    )
    assert whisper.status_code == 201, whisper.text
    public = owner.post_chat(room_id, "for all").json

    def texts(person):
        return [chat["chat"] for chat in catch_up(person, room_id, start)]

    assert texts(carol) == ["for all"] == [public["chat"]]
    assert texts(bob) == ["for bob", "for all"]
    assert texts(owner) == ["for bob", "for all"]


@pytest.mark.parametrize("cursor", ["", "nope", "0" * 23, "0" * 25, "G" * 24, "A" * 24])
def test_a_malformed_after_is_400(room, cursor):
    owner, room_id = room
    response = after(owner, room_id, cursor)
    assert (response.status_code, response.json) == (400, {"error": NOT_AN_ID, "code": "invalid"})


def test_before_and_after_together_are_400(room):
    owner, room_id = room
    cursor = owner.post_chat(room_id, "hello").json["_id"]
    response = after(owner, room_id, cursor, before=cursor)
    assert response.status_code == 400
    assert response.json == {
        "error": "이전 메시지와 이후 메시지를 한꺼번에 요청할 수 없습니다.",
        "code": "invalid",
    }


def test_catching_up_is_for_admitted_sessions_only(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    alice.join(room_id)
    start = alice.post_chat(room_id, "start").json["_id"]
    alice.post_chat(room_id, "private")
    response = after(bob, room_id, start)
    assert response.status_code == 403 and "private" not in response.text
    assert after(bob, "0" * 24, start).status_code == 404


def test_the_lobby_as_json(visitor):
    alice, bob = visitor(), visitor()
    open_id = alice.create_room("Open", max=5)
    secret_id = alice.create_room("Hidden", max=3, password="sesame")
    bob.join(open_id)
    response = visitor().client.get("/rooms")
    assert response.status_code == 200 and response.mimetype == "application/json"
    rooms = response.json["rooms"]
    assert [(r["_id"], r["title"], r["max"], r["password"]) for r in rooms] == [
        (open_id, "Open", 5, False),
        (secret_id, "Hidden", 3, True),
    ]
    assert [r["count"] for r in rooms] == [1, 0]
    keys = {"_id", "title", "max", "owner", "password", "createdAt", "count", "closed", "closesAt"}
    assert all(set(r) == keys and r["closed"] is False for r in rooms)
    assert "sesame" not in response.text and alice.color == rooms[0]["owner"]


def test_the_lobby_as_json_follows_rooms_going(visitor):
    alice = visitor()
    room_id = alice.create_room("Soon gone")
    assert [r["_id"] for r in alice.client.get("/rooms").json["rooms"]] == [room_id]
    assert alice.delete_room(room_id).status_code == 204
    assert alice.client.get("/rooms").json["rooms"] == []
