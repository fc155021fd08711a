"""Who hears about a whisper: its two people, in every tab, and nobody else in the room."""

import pytest

from app import wire


@pytest.fixture
def whisper(trio):
    """Alice whispers to Bob while Carol is in the room; every socket has heard it or not."""
    room_id, (alice, bob, carol), sockets = trio
    chat_id = alice.whisper(room_id, bob.handle, "just us").json["_id"]
    return room_id, (alice, bob, carol), sockets, chat_id


def heard(sockets) -> list[list[str]]:
    return [sock.names() for sock in sockets]


def test_the_message_reaches_its_two_people_only(whisper):
    _room_id, _people, sockets, _chat_id = whisper
    assert heard(sockets) == [["chat"], ["chat"], []]


def test_its_reaction_reaches_its_two_people_only(whisper):
    room_id, (_alice, bob, _carol), sockets, chat_id = whisper
    heard(sockets)
    answer = bob.send(f"/room/{room_id}/chat/{chat_id}/reactions", {"emoji": "👍"})
    assert answer.status_code == 200, answer.json
    assert heard(sockets) == [["reaction"], ["reaction"], []]


def test_its_delete_reaches_its_two_people_only(whisper):
    room_id, (alice, _bob, _carol), sockets, chat_id = whisper
    heard(sockets)
    answer = alice.send(f"/room/{room_id}/chat/{chat_id}", None, method="DELETE")
    assert answer.status_code == 204, answer.text
    assert heard(sockets) == [["deleteChat"], ["deleteChat"], []]


def test_typing_it_reaches_its_addressee_only(whisper):
    _room_id, (_alice, bob, _carol), sockets, _chat_id = whisper
    heard(sockets)
    typist = sockets[0]
    ack = typist.emit("typing", {"on": True, "to": bob.handle}, namespace="/chat", callback=True)
    assert ack == {"ok": True}
    assert heard(sockets) == [[], ["typing"], []]


def test_a_third_persons_other_tab_hears_nothing_either(whisper):
    room_id, (alice, bob, carol), sockets, _chat_id = whisper
    other_tab = carol.socket()
    assert other_tab.emit("join", room_id, namespace="/chat", callback=True)["ok"] is True
    heard([*sockets, other_tab])
    alice.whisper(room_id, bob.handle, "still just us")
    assert heard([*sockets, other_tab]) == [["chat"], ["chat"], [], []]


def test_the_audience_of_a_room_message_is_the_whole_room():
    assert wire.audience(wire.Draft("room", "alice")) is None
    assert wire.audience(wire.Draft("room", "alice", "bob")) == {"alice", "bob"}
