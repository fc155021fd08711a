"""Presence rules: people, not sockets; a place kept until the visitor is dropped."""

import pytest

from app.presence import MemoryPresence, RoomFull


def colors(presence, room: str) -> list[str]:
    """The colors in room, longest present first."""
    return [person.color for person in presence.people(room)]


def keyed(presence, room: str) -> list[tuple[str, str]]:
    """(user key, color) of everyone in room, longest present first."""
    return [(person.user_key, person.color) for person in presence.people(room)]


def test_a_visitor_without_sockets_keeps_their_place_until_dropped():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    presence.leave("s1")
    assert presence.count("r") == 2
    assert colors(presence, "r") == ["#a", "#b"]
    assert presence.sockets_of("r", "alice") == []
    assert presence.drop("r", "alice") == "#a"
    assert colors(presence, "r") == ["#b"]
    assert presence.drop("r", "alice") is None


def test_coming_back_before_the_drop_is_no_new_arrival():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    presence.leave("s1")
    assert presence.join("r", "s3", "alice", "#a") is False  # the reloaded page
    assert presence.drop("r", "alice") is None  # has a socket again: not dropped
    assert colors(presence, "r") == ["#a", "#b"]  # and still longest present


def test_a_kept_place_counts_against_the_limit():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    presence.leave("s1")
    with pytest.raises(RoomFull):
        presence.join("r", "s3", "carol", "#c", limit=2)
    assert presence.join("r", "s4", "alice", "#a", limit=2) is False


def test_dropping_the_last_visitor_empties_the_room():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.leave("s1")
    presence.drop("r", "alice")
    assert presence.count("r") == 0
    assert keyed(presence, "r") == []


def test_members_longest_present_first():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    presence.join("r", "s3", "alice", "#a")
    assert colors(presence, "r") == ["#a", "#b"]
    assert presence.sockets_of("r", "alice") == ["s1", "s3"]
    assert keyed(presence, "r") == [("alice", "#a"), ("bob", "#b")]


def test_two_people_may_share_a_color_and_are_told_apart_by_handle():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a", handle="h1")
    presence.join("r", "s2", "eve", "#a", handle="h2")
    assert presence.count("r") == 2
    assert presence.key_of("r", "h2") == "eve"
    assert presence.key_of("r", "h3") is None
    assert presence.sockets_of("r", "eve") == ["s2"]


def test_a_rename_reaches_every_room_the_visitor_is_in():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a", handle="h1")
    presence.join("q", "s2", "alice", "#a", handle="h1")
    presence.join("q", "s3", "bob", "#b", handle="h2", name="Bob")
    assert sorted(presence.rename("alice", "Al")) == ["q", "r"]
    assert presence.people("q") == [("alice", "#a", "h1", "Al"), ("bob", "#b", "h2", "Bob")]
    assert presence.person("r", "alice").name == "Al"


def test_leaving_an_unknown_socket_is_nothing():
    assert MemoryPresence().leave("nobody") is None


def test_forget_returns_the_sockets():
    presence = MemoryPresence()
    presence.join("r", "s1", "alice", "#a")
    presence.join("r", "s2", "bob", "#b")
    presence.leave("s2")
    assert sorted(presence.forget("r")) == ["s1"]
    assert presence.room_of("s1") is None
    assert presence.count("r") == 0
    assert presence.drop("r", "bob") is None
