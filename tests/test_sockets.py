"""The /room and /chat namespaces through Flask-SocketIO's test client."""

import pytest

from app.extensions import socketio

from .waiting import wait_for


def notice(event):
    """The parts of a notice that do not change from run to run."""
    payload = event["args"][0]
    fields = ("user", "chat", "kind", "who", "members")
    found = {key: payload[key] for key in fields if key in payload}
    if "members" in found:
        found["members"] = [member["color"] for member in found["members"]]
    return event["name"], found


def test_join_notices_go_to_the_others_with_kind_and_who(visitor, store):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    a = alice.join(room_id)
    assert a.get_received("/chat") == []  # nobody else there to tell
    b = bob.join(room_id)
    events = a.get_received("/chat")
    assert [notice(e) for e in events] == [
        (
            "join",
            {
                "user": "system",
                "chat": f"{bob.color}님이 입장하셨습니다.",
                "kind": "join",
                "who": bob.color,
                "members": [alice.color, bob.color],
            },
        )
    ]
    assert events[0]["args"][0]["room"] == room_id
    assert b.get_received("/chat") == []


def test_exit_notice_when_the_last_tab_closes(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    a = alice.join(room_id)
    tab1 = bob.join(room_id)
    tab2 = bob.join(room_id)
    a.get_received("/chat")
    tab1.disconnect(namespace="/chat")
    assert a.get_received("/chat") == []  # a second tab is still open
    tab2.disconnect(namespace="/chat")
    assert [notice(e) for e in a.get_received("/chat")] == [
        (
            "exit",
            {
                "user": "system",
                "chat": f"{bob.color}님이 퇴장하셨습니다.",
                "kind": "exit",
                "who": bob.color,
                "members": [alice.color],
            },
        )
    ]


def test_a_second_tab_does_not_announce_again(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    a = alice.join(room_id)
    bob.join(room_id)
    a.get_received("/chat")
    bob.join(room_id)
    assert a.get_received("/chat") == []


def test_chats_reach_only_the_room(visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    here, there = alice.create_room("here"), carol.create_room("there")
    a = alice.join(here)
    b = bob.join(here)
    c = carol.join(there)
    for sock in (a, b, c):
        sock.get_received("/chat")
    alice.post_chat(here, "only here")
    assert b.names() == ["chat"]
    assert c.get_received("/chat") == []


@pytest.mark.parametrize("room_id", [None, 42, ["x"], {"id": "x"}, "", "nope", "0" * 24])
def test_join_of_unknown_or_malformed_room_is_refused(visitor, room_id):
    alice = visitor()
    real = alice.create_room()
    inside = alice.join(real)
    bob = visitor()
    sock = bob.socket()
    ack = sock.emit("join", room_id, namespace="/chat", callback=True)
    assert ack == {"error": "존재하지 않는 방입니다.", "code": "not-found"}
    assert sock.is_connected("/chat")
    assert inside.get_received("/chat") == []


def test_join_without_argument_is_refused(visitor):
    sock = visitor().socket()
    assert sock.emit("join", namespace="/chat", callback=True) == {
        "error": "존재하지 않는 방입니다.",
        "code": "not-found",
    }


def test_join_of_a_secret_room_without_the_password_is_refused(visitor):
    alice, mallory = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    inside = alice.join(room_id)
    sock = mallory.socket()
    ack = sock.emit("join", room_id, namespace="/chat", callback=True)
    assert "error" in ack
    alice.post_chat(room_id, "for insiders")
    assert inside.names() == ["chat"]  # no join notice leaked in
    assert sock.get_received("/chat") == []  # and nothing leaked out


def test_join_of_a_secret_room_after_the_password(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Secret", password="pw")
    bob.enter(room_id, password="pw")
    sock = bob.socket()
    assert sock.emit("join", room_id, namespace="/chat", callback=True)["ok"] is True


def test_join_of_a_full_room_is_refused(visitor):
    alice, bob, carol = visitor(), visitor(), visitor()
    room_id = alice.create_room("Pair", max=2)
    a = alice.join(room_id)
    bob.join(room_id)
    a.get_received("/chat")
    sock = carol.socket()
    ack = sock.emit("join", room_id, namespace="/chat", callback=True)
    assert ack == {"error": "허용 인원을 초과했습니다.", "code": "full"}
    alice.post_chat(room_id, "just us")
    assert a.names() == ["chat"]
    assert sock.get_received("/chat") == []


def test_capacity_counts_people_not_tabs(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room("Pair", max=2)
    alice.join(room_id)
    alice.join(room_id)  # a second tab
    bob.join(room_id)  # still room for a second person


def test_socket_without_a_page_load_is_refused(app):
    for namespace in ("/chat", "/room"):
        sock = socketio.test_client(app, namespace=namespace)
        assert not sock.is_connected(namespace)


def test_lobby_hears_occupancy(visitor):
    alice, bob = visitor(), visitor()
    room_id = alice.create_room()
    lobby = bob.socket("/room")
    lobby.get_received("/room")
    alice.join(room_id)
    assert [e["args"][0] for e in lobby.get_received("/room")] == [
        {"_id": room_id, "count": 1, "closesAt": None}
    ]


def test_joining_another_room_leaves_the_first(visitor, app):
    alice, bob = visitor(), visitor()
    first, second = alice.create_room("1"), alice.create_room("2")
    a = alice.join(first)
    sock = bob.join(first)
    a.get_received("/chat")
    bob.enter(second)
    assert sock.emit("join", second, namespace="/chat", callback=True)["ok"] is True
    assert a.names() == ["exit"]
    assert app.extensions["presence"].count(first) == 1


def test_a_socket_error_answers_the_ack_and_keeps_the_socket(visitor, monkeypatch):
    from app.rooms import participants

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(participants, "join", broken)
    sock = visitor().socket()
    assert sock.emit("join", "0" * 24, namespace="/chat", callback=True) == {
        "error": "문제가 발생했습니다.",
        "code": "server-error",
    }
    assert sock.is_connected("/chat")


def test_an_emptied_room_is_deleted_after_the_grace_period(quick_grace, visitor, store, app):
    alice = visitor()
    room_id = alice.create_room()
    sock = alice.join(room_id)
    alice.post_chat(room_id, "last words")
    lobby = visitor().socket("/room")
    sock.disconnect(namespace="/chat")
    assert store.get_room(room_id) is not None  # not at once: a reload may follow
    assert wait_for(lambda: store.get_room(room_id) is None)
    assert store.chats(room_id, limit=10) == []
    assert wait_for(lambda: "removeRoom" in lobby.names("/room"))


def test_a_reload_within_the_grace_period_keeps_the_room(quick_grace, visitor, store, grace_over):
    alice = visitor()
    room_id = alice.create_room()
    sock = alice.join(room_id)
    sock.disconnect(namespace="/chat")
    alice.join(room_id)  # the reloaded page
    grace_over()  # the grace period the page's unload started has run out...
    assert store.get_room(room_id) is not None  # ...and the room is still there


def test_a_room_nobody_enters_is_deleted_too(quick_grace, visitor, store):
    room_id = visitor().create_room()
    assert wait_for(lambda: store.get_room(room_id) is None)


def test_rooms_left_from_before_a_restart_are_cleaned_up(make_app, config, visitor, store):
    from app import start_background_tasks

    visitor().create_room("left behind")
    config["ROOM_EMPTY_GRACE_SECONDS"] = 0.2
    restarted = make_app(config)  # the same SQLite file, as a restarted server opens it
    again = restarted.extensions["store"]
    assert [room.title for room in again.list_rooms()] == ["left behind"]
    start_background_tasks(restarted)
    assert wait_for(lambda: again.list_rooms() == [])
    again.close()
