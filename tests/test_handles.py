"""Handles: who a kick or a whisper is aimed at, and the owner's mark, which no color can fake."""

import pytest

from .pages import page_data

STRANGER = "0" * 16  # a well-formed handle nobody has


def force_color(person, color):
    """Give person this color, as reloading without a cookie until it comes up would."""
    with person.client.session_transaction() as session:
        session["color"] = color
    person.color = color


def chats_of(sock):
    return [e["args"][0] for e in sock.get_received("/chat") if e["name"] == "chat"]


@pytest.fixture
def impostor(visitor):
    """Alice owns a room; Eve, in it too, took Alice's color; Bob watches."""
    alice, eve, bob = visitor(), visitor(), visitor()
    force_color(eve, alice.color)
    room_id = alice.create_room("Mine")
    socks = [alice.join(room_id), eve.join(room_id), bob.join(room_id)]
    for sock in socks:
        sock.get_received("/chat")
    return room_id, (alice, eve, bob), socks


def test_each_visitor_has_a_handle_of_their_own_that_says_nothing_private(visitor, app):
    alice, bob = visitor(), visitor()
    assert alice.handle != bob.handle
    assert len(alice.handle) == 16 and int(alice.handle, 16) >= 0
    with alice.client.session_transaction() as session:
        assert alice.handle not in session["user_key"]
    alice.client.get("/")  # a later request keeps it
    assert alice.client.get("/me").json == {
        "handle": alice.handle,
        "color": alice.color,
        "name": None,
    }


def test_the_join_ack_says_which_member_i_am(visitor):
    alice = visitor()
    room_id = alice.create_room()
    alice.enter(room_id)
    ack = alice.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert ack["me"] == alice.handle
    assert ack["members"] == [
        {"handle": alice.handle, "color": alice.color, "name": None, "owner": True}
    ]


def test_an_impostor_is_not_marked_as_the_owner(impostor):
    room_id, (alice, eve, bob), (a, e, b) = impostor
    members = bob.socket().emit("join", room_id, namespace="/chat", callback=True)["members"]
    assert [(m["handle"], m["owner"]) for m in members if m["color"] == alice.color] == [
        (alice.handle, True),
        (eve.handle, False),
    ]
    real = alice.post_chat(room_id, "I own this").json
    fake = eve.post_chat(room_id, "No, I do").json
    assert real["owner"] is True and real["handle"] == alice.handle
    assert "owner" not in fake and fake["handle"] == eve.handle
    assert real["user"] == fake["user"]  # same color: only the mark tells them apart
    live = {chat["chat"]: chat.get("owner", False) for chat in chats_of(b)}
    assert live == {"I own this": True, "No, I do": False}
    history = page_data(bob.enter(room_id).text, "chats-data")
    marks = {chat.get("chat"): chat.get("owner", False) for chat in history}
    assert (marks["I own this"], marks["No, I do"]) == (True, False)


def test_kicking_the_impostor_never_bans_the_owner(impostor, store):
    room_id, (alice, eve, bob), (a, e, b) = impostor
    assert alice.kick(room_id, eve.handle).status_code == 204
    assert store.get_room(room_id).banned == frozenset([_key(eve)])
    assert [event["name"] for event in e.get_received("/chat")] == ["kicked"]
    assert [event["name"] for event in a.get_received("/chat")] == ["kick"]
    assert alice.post_chat(room_id, "still here").status_code == 201
    assert alice.enter(room_id).status_code == 200
    assert eve.enter(room_id).status_code == 302


def test_the_impostor_cannot_kick_anyone_nor_aim_at_the_owner_by_color(impostor, store):
    room_id, (alice, eve, bob), _ = impostor
    assert eve.kick(room_id, alice.handle).status_code == 403
    assert eve.kick(room_id, bob.handle).status_code == 403
    assert alice.kick(room_id, alice.color).status_code == 400  # a color names nobody
    assert store.get_room(room_id).banned == frozenset()


def test_a_whisper_to_one_of_two_of_a_color_reaches_only_that_one(impostor):
    room_id, (alice, eve, bob), (a, e, b) = impostor
    response = bob.whisper(room_id, alice.handle, "for the real alice")
    assert response.status_code == 201
    assert response.json["toHandle"] == alice.handle and response.json["to"] == alice.color
    assert [c["chat"] for c in chats_of(a)] == ["for the real alice"]
    assert chats_of(e) == []
    assert "for the real alice" not in eve.client.get(f"/room/{room_id}/chats").text
    assert "for the real alice" in alice.client.get(f"/room/{room_id}/chats").text
    bob.whisper(room_id, eve.handle, "for eve")
    assert [c["chat"] for c in chats_of(e)] == ["for eve"]
    assert chats_of(a) == []


def test_notices_name_their_person_by_handle(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    a = alice.join(room_id)
    bob.join(room_id)
    [event] = a.get_received("/chat")
    assert (event["name"], event["args"][0]["handle"]) == ("join", bob.handle)


@pytest.mark.parametrize(
    "target",
    # ("" and null for "to" mean everyone: a message, not a whisper.)
    [STRANGER, "#123456", "0" * 15, "0" * 17, "A" * 16, " ", 42, True, ["0" * 16], {}],
)
def test_kicks_and_whispers_at_no_one_in_the_room_are_400_and_change_nothing(
    impostor, store, target
):
    room_id, (alice, eve, bob), socks = impostor
    before = store.chats(room_id, limit=100, viewer_key=_key(alice))
    kick = alice.kick(room_id, target)
    whisper = alice.whisper(room_id, target)
    for response in (kick, whisper):
        assert response.status_code == 400 and response.json["error"]
    assert store.get_room(room_id).banned == frozenset()
    assert store.chats(room_id, limit=100, viewer_key=_key(alice)) == before
    assert all(sock.get_received("/chat") == [] for sock in socks)


def test_a_handle_from_another_room_is_nobody_here(visitor, store):
    alice, carol = visitor(), visitor()
    here, there = alice.create_room("here"), carol.create_room("there")
    alice.join(here)
    carol.join(there)
    assert alice.kick(here, carol.handle).status_code == 400
    assert alice.whisper(here, carol.handle).status_code == 400
    assert store.get_room(here).banned == frozenset()


def _key(person):
    with person.client.session_transaction() as session:
        return session["user_key"]
