"""Limits come from configuration: change a setting and the rules follow it."""

import pytest


@pytest.fixture
def backend():
    return "sqlite"


@pytest.fixture
def config(config):
    config.update(
        TITLE_MAX_LENGTH=5,
        PASSWORD_MAX_LENGTH=3,
        ROOM_CAPACITY_MIN=3,
        ROOM_CAPACITY_MAX=4,
        ROOM_CAPACITY_DEFAULT=4,
    )
    return config


@pytest.mark.parametrize(
    "form, message",
    [
        ({"title": "x" * 6}, "5자까지"),
        ({"title": "t", "max": "2"}, "3명에서 4명 사이"),
        ({"title": "t", "max": "5"}, "3명에서 4명 사이"),
        ({"title": "t", "password": "p" * 4}, "3자까지"),
    ],
)
def test_the_room_form_follows_the_configured_limits(visitor, store, form, message):
    alice = visitor()
    response = alice.client.post("/room", data={**form, "csrf_token": alice.csrf})
    assert response.status_code == 400
    assert message in response.text
    assert store.list_rooms() == []


def test_the_room_form_accepts_what_the_configured_limits_allow(visitor, store):
    alice = visitor()
    alice.create_room("x" * 5, max=3, password="ppp")
    response = alice.client.post("/room", data={"title": "t", "csrf_token": alice.csrf})
    assert response.status_code == 302
    assert sorted(room.capacity for room in store.list_rooms()) == [3, 4]  # 4: the default
