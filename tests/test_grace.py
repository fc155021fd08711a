"""An emptied room lasts ROOM_EMPTY_GRACE_SECONDS, whoever set it: not a moment less.

A grace silently ignored (a default used instead) or shortened loses people their room and
its history while they are away; these tests fail then, on a clock that stands still.
"""

import pytest

from .stopped_time import stopped

GRACE = 600  # seconds: unlike any default, so that a default used instead shows


@pytest.fixture
def time(monkeypatch):
    yield from stopped(monkeypatch)


@pytest.fixture(params=["config", "environment"])
def grace(request, config, monkeypatch):
    """The grace as a test's configuration sets it, or as GIFCHAT_* in the environment does."""
    if request.param == "environment":
        del config["ROOM_EMPTY_GRACE_SECONDS"]
        monkeypatch.setenv("GIFCHAT_ROOM_EMPTY_GRACE_SECONDS", str(GRACE))
    else:
        config["ROOM_EMPTY_GRACE_SECONDS"] = GRACE
    return GRACE


@pytest.fixture
def emptied(grace, time, visitor):
    """A room whose only person left 100 s after it was made; its first message kept."""
    owner = visitor()
    room_id = owner.create_room("kept while away")
    sock = owner.join(room_id)
    owner.post_chat(room_id, "remember me")
    time.move(100)
    sock.disconnect(namespace="/chat")  # the exit is final at once here: no debounce
    return room_id


def test_an_emptied_room_lasts_its_whole_grace_then_goes(grace, time, emptied, store):
    time.move(grace - 1)
    assert store.get_room(emptied) is not None
    time.move(1)
    assert store.get_room(emptied) is None


def test_someone_back_within_the_grace_keeps_the_room_and_its_history(
    grace, time, emptied, store, visitor
):
    time.move(grace - 1)
    visitor().join(emptied)
    time.move(10 * grace)
    assert store.get_room(emptied) is not None
    assert "remember me" in [chat.chat for chat in store.chats(emptied, limit=10)]
