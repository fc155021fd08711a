"""Input that parses but that nothing can store or answer: a clear 400, and nothing changes."""

import pytest

DEEP = "[" * 20_000 + "]" * 20_000  # json.loads recurses once per level; within BODY_MAX_BYTES
LONE_SURROGATE = "half a pair: \ud800"
NOT_JSON = "The request is not valid JSON."
NOT_TEXT = "The text contains a character that is not allowed."


@pytest.fixture
def room(visitor):
    """Alice owns a room and is in it with Bob."""
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Calm")
    alice.join(room_id)
    bob.join(room_id)
    return room_id, alice, bob


def raw_json(person, path, body: str):
    """A JSON request whose body is written by hand, as a script could send it."""
    return person.client.post(
        path, data=body, content_type="application/json", headers={"X-CSRFToken": person.csrf}
    )


def test_deeply_nested_json_is_400(room, store):
    room_id, alice, _ = room
    alice.choose_english()
    before = store.chats(room_id, limit=100)
    for path in (f"/room/{room_id}/chat", f"/room/{room_id}/kick"):
        response = raw_json(alice, path, DEEP)
        assert (response.status_code, response.json) == (
            400,
            {"error": NOT_JSON, "code": "invalid"},
        ), path
    assert store.chats(room_id, limit=100) == before
    assert [r.title for r in store.list_rooms()] == ["Calm"]


def test_a_chat_with_a_lone_surrogate_is_400_and_stores_nothing(room, store):
    room_id, alice, bob = room
    alice.choose_english()
    sock = bob.sockets[0]
    sock.get_received("/chat")
    before = store.chats(room_id, limit=100)
    response = alice.post_chat(room_id, LONE_SURROGATE)
    assert (response.status_code, response.json) == (400, {"error": NOT_TEXT, "code": "invalid"})
    assert store.chats(room_id, limit=100) == before
    assert sock.get_received("/chat") == []


def test_a_surrogate_pair_is_text(room):
    room_id, alice, _ = room
    response = raw_json(alice, f"/room/{room_id}/chat", '{"chat": "smile \\ud83d\\ude00"}')
    assert response.status_code == 201 and response.json["chat"] == "smile \U0001f600"


@pytest.mark.parametrize("field", ["to", "user"])
def test_whispers_and_kicks_aimed_at_a_lone_surrogate_are_400(room, store, field):
    room_id, alice, bob = room
    path = f"/room/{room_id}/chat" if field == "to" else f"/room/{room_id}/kick"
    response = alice.send(path, {"chat": "psst", field: "\udfff"})
    assert response.status_code == 400 and response.json["error"]
    assert store.get_room(room_id).banned == frozenset()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("", id="empty"),
        pytest.param('{"chat": "unterminated', id="truncated"),
        pytest.param("[1, 2", id="open-array"),
    ],
)
def test_a_body_that_is_not_json_is_400(room, store, body):
    room_id, alice, _ = room
    alice.choose_english()
    response = raw_json(alice, f"/room/{room_id}/chat", body)
    assert (response.status_code, response.json) == (400, {"error": NOT_JSON, "code": "invalid"})
    assert [c for c in store.chats(room_id, limit=100) if c.kind is None] == []


FORM_AS_JSON = [DEEP, "42", '"title"', "[1, 2]", '{"title": 5}', '{"max": {}}',
                '{"title": "\\ud800"}']  # fmt: skip


@pytest.mark.parametrize("body", FORM_AS_JSON, ids=range(len(FORM_AS_JSON)))
def test_forms_read_form_fields_not_json(visitor, store, body):
    alice, bob = visitor(), visitor()
    response = raw_json(alice, "/room", body)
    assert response.status_code == 400 and "방 제목을 입력하세요." in response.text
    assert store.list_rooms() == []
    room_id = alice.create_room("Secret", password="sesame")
    response = raw_json(bob, f"/room/{room_id}/password", body.replace("title", "password"))
    assert response.status_code == 400
    assert 'id="chat-list"' not in bob.enter(room_id).text
