"""Bounded work before checks, and posting that requires presence, through the test client."""

import random
from io import BytesIO

import pytest
from PIL import Image

from app.config import BODY_MAX_BYTES
from harness.gifs import gif

from .conftest import posted
from .waiting import wait_for

TOO_LARGE = "The request is too large."
JOIN_FIRST = "Join the room first: open its page to take part."


class Unreadable(BytesIO):
    """A request body of `length` bytes that fails the test if anything reads it."""

    def __init__(self, length: int):
        super().__init__(b"x" * length)  # the test client takes the length from the stream

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def unread_post(visitor, path, length, content_type, headers=None):
    return visitor.client.post(
        path,
        input_stream=Unreadable(length),
        headers={
            "Content-Type": content_type,
            "Accept": "application/json",
            "Accept-Language": "en",
            **(headers or {}),
        },
    )


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data; boundary=x"])
def test_a_large_chat_is_refused_413_unread(room, store, content_type):
    owner, room_id = room
    response = unread_post(
        owner, f"/room/{room_id}/chat", 1_000_000, content_type, {"X-CSRFToken": owner.csrf}
    )
    assert (response.status_code, response.json) == (413, {"error": TOO_LARGE, "code": "too-large"})
    assert posted(store, room_id) == []


# A large one is refused at once (413); a small one is sent back with the form's usual
# "expired" message (302). Neither is read: there is no session to check its token against.
@pytest.mark.parametrize("length, status", [(1_000_000, 413), (40, 302)])
def test_a_form_without_a_session_is_refused_unread(app, store, length, status):
    response = app.test_client().post(
        "/room",
        input_stream=Unreadable(length),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == status
    assert store.list_rooms() == []


def test_an_upload_with_a_wrong_token_header_is_refused_unread(room, store):
    owner, room_id = room
    response = unread_post(
        owner,
        f"/room/{room_id}/gif",
        1_000_000,
        "multipart/form-data; boundary=x",
        {"X-CSRFToken": "forged"},
    )
    assert response.status_code == 400 and response.json["error"]
    assert posted(store, room_id) == []


def test_a_gif_may_still_be_large(room, store):
    owner, room_id = room
    # Random pixels do not compress: past the small-body limit, far within the GIF's.
    noise = Image.frombytes("L", (400, 400), random.Random(8).randbytes(400 * 400))
    buffer = BytesIO()
    noise.save(buffer, format="GIF")
    assert len(buffer.getvalue()) > BODY_MAX_BYTES
    response = owner.post_gif(room_id, buffer.getvalue())
    assert response.status_code == 201, response.json


def test_an_admitted_visitor_without_a_socket_cannot_post(room, visitor, store, app):
    _, room_id = room
    lurker = visitor()
    lurker.enter(room_id)  # opening a public room's page admits
    lurker.choose_english()
    response = lurker.post_chat(room_id, "from nowhere")
    assert (response.status_code, response.json) == (
        403,
        {"error": JOIN_FIRST, "code": "not-present"},
    )
    assert lurker.post_gif(room_id, gif()).status_code == 403
    assert posted(store, room_id) == []
    assert app.extensions["presence"].count(room_id) == 1  # the owner only


def test_a_visitor_whose_exit_is_final_cannot_post(room, visitor, store):
    _, room_id = room
    bob = visitor()
    sock = bob.join(room_id)
    assert bob.post_chat(room_id, "here").status_code == 201
    sock.disconnect(namespace="/chat")  # EXIT_DEBOUNCE_SECONDS is 0 in tests: final at once
    assert bob.post_chat(room_id, "gone").status_code == 403
    assert [chat.chat for chat in posted(store, room_id)] == ["here"]


class TestWithinTheDebounce:
    @pytest.fixture
    def config(self, config):
        config["EXIT_DEBOUNCE_SECONDS"] = 3600  # a reload that never ends, for the test
        return config

    def test_a_visitor_reloading_can_still_post(self, room, visitor, store, app):
        _, room_id = room
        bob = visitor()
        sock = bob.join(room_id)
        sock.disconnect(namespace="/chat")
        presence = app.extensions["presence"]
        assert wait_for(lambda: presence.sockets_of(room_id, bob_key(bob)) == [])
        assert bob.post_chat(room_id, "back soon").status_code == 201
        assert "back soon" in [chat.chat for chat in posted(store, room_id)]


def bob_key(person):
    with person.client.session_transaction() as session:
        return session["user_key"]
