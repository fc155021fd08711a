"""Deleting a message: by its author or the room's owner, live for everyone and from history."""

import pytest

from harness.gifs import gif

pytestmark = pytest.mark.usefixtures("english_first")  # refusals read in English here


@pytest.fixture
def room(room, visitor):
    """A public room with its owner inside, and a guest who posted a message."""
    (owner, room_id), guest = room, visitor()
    guest.join(room_id)
    return owner, guest, room_id


def delete(person, room_id, chat_id, **kwargs):
    return person.send(f"/room/{room_id}/chat/{chat_id}", None, method="DELETE", **kwargs)


def history(person, room_id):
    return [chat["_id"] for chat in person.client.get(f"/room/{room_id}/chats").json["chats"]]


@pytest.mark.parametrize("who", ["author", "owner"])
def test_author_or_owner_deletes_for_everyone_live_and_in_history(visitor, room, who):
    owner, guest, room_id = room
    chat_id = guest.post_chat(room_id, "regret").json["_id"]
    third = visitor()
    listening = third.join(room_id)
    listening.get_received("/chat")
    response = delete(guest if who == "author" else owner, room_id, chat_id)
    assert response.status_code == 204 and response.data == b""
    events = listening.get_received("/chat")
    assert [(e["name"], e["args"]) for e in events] == [
        ("deleteChat", [{"_id": chat_id, "room": room_id}])
    ]
    assert chat_id not in history(third, room_id)
    assert "regret" not in third.enter(room_id).text


def test_someone_else_may_not_delete(visitor, room, store):
    owner, guest, room_id = room
    chat_id = owner.post_chat(room_id, "mine").json["_id"]
    response = delete(guest, room_id, chat_id)
    assert response.status_code == 403
    assert response.json["error"] == "Only its author or the room's owner can delete a message."
    assert store.get_chat(chat_id) is not None


def test_notices_cannot_be_deleted(room, store):
    owner, guest, room_id = room
    notice = next(c for c in store.chats(room_id, limit=10) if c.kind == "join")
    assert delete(owner, room_id, notice.id).status_code == 403
    assert store.get_chat(notice.id) is not None


@pytest.mark.parametrize("chat_id", ["0" * 24, "nope", "A" * 24, "0" * 25])
def test_unknown_or_malformed_message_is_404(room, chat_id):
    owner, _guest, room_id = room
    owner.post_chat(room_id, "stays")
    before = history(owner, room_id)
    response = delete(owner, room_id, chat_id)
    assert response.status_code == 404 and response.json["error"] == "That message does not exist."
    assert history(owner, room_id) == before


def test_a_message_of_another_room_is_unknown_here(visitor, room, store):
    owner, _guest, room_id = room
    other_room = owner.create_room("Other")
    owner.join(other_room)
    chat_id = owner.post_chat(other_room, "elsewhere").json["_id"]
    assert delete(owner, room_id, chat_id).status_code == 404
    assert store.get_chat(chat_id) is not None


def test_not_admitted_and_unknown_rooms(visitor, room, store):
    owner, _guest, room_id = room
    chat_id = owner.post_chat(room_id, "stays").json["_id"]
    stranger = visitor()
    assert delete(stranger, room_id, chat_id).status_code == 403
    stranger.enter(room_id)  # admitted, but without the page's socket: not in the room
    response = delete(stranger, room_id, chat_id)
    assert response.status_code == 403
    assert response.json["error"] == "Join the room first: open its page to take part."
    assert delete(owner, "0" * 24, chat_id).status_code == 404
    assert store.get_chat(chat_id) is not None


def test_without_csrf_token_nothing_is_deleted(room, store):
    owner, _guest, room_id = room
    chat_id = owner.post_chat(room_id, "stays").json["_id"]
    response = owner.client.delete(
        f"/room/{room_id}/chat/{chat_id}", headers={"Accept": "application/json"}
    )
    assert response.status_code == 400
    assert store.get_chat(chat_id) is not None


def test_someone_elses_whisper_is_unknown_even_to_the_owner(visitor, room, store):
    owner, guest, room_id = room
    third = visitor()
    third.join(room_id)
    chat_id = guest.whisper(room_id, third.handle).json["_id"]
    assert delete(owner, room_id, chat_id).status_code == 404
    assert store.get_chat(chat_id) is not None


def test_a_deleted_whisper_is_announced_to_its_two_people_only(visitor, room):
    owner, guest, room_id = room
    third = visitor()
    sockets = {name: person.join(room_id) for name, person in
               [("owner", owner), ("guest", guest), ("third", third)]}  # fmt: skip
    chat_id = guest.whisper(room_id, third.handle).json["_id"]
    for sock in sockets.values():
        sock.get_received("/chat")
    assert delete(guest, room_id, chat_id).status_code == 204
    assert sockets["owner"].names() == []
    assert sockets["guest"].names() == ["deleteChat"]
    assert sockets["third"].names() == ["deleteChat"]


def test_a_deleted_gif_goes_with_its_file_unless_sent_again(room):
    owner, guest, room_id = room
    first = guest.post_gif(room_id, gif()).json
    again = owner.send(f"/room/{room_id}/gif", {"reuse": first["gif"]}).json
    assert again["gif"] == first["gif"]
    assert delete(guest, room_id, first["_id"]).status_code == 204
    assert guest.client.get(f"/gif/{first['gif']}", buffered=True).status_code == 200
    assert delete(owner, room_id, again["_id"]).status_code == 204
    assert guest.client.get(f"/gif/{first['gif']}", buffered=True).status_code == 404
