"""Replies: a message quoting another of the room; a whisper's words stay with its two people."""

import pytest

from harness.gifs import gif

pytestmark = pytest.mark.usefixtures("english_first")  # refusals read in English here


def reply(person, room_id, reply_to, text="answer", **extra):
    return person.send(f"/room/{room_id}/chat", {"chat": text, "replyTo": reply_to, **extra})


def received(sock):
    return [e["args"][0] for e in sock.get_received("/chat") if e["name"] == "chat"]


def test_a_reply_quotes_the_start_of_the_original_as_it_was(trio):
    room_id, (alice, bob, _carol), (_a, _b, carol_sock) = trio
    alice.rename("Alice")
    original = alice.post_chat(room_id, "가" * 150).json
    carol_sock.get_received("/chat")
    answer = reply(bob, room_id, original["_id"], "good point")
    assert answer.status_code == 201
    quoted = {"_id": original["_id"], "handle": alice.handle, "name": "Alice"}
    quoted["excerpt"] = "가" * 100
    assert answer.json["replyTo"] == quoted
    assert [c["replyTo"] for c in received(carol_sock)] == [quoted]
    alice.send(f"/room/{room_id}/chat/{original['_id']}", {"chat": "changed"}, method="PATCH")
    [kept] = [c for c in bob.client.get(f"/room/{room_id}/chats").json["chats"]
              if c["_id"] == answer.json["_id"]]  # fmt: skip
    assert kept["replyTo"] == quoted  # taken when the reply was sent


def test_a_reply_to_a_gif_quotes_a_marker_and_gifs_can_reply(member, visitor):
    person, room_id = member
    gif_chat = person.post_gif(room_id, gif()).json
    answer = reply(person, room_id, gif_chat["_id"], "nice")
    assert answer.json["replyTo"]["excerpt"] == "GIF"
    text_id = answer.json["_id"]
    reused = person.send(f"/room/{room_id}/gif", {"reuse": gif_chat["gif"], "replyTo": text_id})
    assert reused.status_code == 201
    assert reused.json["replyTo"]["_id"] == text_id and reused.json["replyTo"]["excerpt"] == "nice"


def test_an_uploaded_gif_replies_by_its_form_field(member):
    from io import BytesIO

    person, room_id = member
    text_id = person.post_chat(room_id, "send a cat").json["_id"]
    answer = person.client.post(
        f"/room/{room_id}/gif",
        data={"gif": (BytesIO(gif()), "cat.gif", "image/gif"), "replyTo": text_id},
        headers={"X-CSRFToken": person.csrf, "Accept": "application/json"},
    )
    assert answer.status_code == 201
    assert answer.json["replyTo"]["excerpt"] == "send a cat"


@pytest.mark.parametrize("reply_to", ["0" * 24, "nope", 7, ["x"]])
def test_unknown_or_malformed_originals_are_404(room, store, reply_to):
    owner, room_id = room
    before = len(store.chats(room_id, limit=50))
    assert reply(owner, room_id, reply_to).status_code == 404
    assert len(store.chats(room_id, limit=50)) == before


def test_a_notice_cannot_be_answered(room, store):
    owner, room_id = room
    [notice] = [c for c in store.chats(room_id, limit=10) if c.kind == "join"]
    answer = reply(owner, room_id, notice.id)
    assert answer.status_code == 400
    assert answer.json == {"error": "Notices cannot be replied to.", "code": "notice"}


def test_another_rooms_message_is_404(room, visitor):
    owner, room_id = room
    other = visitor()
    elsewhere = other.create_room("Elsewhere")
    other.join(elsewhere)
    theirs = other.post_chat(elsewhere, "not here").json["_id"]
    assert reply(owner, room_id, theirs).status_code == 404


def test_a_reply_to_a_whisper_is_a_whisper_to_the_same_person(trio, store):
    room_id, (alice, bob, carol), (alice_sock, bob_sock, carol_sock) = trio
    whisper = alice.whisper(room_id, bob.handle, "the code is 1234").json
    for sock in (alice_sock, bob_sock, carol_sock):
        sock.get_received("/chat")
    answer = reply(bob, room_id, whisper["_id"], "got it")  # no "to": it whispers back
    assert answer.status_code == 201
    assert answer.json["toHandle"] == alice.handle
    assert answer.json["replyTo"]["excerpt"] == "the code is 1234"
    assert [c["chat"] for c in received(alice_sock)] == ["got it"]
    assert carol_sock.get_received("/chat") == []
    again = reply(alice, room_id, whisper["_id"], "good", to=bob.handle)
    assert again.status_code == 201 and again.json["toHandle"] == bob.handle
    assert carol_sock.get_received("/chat") == []
    carols_history = carol.client.get(f"/room/{room_id}/chats").json["chats"]
    assert not [c for c in carols_history if "1234" in str(c)]


def test_a_whispers_words_never_go_to_anyone_else(trio, store):
    room_id, (alice, bob, carol), (_a, _b, carol_sock) = trio
    whisper_id = alice.whisper(room_id, bob.handle, "the code is 1234").json["_id"]
    carol_sock.get_received("/chat")
    before = len(store.chats(room_id, limit=50, viewer_key=None))
    to_carol = reply(bob, room_id, whisper_id, "telling carol", to=carol.handle)
    assert to_carol.status_code == 400
    assert to_carol.json["error"] == "A reply to a whisper is whispered to the same person."
    assert to_carol.json["code"] == "whisper-reply"
    assert reply(carol, room_id, whisper_id, "what code?").status_code == 404  # not hers to see
    gif_reply = bob.send(f"/room/{room_id}/gif", {"reuse": "a.gif", "replyTo": whisper_id})
    assert gif_reply.status_code == 400 and gif_reply.json["code"] == "whisper-reply"
    assert carol_sock.get_received("/chat") == []
    assert len(store.chats(room_id, limit=50, viewer_key=None)) == before


def test_a_public_message_may_be_answered_in_a_whisper(trio):
    room_id, (alice, bob, _carol), (_a, _b, carol_sock) = trio
    public = alice.post_chat(room_id, "who's in?").json["_id"]
    carol_sock.get_received("/chat")
    answer = reply(bob, room_id, public, "me, quietly", to=alice.handle)
    assert answer.status_code == 201 and answer.json["replyTo"]["_id"] == public
    assert carol_sock.get_received("/chat") == []
