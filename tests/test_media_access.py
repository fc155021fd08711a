"""Who may fetch a GIF: the members of the room that shows it, and whoever sent it."""

import re

import pytest

from app.store.models import utcnow
from harness.gifs import gif

SECRET = "hunter2"


def fetch(person, name, **headers):
    return person.client.get(f"/gif/{name}", buffered=True, headers=headers)


def not_found(response) -> bool:
    """Answered as a name nobody ever used: nothing says the GIF exists."""
    return response.status_code == 404 and response.json == {
        "error": "No such GIF.",
        "code": "not-found",
    }


@pytest.fixture
def secret_gif(visitor):
    """A secret room, its owner, and a GIF the owner sent in it."""
    owner = visitor()
    room_id = owner.create_room("Secret", password=SECRET)
    owner.join(room_id)
    name = owner.post_gif(room_id, gif(frames=2)).json["gif"]
    return owner, room_id, name


@pytest.fixture
def english(english_first):
    """Refusals read in English."""


pytestmark = pytest.mark.usefixtures("english")


def test_new_names_carry_128_random_bits(secret_gif):
    _owner, _room_id, name = secret_gif
    assert re.fullmatch(r"[0-9a-f]{32}\.gif", name)


def test_a_stranger_gets_what_an_unknown_name_gets(visitor, secret_gif):
    _owner, _room_id, name = secret_gif
    stranger = visitor()
    assert not_found(fetch(stranger, name))
    assert not_found(fetch(stranger, "0" * 32 + ".gif"))


def test_a_visitor_at_the_password_form_cannot_fetch_it(visitor, secret_gif):
    _owner, room_id, name = secret_gif
    guest = visitor()
    assert guest.enter(room_id).status_code == 200  # the password form: not admitted
    assert not_found(fetch(guest, name))
    assert guest.enter(room_id, password="wrong").status_code == 403
    assert not_found(fetch(guest, name))


def test_an_admitted_member_gets_it_for_their_browser_only(visitor, secret_gif):
    _owner, room_id, name = secret_gif
    member = visitor()
    assert member.enter(room_id, password=SECRET).status_code == 302
    served = fetch(member, name)
    assert served.status_code == 200 and served.data == gif(frames=2)
    assert served.cache_control.private and not served.cache_control.public
    assert "Cookie" in served.vary


def test_anyone_who_opened_a_public_room_gets_its_gifs(visitor, room):
    owner, room_id = room
    name = owner.post_gif(room_id, gif()).json["gif"]
    passer_by = visitor()
    assert not_found(fetch(passer_by, name))
    passer_by.enter(room_id)
    assert fetch(passer_by, name).status_code == 200


def test_a_removed_member_loses_it_and_the_sender_keeps_theirs(visitor, secret_gif):
    owner, room_id, name = secret_gif
    member = visitor()
    member.enter(room_id, password=SECRET)
    member.join(room_id)
    theirs = member.post_gif(room_id, gif(frames=3)).json["gif"]
    assert owner.kick(room_id, member.handle).status_code == 204
    assert not_found(fetch(member, name))
    served = fetch(member, theirs)  # they sent it: it is theirs to see
    assert served.status_code == 200 and served.data == gif(frames=3)


def test_a_gif_sent_again_elsewhere_is_seen_there_not_in_its_first_room(visitor, secret_gif):
    owner, room_id, name = secret_gif
    public = owner.create_room("Public")
    owner.join(public)
    copy = owner.send(f"/room/{public}/gif", {"reuse": name}).json["gif"]
    assert copy != name
    reader = visitor()
    reader.enter(public)
    assert fetch(reader, copy).status_code == 200
    assert not_found(fetch(reader, name))


def test_old_style_names_keep_working_for_those_who_may_see_them(visitor, room, store):
    owner, room_id = room
    old = "0123456789abcdef01234567.gif"  # an ObjectId, as names were
    store._insert_media(old, room_id, gif(), utcnow())
    store.add_chat(room_id, owner.color, gif=old, user_key="someone")
    assert not_found(fetch(visitor(), old))
    reader = visitor()
    reader.enter(room_id)
    served = fetch(reader, old)
    assert served.status_code == 200 and served.data == gif()


@pytest.fixture
def behind_nginx(config):
    config["MEDIA_ACCEL_REDIRECT"] = "/_media/"


@pytest.mark.usefixtures("behind_nginx")
def test_behind_nginx_the_file_is_named_not_sent(config, visitor):
    owner = visitor()
    room_id = owner.create_room()
    owner.join(room_id)
    name = owner.post_gif(room_id, gif()).json["gif"]
    served = fetch(owner, name)
    if "MONGO_URI" in config:  # a document has no file for nginx to send
        assert "X-Accel-Redirect" not in served.headers and served.data == gif()
        return
    assert served.status_code == 200 and served.data == b""
    assert served.headers["X-Accel-Redirect"] == f"/_media/{name}"
    assert served.mimetype == "image/gif" and served.cache_control.private
    assert not_found(fetch(visitor(), name))  # still only for those who may see it
