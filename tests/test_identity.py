"""The private user key: kept by every session, carried over from sessions made before."""

import pytest


@pytest.fixture
def backend():
    return "sqlite"


def test_a_session_keeps_its_user_key(visitor):
    person = visitor()
    with person.client.session_transaction() as session:
        key = session["user_key"]
    person.client.get("/")
    with person.client.session_transaction() as session:
        assert session["user_key"] == key and "uid" not in session


def test_a_session_from_before_keeps_its_key_and_so_its_rooms(visitor, store):
    person = visitor()
    with person.client.session_transaction() as session:
        del session["user_key"]
        session["uid"] = "key-of-an-older-session"
    room = store.create_room("old", 10, person.color, None, "key-of-an-older-session")
    person.client.get("/")
    with person.client.session_transaction() as session:
        assert session["user_key"] == "key-of-an-older-session"
        assert "uid" not in session
    assert person.delete_room(room.id).status_code == 204
