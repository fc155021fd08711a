"""Editing one's own text message: by its author only, told to whoever sees it, kept."""

import pytest

from harness.gifs import gif

from .conftest import seated

pytestmark = pytest.mark.usefixtures("english_first")  # refusals read in English here


def edit(person, room_id, chat_id, text="fixed"):
    return person.send(f"/room/{room_id}/chat/{chat_id}", {"chat": text}, method="PATCH")


def events(sock, name="editChat"):
    return [e["args"][0] for e in sock.get_received("/chat") if e["name"] == name]


def test_the_author_edits_and_everyone_sees_it_live_and_in_history(trio):
    room_id, (alice, bob, _carol), (_a, bob_sock, carol_sock) = trio
    chat_id = alice.post_chat(room_id, "helo").json["_id"]
    bob_sock.get_received("/chat")
    carol_sock.get_received("/chat")
    answer = edit(alice, room_id, chat_id, "  hello  ")
    assert answer.status_code == 200
    assert answer.json["chat"] == "hello" and answer.json["_id"] == chat_id
    edited_at = answer.json["editedAt"]
    assert edited_at.endswith("Z") and edited_at >= answer.json["createdAt"]
    told = {"_id": chat_id, "room": room_id, "chat": "hello", "editedAt": edited_at}
    assert events(bob_sock) == [told]
    assert events(carol_sock) == [told]
    for query in ("", "?after_seq=0", "?q=HELL"):  # history, the replay and search
        [kept] = [c for c in bob.client.get(f"/room/{room_id}/chats{query}").json["chats"]
                  if c["_id"] == chat_id]  # fmt: skip
        assert (kept["chat"], kept["editedAt"]) == ("hello", edited_at)


def test_an_unedited_message_has_no_edit_time(room):
    owner, room_id = room
    assert "editedAt" not in owner.post_chat(room_id, "as sent").json


def test_a_whisper_edit_reaches_its_two_people_only(trio):
    room_id, (alice, bob, _carol), (alice_sock, bob_sock, carol_sock) = trio
    chat_id = alice.whisper(room_id, bob.handle, "meet at 8").json["_id"]
    for sock in (alice_sock, bob_sock, carol_sock):
        sock.get_received("/chat")
    assert edit(alice, room_id, chat_id, "meet at 9").status_code == 200
    assert [e["chat"] for e in events(bob_sock)] == ["meet at 9"]
    assert [e["chat"] for e in events(alice_sock)] == ["meet at 9"]
    assert carol_sock.get_received("/chat") == []


def test_someone_elses_message_is_403_even_for_the_owner_or_the_same_color(trio, store):
    room_id, (alice, bob, carol), _socks = trio
    chat_id = bob.post_chat(room_id, "bob's words").json["_id"]
    with carol.client.session_transaction() as session:
        session["color"] = bob.color  # a color is a name, not an identity
    for person in (alice, carol):  # alice owns the room
        answer = edit(person, room_id, chat_id)
        assert answer.status_code == 403
        assert answer.json == {"error": "Only its author can edit a message.", "code": "not-author"}
    assert store.get_chat(chat_id).chat == "bob's words"


def test_gifs_and_notices_cannot_be_edited(member, store):
    person, room_id = member
    gif_id = person.post_gif(room_id, gif()).json["_id"]
    [notice] = [c for c in store.chats(room_id, limit=10) if c.kind == "join"]
    for chat_id in (gif_id, notice.id):
        answer = edit(person, room_id, chat_id)
        assert answer.status_code == 400
        assert answer.json == {"error": "Only text messages can be edited.", "code": "not-text"}


@pytest.mark.parametrize("chat_id", ["0" * 24, "nope", "ABCDEF0123456789abcdef01"])
def test_unknown_or_malformed_ids_are_404(room, chat_id):
    owner, room_id = room
    assert edit(owner, room_id, chat_id).status_code == 404


def test_another_rooms_message_and_someone_elses_whisper_are_404(trio, store):
    room_id, (alice, bob, carol), _socks = trio
    whisper_id = alice.whisper(room_id, bob.handle, "private").json["_id"]
    assert edit(carol, room_id, whisper_id).status_code == 404
    elsewhere = alice.create_room("Elsewhere")
    alice.join(elsewhere)  # a second tab; the first is still in the first room
    theirs = alice.post_chat(elsewhere, "over here").json["_id"]
    assert edit(alice, room_id, theirs).status_code == 404
    assert store.get_chat(theirs).chat == "over here"
    assert store.get_chat(whisper_id).chat == "private"


@pytest.mark.parametrize(
    "body, message",
    [
        ({"chat": "   "}, "Write a message."),
        ({"chat": 5}, "Write a message."),
        ({}, "Write a message."),
        ({"chat": "x" * 1001}, "A message can be at most 1000 characters."),
    ],
)
def test_bad_text_is_refused_whole_and_changes_nothing(room, store, body, message):
    owner, room_id = room
    chat_id = owner.post_chat(room_id, "original").json["_id"]
    answer = owner.send(f"/room/{room_id}/chat/{chat_id}", body, method="PATCH")
    assert (answer.status_code, answer.json["error"]) == (400, message)
    assert store.get_chat(chat_id).chat == "original"
    assert store.get_chat(chat_id).edited_at is None


def test_someone_not_in_the_room_any_more_cannot_edit(visitor, room, store):
    owner, room_id = room
    guest = visitor()
    sock = guest.join(room_id)
    chat_id = guest.post_chat(room_id, "still here").json["_id"]
    sock.disconnect(namespace="/chat")
    assert edit(guest, room_id, chat_id).status_code == 403
    assert store.get_chat(chat_id).chat == "still here"


def test_without_the_csrf_token_nothing_changes(room, store):
    owner, room_id = room
    chat_id = owner.post_chat(room_id, "original").json["_id"]
    answer = owner.client.patch(f"/room/{room_id}/chat/{chat_id}", json={"chat": "forged"})
    assert answer.status_code == 400
    assert store.get_chat(chat_id).chat == "original"


@pytest.fixture
def limited(config):
    config["RATELIMIT_ENABLED"] = True
    config["RATELIMIT_EDIT"] = "3 per minute"


@pytest.mark.usefixtures("limited")
def test_a_script_editing_fast_gets_429_with_retry_after(room, clock, store):
    owner, room_id = room
    chat_id = owner.post_chat(room_id, "v0").json["_id"]
    answers = [edit(owner, room_id, chat_id, f"v{n}") for n in range(1, 5)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "editing messages too fast" in answers[-1].json["error"]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 61
    assert store.get_chat(chat_id).chat == "v3"


def test_an_edit_after_the_room_is_seated_again_is_told_once(visitor, room):
    owner, room_id = room
    guest = visitor()
    [sock] = seated(room_id, [guest])
    chat_id = owner.post_chat(room_id, "once").json["_id"]
    edit(owner, room_id, chat_id, "twice")
    assert [e["chat"] for e in events(sock)] == ["twice"]
