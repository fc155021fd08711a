"""CSRF tokens on repeated posts: checked in full once, then as strictly but more cheaply."""

import time

import pytest
from itsdangerous import URLSafeTimedSerializer


@pytest.fixture
def room(visitor):
    """A public room with its owner inside, who has posted once (so the token is known)."""
    owner = visitor()
    room_id = owner.create_room("Chat")
    owner.join(room_id)  # only people in the room may post
    assert owner.post_chat(room_id, "first").status_code == 201
    return owner, room_id


def texts(store, room_id):
    return [chat.chat for chat in store.chats(room_id, limit=10) if chat.kind is None]


def test_a_known_token_is_not_verified_again(room, monkeypatch):
    owner, room_id = room
    verified = []
    loads = URLSafeTimedSerializer.loads
    monkeypatch.setattr(
        URLSafeTimedSerializer, "loads", lambda *a, **k: verified.append(1) or loads(*a, **k)
    )
    for text in ("second", "third"):
        assert owner.post_chat(room_id, text).status_code == 201
    assert verified == []


def test_a_known_token_still_works_only_for_its_own_session(visitor, room, store):
    owner, room_id = room
    stranger = visitor()
    stranger.enter(room_id)
    response = stranger.client.post(
        f"/room/{room_id}/chat", json={"chat": "borrowed"}, headers={"X-CSRFToken": owner.csrf}
    )
    assert response.status_code == 400 and response.json["error"]
    assert texts(store, room_id) == ["first"]


@pytest.fixture
def an_hour_limit(config):
    config["WTF_CSRF_TIME_LIMIT"] = 3600  # Flask-WTF's default; this app sets none


def test_a_known_token_still_expires_when_tokens_have_a_time_limit(
    an_hour_limit, room, store, monkeypatch
):
    owner, room_id = room
    later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: later)
    response = owner.post_chat(room_id, "too late")
    assert response.status_code == 400 and response.json["error"]
    assert texts(store, room_id) == ["first"]


def test_a_known_token_over_https_still_needs_this_sites_referrer(room, store):
    owner, room_id = room
    for referrer in (None, "https://evil.invalid/room"):
        headers = {"X-CSRFToken": owner.csrf}
        if referrer:
            headers["Referer"] = referrer
        response = owner.client.post(
            f"/room/{room_id}/chat",
            json={"chat": "from elsewhere"},
            headers=headers,
            base_url="https://localhost",
        )
        assert response.status_code == 400 and response.json["error"]
    assert texts(store, room_id) == ["first"]


def test_a_form_post_checks_the_forms_token(room, store):
    owner, room_id = room
    response = owner.client.post(
        f"/room/{room_id}/chat",
        data={"chat": "forged", "csrf_token": "forged"},
        headers={"X-CSRFToken": owner.csrf, "Accept": "application/json"},
    )
    assert response.status_code == 400 and response.json["error"]
    assert texts(store, room_id) == ["first"]
