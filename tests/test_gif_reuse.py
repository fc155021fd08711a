"""Sending a GIF again: the picker's list, and {"reuse": name} instead of an upload."""

import pytest

from harness.gifs import gif

pytestmark = pytest.mark.usefixtures("english_first")  # refusals read in English here


def recent(person, room_id):
    return person.client.get(f"/room/{room_id}/gifs", headers={"Accept": "application/json"})


def reuse(person, room_id, name):
    return person.send(f"/room/{room_id}/gif", {"reuse": name})


@pytest.fixture
def guest_with_own_gif(visitor, room):
    """The room, and a guest in it who sent a GIF in a room of their own."""
    owner, room_id = room
    guest = visitor()
    guest.join(room_id)
    elsewhere = guest.create_room("Elsewhere")
    guest.join(elsewhere)
    mine = guest.post_gif(elsewhere, gif(frames=2)).json["gif"]
    return (owner, room_id), (guest, elsewhere, mine)


def test_the_rooms_gifs_and_my_own_newest_first(guest_with_own_gif):
    (owner, room_id), (guest, elsewhere, mine) = guest_with_own_gif
    theirs = owner.post_gif(room_id, gif()).json["gif"]
    response = recent(guest, room_id)
    assert response.status_code == 200 and response.json == {"gifs": [theirs, mine]}
    assert recent(owner, room_id).json == {"gifs": [theirs]}


def test_the_list_follows_configuration(room, app):
    owner, room_id = room
    names = [owner.post_gif(room_id, gif(frames=n + 1)).json["gif"] for n in range(3)]
    app.config["GIF_RECENT_LIMIT"] = 2
    assert recent(owner, room_id).json == {"gifs": names[:0:-1]}


def test_sent_again_live_without_uploading(visitor, room, store):
    owner, room_id = room
    name = owner.post_gif(room_id, gif()).json["gif"]
    guest = visitor()
    listening = guest.join(room_id)
    listening.get_received("/chat")
    response = reuse(guest, room_id, name)
    assert response.status_code == 201
    chat = response.json
    assert (chat["user"], chat["gif"], chat["room"]) == (guest.color, name, room_id)
    assert [(e["name"], e["args"]) for e in listening.get_received("/chat")] == [("chat", [chat])]


def test_my_own_gif_from_another_room_outlives_that_room(guest_with_own_gif):
    (owner, room_id), (guest, elsewhere, mine) = guest_with_own_gif
    chat = reuse(guest, room_id, mine).json
    assert guest.delete_room(elsewhere).status_code == 204
    served = guest.client.get(f"/gif/{chat['gif']}", buffered=True)
    assert served.status_code == 200 and served.data == gif(frames=2)


def test_someone_elses_gif_from_another_room_is_not_mine_to_send(visitor, room, store):
    owner, room_id = room
    stranger = visitor()
    elsewhere = stranger.create_room("Elsewhere")
    stranger.join(elsewhere)
    theirs = stranger.post_gif(elsewhere, gif()).json["gif"]
    before = store.chats(room_id, limit=50)
    response = reuse(owner, room_id, theirs)
    assert response.status_code == 404 and response.json["error"] == "No such GIF."
    assert store.chats(room_id, limit=50) == before
    assert theirs not in recent(owner, room_id).json["gifs"]


@pytest.mark.parametrize(
    "body, status, error",
    [
        ({"reuse": None}, 400, "Choose a GIF."),
        ({"reuse": 7}, 400, "Choose a GIF."),
        ({"reuse": ""}, 400, "Choose a GIF."),
        ({"reuse": ["x"]}, 400, "Choose a GIF."),
        ({}, 400, "Choose a GIF."),
        ({"reuse": "../instance/gifchat.sqlite3"}, 404, "No such GIF."),
        ({"reuse": "0" * 24 + ".gif"}, 404, "No such GIF."),
    ],
)
def test_bad_input(room, store, body, status, error):
    owner, room_id = room
    before = store.chats(room_id, limit=50)
    response = owner.send(f"/room/{room_id}/gif", body)
    assert (response.status_code, response.json["error"]) == (status, error)
    assert store.chats(room_id, limit=50) == before


def test_not_admitted_and_unknown_rooms(visitor, room):
    owner, room_id = room
    name = owner.post_gif(room_id, gif()).json["gif"]
    stranger = visitor()
    assert recent(stranger, room_id).status_code == 403
    assert reuse(stranger, room_id, name).status_code == 403
    stranger.enter(room_id)  # admitted, but without the page's socket: not in the room
    assert recent(stranger, room_id).status_code == 200
    assert reuse(stranger, room_id, name).status_code == 403
    assert recent(owner, "0" * 24).status_code == 404
    assert recent(owner, "nope").status_code == 404
    assert reuse(owner, "0" * 24, name).status_code == 404


def test_without_csrf_token_nothing_is_sent(room, store):
    owner, room_id = room
    name = owner.post_gif(room_id, gif()).json["gif"]
    before = store.chats(room_id, limit=50)
    response = owner.client.post(f"/room/{room_id}/gif", json={"reuse": name})
    assert response.status_code == 400
    assert store.chats(room_id, limit=50) == before
