"""Reactions: a fixed set of emoji, toggled per person, counted, live, kept in history."""

import pytest

from .pages import page_data

pytestmark = pytest.mark.usefixtures("english_first")  # refusals read in English here


@pytest.fixture
def room(room):
    """A public room with its owner inside and a message of theirs."""
    owner, room_id = room
    chat_id = owner.post_chat(room_id, "react to me").json["_id"]
    return owner, room_id, chat_id


def react(person, room_id, chat_id, emoji="👍"):
    return person.send(f"/room/{room_id}/chat/{chat_id}/reactions", {"emoji": emoji})


def test_toggled_counted_and_seen_live(visitor, room):
    owner, room_id, chat_id = room
    guest, third = visitor(), visitor()
    guest.join(room_id)
    listening = third.join(room_id)
    listening.get_received("/chat")
    first = react(guest, room_id, chat_id)
    assert first.status_code == 200
    assert first.json == {"_id": chat_id, "reactions": {"👍": 1}, "mine": ["👍"]}
    assert react(owner, room_id, chat_id).json == {
        "_id": chat_id, "reactions": {"👍": 2}, "mine": ["👍"]}  # fmt: skip
    taken_back = react(guest, room_id, chat_id)
    assert taken_back.json == {"_id": chat_id, "reactions": {"👍": 1}, "mine": []}
    events = listening.get_received("/chat")
    assert [e["name"] for e in events] == ["reaction"] * 3
    assert [e["args"][0]["reactions"] for e in events] == [{"👍": 1}, {"👍": 2}, {"👍": 1}]
    assert events[0]["args"][0]["_id"] == chat_id and events[0]["args"][0]["room"] == room_id


def test_kept_in_history_with_my_own_for_each_viewer(visitor, room):
    owner, room_id, chat_id = room
    guest = visitor()
    guest.join(room_id)
    react(guest, room_id, chat_id, "🎉")
    react(owner, room_id, chat_id, "👍")
    [seen_by_guest] = [c for c in guest.client.get(f"/room/{room_id}/chats").json["chats"]
                       if c["_id"] == chat_id]  # fmt: skip
    assert seen_by_guest["reactions"] == {"🎉": 1, "👍": 1}
    assert seen_by_guest["mine"] == ["🎉"]
    [on_the_page] = [c for c in page_data(owner.enter(room_id).text, "chats-data")
                     if c["_id"] == chat_id]  # fmt: skip
    assert on_the_page["mine"] == ["👍"]


@pytest.mark.parametrize("body", [{"emoji": "🐍"}, {"emoji": 1}, {"emoji": None}, {}, []])
def test_only_the_configured_emoji(room, body, store):
    owner, room_id, chat_id = room
    response = owner.send(f"/room/{room_id}/chat/{chat_id}/reactions", body)
    assert response.status_code == 400
    assert response.json["error"] == "Choose one of the reactions."
    assert store.get_chat(chat_id).reactions == ()


def test_the_set_follows_configuration(room, app):
    owner, room_id, chat_id = room
    app.config["REACTIONS"] = ["🐍"]
    assert react(owner, room_id, chat_id, "🐍").status_code == 200
    assert react(owner, room_id, chat_id, "👍").status_code == 400


@pytest.mark.parametrize("chat_id", ["0" * 24, "nope", "A" * 24])
def test_unknown_messages(room, chat_id):
    owner, room_id, _chat_id = room
    response = react(owner, room_id, chat_id)
    assert response.status_code == 404 and response.json["error"] == "That message does not exist."


def test_not_admitted_unknown_room_and_notices(visitor, room, store):
    owner, room_id, chat_id = room
    stranger = visitor()
    assert react(stranger, room_id, chat_id).status_code == 403
    stranger.enter(room_id)  # admitted, but without the page's socket: not in the room
    assert react(stranger, room_id, chat_id).status_code == 403
    assert react(owner, "0" * 24, chat_id).status_code == 404
    guest = visitor()
    guest.join(room_id)
    notice = next(c for c in store.chats(room_id, limit=10) if c.kind == "join")
    assert react(owner, room_id, notice.id).status_code == 400
    assert store.get_chat(chat_id).reactions == () and store.get_chat(notice.id).reactions == ()


def test_reactions_to_a_whisper_reach_its_two_people_only(visitor, room):
    owner, room_id, _chat_id = room
    guest, third = visitor(), visitor()
    sockets = [person.join(room_id) for person in (owner, guest, third)]
    chat_id = owner.whisper(room_id, guest.handle).json["_id"]
    for sock in sockets:
        sock.get_received("/chat")
    assert react(guest, room_id, chat_id).status_code == 200
    assert react(third, room_id, chat_id).status_code == 404
    assert [sock.names() for sock in sockets] == [["reaction"], ["reaction"], []]


def test_my_other_tabs_learn_which_are_mine_and_nobody_else_does(visitor, room):
    owner, room_id, chat_id = room
    guest = visitor()
    first_tab, second_tab, theirs = owner.join(room_id), owner.socket(), guest.join(room_id)
    second_tab.emit("join", room_id, namespace="/chat", callback=True)
    for sock in (first_tab, second_tab, theirs):
        sock.get_received("/chat")
    react(owner, room_id, chat_id, "🎉")
    for tab in (first_tab, second_tab):
        [event] = tab.get_received("/chat")
        assert event["args"] == [
            {"_id": chat_id, "room": room_id, "reactions": {"🎉": 1}, "mine": ["🎉"]}
        ]
    [event] = theirs.get_received("/chat")
    assert event["args"] == [{"_id": chat_id, "room": room_id, "reactions": {"🎉": 1}}]
