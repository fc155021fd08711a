"""The chapter's exercises: participants, notices as history, whispers, owners, kicks."""

import pytest

from harness.gifs import gif

from .pages import page_data
from .waiting import wait_for


def colors(members):
    return [member["color"] for member in members]


# 1. Participants


def test_join_ack_tells_the_owner_and_who_is_present(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    bob.enter(room_id)
    ack = bob.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert ack == {
        "ok": True,
        "owner": alice.color,
        "members": [
            {"handle": alice.handle, "color": alice.color, "name": None, "owner": True},
            {"handle": bob.handle, "color": bob.color, "name": None, "owner": False},
        ],
        "me": bob.handle,
    }


def test_two_tabs_are_one_participant(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    bob.join(room_id)
    bob.enter(room_id)
    ack = bob.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert colors(ack["members"]) == [alice.color, bob.color]


# 2. Notices are history


def test_notices_are_stored_and_shown_on_entry(visitor, store):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    sock = bob.join(room_id)
    sock.disconnect(namespace="/chat")
    kinds = [(c.kind, c.who) for c in reversed(store.chats(room_id, limit=10))]
    assert kinds == [("join", alice.color), ("join", bob.color), ("exit", bob.color)]
    shown = page_data(visitor().enter(room_id).text, "chats-data")
    assert (shown[-1]["kind"], shown[-1]["who"]) == ("exit", bob.color)
    assert shown[-1]["chat"] == f"{bob.color}님이 퇴장하셨습니다."


# 3. Whispers


def test_a_whisper_reaches_only_its_two_people(trio):
    room_id, (alice, bob, carol), (a, b, c) = trio
    response = alice.whisper(room_id, bob.handle, "for bob only")
    assert response.status_code == 201
    chat = response.json
    assert (chat["to"], chat["user"], chat["chat"]) == (bob.color, alice.color, "for bob only")
    assert [e["args"][0] for e in a.get_received("/chat")] == [chat]
    assert [e["args"][0] for e in b.get_received("/chat")] == [chat]
    assert c.get_received("/chat") == []


def test_a_whisper_is_in_the_histories_of_its_two_people_only(trio):
    room_id, (alice, bob, carol), _ = trio
    alice.whisper(room_id, bob.handle, "secret plan")
    for person, sees in ((alice, True), (bob, True), (carol, False)):
        page = person.enter(room_id).text
        history = person.client.get(f"/room/{room_id}/chats").text
        assert ("secret plan" in page) is sees
        assert ("secret plan" in history) is sees


@pytest.mark.parametrize(
    "to, status",
    [
        pytest.param("0" * 16, 400, id="stranger"),
        pytest.param("#000000", 400, id="color"),
        pytest.param("not a handle", 400, id="malformed"),
        pytest.param(42, 400, id="number"),
        pytest.param(["#000000"], 400, id="list"),
    ],
)
def test_whisper_to_someone_not_in_the_room_is_refused(trio, store, to, status):
    room_id, (alice, *_), socks = trio
    before = len(store.chats(room_id, limit=100, viewer_key=alice.color))
    response = alice.whisper(room_id, to)
    assert response.status_code == status and response.json["error"]
    assert len(store.chats(room_id, limit=100, viewer_key=alice.color)) == before
    assert all(sock.get_received("/chat") == [] for sock in socks)


def test_whisper_to_oneself_is_refused(trio):
    room_id, (alice, *_), _ = trio
    assert alice.whisper(room_id, alice.handle).status_code == 400


def test_whisper_to_someone_who_left_is_refused(trio):
    room_id, (alice, bob, _), (_, b, _) = trio
    b.disconnect(namespace="/chat")
    response = alice.whisper(room_id, bob.handle)
    assert response.status_code == 400
    assert response.json["error"] == "방에 없는 사람입니다."


# 4. Owners


def test_ownership_passes_to_the_longest_present_when_the_owner_leaves(
    quick_grace, trio, store, visitor
):
    room_id, (alice, bob, carol), (a, b, c) = trio
    lobby = visitor().socket("/room")
    a.disconnect(namespace="/chat")
    assert wait_for(lambda: store.get_room(room_id).owner == bob.color)
    events = [e for e in c.get_received("/chat") if e["name"] == "owner"]
    assert len(events) == 1
    assert events[0]["args"][0]["who"] == bob.color
    assert colors(events[0]["args"][0]["members"]) == [bob.color, carol.color]
    assert [m["owner"] for m in events[0]["args"][0]["members"]] == [True, False]
    assert wait_for(
        lambda: any(
            e["name"] == "owner"
            and e["args"][0] == {"_id": room_id, "owner": bob.color, "ownerName": None}
            for e in lobby.get_received("/room")
        )
    )
    assert bob.delete_room(room_id).status_code == 204


def test_a_reload_does_not_hand_the_room_over(quick_grace, trio, store, grace_over):
    room_id, (alice, bob, carol), (a, b, c) = trio
    a.disconnect(namespace="/chat")
    alice.join(room_id)
    grace_over()  # the owner's grace period has run out, with the owner back in time
    assert store.get_room(room_id).owner == alice.color
    assert "owner" not in c.names()


def test_the_owner_is_shown_in_the_room(trio):
    room_id, (alice, bob, _), _ = trio
    assert f'data-owner="{alice.color}"' in bob.enter(room_id).text


# 5. Kicks


def test_the_owner_kicks_a_participant(trio, store, visitor):
    room_id, (alice, bob, carol), (a, b, c) = trio
    lobby = visitor().socket("/room")
    lobby.get_received("/room")
    response = alice.kick(room_id, bob.handle)
    assert response.status_code == 204
    assert [(e["name"], e["args"]) for e in b.get_received("/chat")] == [
        ("kicked", [{"room": room_id}])
    ]
    events = c.get_received("/chat")
    assert [e["name"] for e in events] == ["kick"]
    assert events[0]["args"][0]["who"] == bob.color
    assert colors(events[0]["args"][0]["members"]) == [alice.color, carol.color]
    # Bob's socket is out of the room at once: he hears nothing more.
    alice.post_chat(room_id, "after")
    assert b.get_received("/chat") == []
    assert store.chats(room_id, limit=1)[0].chat == "after"
    occupancy = {"_id": room_id, "count": 2, "closesAt": None}
    assert occupancy in [e["args"][0] for e in lobby.get_received("/room")]


def test_a_kicked_visitor_cannot_come_back_any_way(trio):
    room_id, (alice, bob, _), (_, b, _) = trio
    alice.kick(room_id, bob.handle)
    page = bob.enter(room_id)
    assert page.status_code == 302 and page.headers["Location"] == "/"
    assert "강퇴" in bob.client.get("/").text
    ack = bob.socket().emit("join", room_id, namespace="/chat", callback=True)
    assert "error" in ack
    assert bob.post_chat(room_id, "let me back").status_code == 403
    assert bob.post_gif(room_id, gif()).status_code == 403
    history = bob.client.get(f"/room/{room_id}/chats")
    assert history.status_code == 403
    assert b.emit("join", room_id, namespace="/chat", callback=True)["error"]


def test_a_kicked_visitor_of_a_secret_room_cannot_use_the_password(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    alice.join(room_id)
    bob.enter(room_id, password="pw")
    bob.join(room_id)
    alice.kick(room_id, bob.handle)
    response = bob.enter(room_id, password="pw")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "error" in bob.socket().emit("join", room_id, namespace="/chat", callback=True)


def test_only_the_owner_may_kick(trio, store):
    room_id, (alice, bob, carol), socks = trio
    response = bob.kick(room_id, carol.handle)
    assert response.status_code == 403 and response.json["error"]
    assert store.get_room(room_id).banned == frozenset()
    assert all(sock.get_received("/chat") == [] for sock in socks)


def test_the_owner_cannot_be_kicked(trio, store):
    room_id, (alice, *_), _ = trio
    response = alice.kick(room_id, alice.handle)
    assert response.status_code == 400 and response.json["error"]
    assert store.get_room(room_id).banned == frozenset()


@pytest.mark.parametrize("user", ["0" * 16, "#000000", "", None, 42, ["0" * 16], "<script>"])
def test_kicking_someone_not_in_the_room_is_refused(trio, store, user):
    room_id, (alice, *_), socks = trio
    response = alice.kick(room_id, user)
    assert response.status_code == 400 and response.json["error"]
    assert store.get_room(room_id).banned == frozenset()


@pytest.mark.parametrize("room_id", ["0" * 24, "nope"])
def test_kick_in_an_unknown_room_is_404(visitor, room_id):
    assert visitor().kick(room_id, "#000000").status_code == 404


def test_kick_without_csrf_token_is_refused(trio, store):
    room_id, (alice, bob, _), _ = trio
    response = alice.client.post(f"/room/{room_id}/kick", json={"user": bob.handle})
    assert response.status_code == 400
    assert store.get_room(room_id).banned == frozenset()


# Colors are names, not identities: ColorHash gives about 3,200 of them, so two people
# may share one. Ownership, bans and whispers go by a private key instead.


@pytest.fixture
def same_color(monkeypatch):
    """Everyone who arrives from now on gets the same color."""
    from app.visitor import identity

    monkeypatch.setattr(identity, "color_for", lambda session_id: "#123456")


def test_sharing_the_owners_color_gives_no_power_over_the_room(visitor, same_color, store):
    alice, eve, bob = visitor(), visitor(), visitor()
    assert alice.color == eve.color == bob.color
    room_id = alice.create_room("Mine")
    alice.join(room_id)
    eve.join(room_id)
    assert eve.delete_room(room_id).status_code == 403
    assert eve.kick(room_id, alice.handle).status_code == 403
    assert store.get_room(room_id) is not None and store.get_room(room_id).banned == frozenset()
    assert 'id="delete-room"' not in eve.enter(room_id).text
    assert 'id="delete-room"' in alice.enter(room_id).text


def test_whispers_between_others_stay_hidden_from_someone_of_the_same_color(
    visitor, monkeypatch, store
):
    from app.visitor import identity

    colors = iter(["#aaaaaa", "#bbbbbb", "#aaaaaa"])
    monkeypatch.setattr(identity, "color_for", lambda session_id: next(colors))
    alice, bob, eve = visitor(), visitor(), visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    b = bob.join(room_id)
    e = eve.join(room_id)
    for sock in (b, e):
        sock.get_received("/chat")
    assert bob.whisper(room_id, "#aaaaaa").status_code == 400  # a color names nobody
    alice.whisper(room_id, bob.handle, "for bob")
    assert e.get_received("/chat") == []
    assert "for bob" not in eve.enter(room_id).text
    assert "for bob" not in eve.client.get(f"/room/{room_id}/chats").text
    assert "for bob" in alice.enter(room_id).text


def test_a_kick_does_not_ban_people_of_the_removed_persons_color_who_were_not_there(
    visitor, monkeypatch
):
    from app.visitor import identity

    colors = iter(["#aaaaaa", "#bbbbbb", "#bbbbbb"])
    monkeypatch.setattr(identity, "color_for", lambda session_id: next(colors))
    alice, bob, later = visitor(), visitor(), visitor()
    room_id = alice.create_room()
    alice.join(room_id)
    bob.join(room_id)
    assert alice.kick(room_id, bob.handle).status_code == 204
    assert bob.enter(room_id).status_code == 302
    assert later.enter(room_id).status_code == 200
