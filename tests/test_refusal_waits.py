"""Refusals a page acts on by itself: the wait of a rate limit, and a visit that has ended.

The chat page decides by `code` (docs/api.md); for a wait it needs how long, which an HTTP 429
says in Retry-After and a socket ack, which has no headers, in `retryAfter`.
"""

import sqlite3
import time
from contextlib import closing

import pytest

from .test_limits_sockets import join

pytestmark = pytest.mark.usefixtures("english_first")


@pytest.fixture
def config(config):
    config["RATELIMIT_ENABLED"] = True  # the defaults of app/config.py, unless a test says
    return config


def test_a_join_refused_for_switching_rooms_too_fast_says_how_long(visitor, clock):
    alice = visitor()
    rooms = [alice.create_room(f"room {n}") for n in range(2)]
    for room in rooms:
        alice.enter(room)
    sock = alice.socket()
    acks = [join(sock, rooms[n % 2]) for n in range(6)]
    refused = acks[-1]
    assert refused["code"] == "rate-limited"
    assert isinstance(refused["retryAfter"], int) and 1 <= refused["retryAfter"] <= 11
    assert f"{refused['retryAfter']} second" in refused["error"]  # the words say the same wait
    clock.advance(refused["retryAfter"])
    assert join(sock, rooms[0])["ok"] is True  # and it is enough


def test_an_ack_that_needs_no_wait_says_none(visitor):
    alice = visitor()
    ack = join(alice.socket(), "0" * 24)
    assert ack["code"] == "not-found" and "retryAfter" not in ack


@pytest.fixture
def few_chats(config):
    config["RATELIMIT_CHAT"] = "2 per 10 seconds"


@pytest.mark.usefixtures("few_chats")
def test_a_post_past_the_chat_limit_says_how_long_in_retry_after(room):
    owner, room_id = room
    answers = [owner.post_chat(room_id, f"hi {n}") for n in range(3)]
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    refused = answers[-1]
    assert refused.json["code"] == "rate-limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 11


def test_a_socket_whose_visit_has_ended_is_told_so_by_its_code(app, visitor):
    alice = visitor()
    room_id = alice.create_room("over")
    alice.enter(room_id)
    sock = alice.socket()
    with alice.client.session_transaction() as session:
        store_id = app.session_interface._get_store_id(session.sid)
    with closing(sqlite3.connect(app.config["SESSION_SQLITE_PATH"])) as db, db:
        db.execute("UPDATE sessions SET expires = ? WHERE id = ?", (time.time() - 1, store_id))
    ack = join(sock, room_id)
    assert ack["code"] == "session-ended"
    assert "Reload the page" in ack["error"]
