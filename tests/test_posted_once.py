"""A message sent again after its answer was lost is stored once (`Idempotency-Key`)."""

import pytest

from app.chat.once import PENDING
from harness.gifs import gif

pytestmark = pytest.mark.usefixtures("english_first")


def post(person, room_id, text, key):
    return person.client.post(
        f"/room/{room_id}/chat",
        json={"chat": text},
        headers={"X-CSRFToken": person.csrf, "Idempotency-Key": key},
    )


def texts(person, room_id):
    chats = person.client.get(f"/room/{room_id}/chats").json["chats"]
    return [chat["chat"] for chat in chats if chat["user"] != "system"]


def heard(sock):
    return [e["args"][0]["chat"] for e in sock.get_received("/chat") if e["name"] == "chat"]


def test_a_post_sent_again_with_its_key_is_stored_and_told_once(room, visitor):
    owner, room_id = room
    bob = visitor()
    listening = bob.join(room_id)
    listening.get_received("/chat")
    first = post(owner, room_id, "hello once", "k" * 32)
    again = post(owner, room_id, "hello once", "k" * 32)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert texts(owner, room_id).count("hello once") == 1
    assert heard(listening) == ["hello once"]


def test_keys_are_each_visitors_own_and_each_rooms_own(room, visitor):
    owner, room_id = room
    bob = visitor()
    bob.join(room_id)
    other = owner.create_room("other")
    owner.join(other)
    key = "same-key-for-all"
    ids = {
        post(owner, room_id, "from the owner", key).json["_id"],
        post(bob, room_id, "from bob", key).json["_id"],
        post(owner, other, "in the other room", key).json["_id"],
    }
    assert len(ids) == 3


def test_without_a_key_each_post_is_a_message(room):
    owner, room_id = room
    for _ in range(2):
        assert owner.post_chat(room_id, "twice").status_code == 201
    assert texts(owner, room_id).count("twice") == 2


@pytest.mark.parametrize("key", ["", "short", "k" * 65, "has space in it", "ключ-ключ-ключ"])
def test_a_malformed_key_is_refused_and_nothing_is_stored(room, key):
    owner, room_id = room
    response = post(owner, room_id, "keyed badly", key)
    assert (response.status_code, response.json["code"]) == (400, "invalid")
    assert "Idempotency-Key" in response.json["error"]
    assert "keyed badly" not in texts(owner, room_id)


def test_a_refused_post_frees_its_key(room, app):
    owner, room_id = room
    key = "refused-then-fine"
    too_long = "x" * (app.config["CHAT_MAX_LENGTH"] + 1)
    assert post(owner, room_id, too_long, key).json["code"] == "too-long"
    assert post(owner, room_id, "shorter now", key).status_code == 201
    assert texts(owner, room_id) == ["shorter now"]


def test_a_message_deleted_since_is_not_brought_back(room):
    owner, room_id = room
    key = "sent-then-deleted"
    chat = post(owner, room_id, "regretted", key).json
    assert (
        owner.client.delete(
            f"/room/{room_id}/chat/{chat['_id']}", headers={"X-CSRFToken": owner.csrf}
        ).status_code
        == 204
    )
    again = post(owner, room_id, "regretted", key)
    assert (again.status_code, again.json["code"]) == (409, "deleted")
    assert texts(owner, room_id) == []


def test_a_post_still_being_stored_is_answered_wait(room, app):
    owner, room_id = room
    with owner.client.session_transaction() as session:
        mine = session["user_key"]
    app.extensions["posted_once"].add(f"{mine}:{room_id}:in-flight-key", PENDING)
    response = post(owner, room_id, "meanwhile", "in-flight-key")
    assert (response.status_code, response.json["code"]) == (409, "in-progress")
    assert response.headers["Retry-After"] == "1"
    assert texts(owner, room_id) == []


def gifs_in(person, room_id):
    chats = person.client.get(f"/room/{room_id}/chats").json["chats"]
    return [chat["gif"] for chat in chats if chat.get("gif")]


def test_a_gif_uploaded_again_with_its_key_is_stored_and_told_once(room, visitor, store):
    owner, room_id = room
    listening = visitor().join(room_id)
    listening.get_received("/chat")
    keyed = {"Idempotency-Key": "gif-key-0001"}
    first = owner.post_gif(room_id, gif(frames=2), headers=keyed)
    again = owner.post_gif(room_id, gif(frames=2), headers=keyed)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert gifs_in(owner, room_id) == [first.json["gif"]]
    told = [e for e in listening.get_received("/chat") if e["name"] == "chat"]
    assert [e["args"][0]["_id"] for e in told] == [first.json["_id"]]


def test_a_gif_sent_again_with_its_key_is_stored_once(room):
    owner, room_id = room
    name = owner.post_gif(room_id, gif()).json["gif"]
    keyed = {"X-CSRFToken": owner.csrf, "Idempotency-Key": "reuse-key-01"}
    answers = [
        owner.client.post(f"/room/{room_id}/gif", json={"reuse": name}, headers=keyed)
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json == answers[1].json
    assert len(gifs_in(owner, room_id)) == 2  # the upload, and the one sent again


def test_a_refused_upload_frees_its_key(room):
    owner, room_id = room
    keyed = {"Idempotency-Key": "not-a-gif-yet"}
    refused = owner.post_gif(room_id, b"GIF89a not really", headers=keyed)
    assert refused.status_code == 400
    assert owner.post_gif(room_id, gif(), headers=keyed).status_code == 201
    assert len(gifs_in(owner, room_id)) == 1
