"""Presence rules: people, not sockets."""

from app.presence import MemoryPresence


def test_two_tabs_count_once_and_leave_with_the_last():
    presence = MemoryPresence()
    assert presence.join("r", "tab1", "alice", "#a") is True
    assert presence.join("r", "tab2", "alice", "#a") is False
    assert presence.count("r") == 1
    first = presence.leave("tab1")
    assert (first.last_tab, first.room_empty) == (False, False)
    last = presence.leave("tab2")
    assert (last.last_tab, last.room_empty, last.key, last.color) == (True, True, "alice", "#a")
    assert presence.count("r") == 0


def test_members_longest_present_first():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    presence.join("r", "s3", "alice", "#a")
    assert presence.members("r") == ["#a", "#b"]
    assert presence.sockets_of("r", "alice") == ["s1", "s3"]
    assert presence.participants("r") == [("alice", "#a"), ("bob", "#b")]


def test_two_people_may_share_a_color():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "eve", "#a")
    assert presence.count("r") == 2
    assert presence.keys_of("r", "#a") == ["alice", "eve"]
    assert presence.sockets_of("r", "eve") == ["s2"]


def test_empty_mark_is_kept_until_someone_joins():
    presence = MemoryPresence()
    mark = presence.mark_empty("r")
    assert presence.mark_empty("r") == mark
    presence.join("r", "s1", "alice", "#a")
    assert presence.empty_since("r") is None
    assert presence.mark_empty("r") is None
    presence.leave("s1")
    assert presence.empty_since("r") not in (None, mark)


def test_leaving_an_unknown_socket_is_nothing():
    assert MemoryPresence().leave("nobody") is None


def test_forget_returns_the_sockets():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    assert sorted(presence.forget("r")) == ["s1", "s2"]
    assert presence.room_of("s1") is None
    assert presence.count("r") == 0
