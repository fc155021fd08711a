"""The typing indicator: relayed to the room's other sockets, rate-limited, never stored."""

import pytest

from app.chat import typing_indicator

pytestmark = pytest.mark.usefixtures("english_first")  # refusals read in English here


@pytest.fixture
def room(visitor):
    owner, guest = visitor(), visitor()
    room_id = owner.create_room("Chat")
    typist, listener = owner.join(room_id), guest.join(room_id)
    for sock in (typist, listener):
        sock.get_received("/chat")
    return owner, typist, listener, room_id


@pytest.fixture
def still_clock(monkeypatch):
    """No time passes: a socket's budget never refills."""
    monkeypatch.setattr(typing_indicator, "clock", lambda: 1000.0)


def typing_events(sock):
    return [e["args"][0] for e in sock.get_received("/chat") if e["name"] == "typing"]


def test_relayed_with_the_color_and_handle_to_others_only_and_never_stored(room, visitor, store):
    owner, typist, listener, room_id = room
    second_tab = owner.socket()
    second_tab.emit("join", room_id, namespace="/chat", callback=True)
    second_tab.get_received("/chat")
    outsider = visitor().socket()
    before = store.chats(room_id, limit=50)
    assert typist.emit("typing", {"on": True}, namespace="/chat", callback=True) == {"ok": True}
    typist.emit("typing", {"on": False}, namespace="/chat", callback=True)
    assert typing_events(listener) == [
        {"user": owner.color, "handle": owner.handle, "on": True},
        {"user": owner.color, "handle": owner.handle, "on": False},
    ]
    assert typing_events(typist) == [] and typing_events(second_tab) == []
    assert outsider.get_received("/chat") == []
    assert store.chats(room_id, limit=50) == before


def test_the_name_goes_along_when_the_session_has_one(room):
    owner, typist, listener, _room_id = room
    with owner.client.session_transaction() as session:
        session["name"] = "Mina"
    typist.emit("typing", {"on": True}, namespace="/chat", callback=True)
    assert typing_events(listener) == [
        {"user": owner.color, "handle": owner.handle, "on": True, "name": "Mina"}
    ]


def test_extras_past_the_budget_are_dropped_silently(room, app, still_clock):
    _owner, typist, listener, _room_id = room
    acks = [typist.emit("typing", {"on": True}, namespace="/chat", callback=True)
            for _ in range(10)]  # fmt: skip
    assert acks == [{"ok": True}] * 10
    # A burst of twice the rate, then nothing until time passes.
    assert len(typing_events(listener)) == 2 * app.config["TYPING_EVENTS_PER_SECOND"]


def test_the_budget_refills_with_time(room, monkeypatch):
    _owner, typist, listener, _room_id = room
    now = [1000.0]
    monkeypatch.setattr(typing_indicator, "clock", lambda: now[0])
    for _ in range(10):
        typist.emit("typing", {"on": True}, namespace="/chat", callback=True)
    now[0] += 1
    typist.emit("typing", {"on": False}, namespace="/chat", callback=True)
    assert typing_events(listener)[-1]["on"] is False


@pytest.mark.parametrize("data", [None, {}, {"on": "yes"}, {"on": 1}, [True], "on", True])
def test_bad_input(room, data):
    _owner, typist, listener, _room_id = room
    ack = typist.emit("typing", data, namespace="/chat", callback=True)
    assert ack == {"error": "Say whether you are typing.", "code": "invalid"}
    assert typing_events(listener) == []


def test_a_socket_in_no_room_is_refused(visitor):
    sock = visitor().socket()
    ack = sock.emit("typing", {"on": True}, namespace="/chat", callback=True)
    assert ack == {"error": "Join a room first.", "code": "not-present"}


@pytest.fixture
def three(visitor):
    """Mina types; Jae and Sam are in the room with her, Jae with a second tab."""
    mina, jae, sam = visitor(), visitor(), visitor()
    room_id = mina.create_room("Whispers")
    socks = [mina.join(room_id), jae.join(room_id), sam.join(room_id), jae.join(room_id)]
    for sock in socks:
        sock.get_received("/chat")
    return (mina, jae, sam), socks


def test_typing_a_whisper_is_told_to_its_addressee_only(three):
    (mina, jae, _sam), (typist, jae_tab, sam_tab, jae_other_tab) = three
    ack = typist.emit("typing", {"on": True, "to": jae.handle}, namespace="/chat", callback=True)
    assert ack == {"ok": True}
    told = [{"user": mina.color, "handle": mina.handle, "on": True}]
    assert typing_events(jae_tab) == told and typing_events(jae_other_tab) == told
    assert typing_events(sam_tab) == [] and typing_events(typist) == []


@pytest.mark.parametrize("to", ["0123456789abcdef", "self"])
def test_typing_to_someone_not_in_the_room_or_to_myself_is_told_to_nobody(three, to):
    (mina, _jae, _sam), socks = three
    handle = mina.handle if to == "self" else to
    ack = socks[0].emit("typing", {"on": True, "to": handle}, namespace="/chat", callback=True)
    assert ack == {"ok": True}
    assert all(typing_events(sock) == [] for sock in socks)


@pytest.mark.parametrize("to", ["", "Jae", 12, ["0123456789abcdef"], {"handle": "x"}, True])
def test_a_malformed_addressee_is_refused(three, to):
    _people, socks = three
    ack = socks[0].emit("typing", {"on": True, "to": to}, namespace="/chat", callback=True)
    assert ack == {"error": "Choose someone in the room.", "code": "invalid"}
    assert all(typing_events(sock) == [] for sock in socks)
