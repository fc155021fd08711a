"""Journeys: the lobby says when an empty room will close, live, and names each room's link and
owner, on a phone and a desktop, in Korean and English."""

import re

import pytest

from harness.live_server import running

from .people import DESKTOP, expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CODE = re.compile(r"#[0-9a-f]{6}", re.IGNORECASE)
# The countdown as each language shows it, a few seconds into the shipped five minutes.
COUNTDOWN = {
    "ko-KR": re.compile(r"^비어 있음 — [45]:[0-5]\d 후 닫힘$"),
    "en-US": re.compile(r"^Empty — closes in [45]:[0-5]\d$"),
}
ENTER = {"ko-KR": "{} 입장", "en-US": "Enter {}"}
FULL = {"ko-KR": "가득 참: {}", "en-US": "Full: {}"}
GUEST = {"ko-KR": "손님, ", "en-US": "Guest, "}


def heard(locator) -> str:
    """What a screen reader hears of `locator`, once the lobby has drawn it (the list is drawn
    again as its feed connects: a row read in between has nothing to say)."""
    for _ in range(50):
        said = locator.aria_snapshot()
        if said:
            return said
        locator.page.wait_for_timeout(100)
    return ""


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """The shipped grace (300 s): a countdown long enough to watch."""
    with running(tmp_path_factory.mktemp("lobby-grace"), 300) as live:
        yield live


@pytest.mark.parametrize(
    ("locale", "viewport"), [("ko-KR", PHONE), ("en-US", DESKTOP)], ids=["ko-phone", "en-desktop"]
)
def test_an_empty_room_counts_down_live_until_someone_comes_back(person, locale, viewport):
    a = person("A")
    room_id = a.create_room("잠깐 자리 비움")
    w = person("W", locale=locale, viewport=viewport).open_lobby()
    row = w.lobby_row(room_id)
    closing = row.locator(".closing")
    expect(row.locator(".count")).to_have_text("1")
    expect(closing).to_be_hidden()

    a.page.goto("/")  # A steps away: the lobby hears it once A's exit is final
    expect(row.locator(".count")).to_have_text("0", timeout=10_000)
    expect(closing).to_be_visible()
    expect(closing).to_have_text(COUNTDOWN[locale])
    shown = closing.text_content()
    expect(closing).not_to_have_text(shown)  # it counts down without a reload
    expect(closing).to_have_text(COUNTDOWN[locale])
    assert w.horizontal_overflow()["page"] == 0
    size = "phone" if viewport is PHONE else "desktop"
    w.screenshot(f"lobby-grace-{size}-{locale}.png")

    b = person("B")
    b.enter(room_id)  # someone comes back within the grace: the countdown goes, live
    expect(row.locator(".count")).to_have_text("1")
    expect(closing).to_be_hidden()
    # The room is still there, history and all, for whoever follows the link.
    row.get_by_role("link", name=ENTER[locale].format("잠깐 자리 비움"), exact=True).click()
    w.wait_joined()
    assert w.room_id == room_id


def test_a_phone_with_a_wrong_clock_counts_down_to_the_servers_time(person):
    a = person("A")
    room_id = a.create_room("시계가 틀린 폰")
    w = person("W", viewport=PHONE)
    w.context.clock.set_system_time(1_000_000_000)  # its clock says September 2001
    w.open_lobby()
    a.page.goto("/")
    closing = w.lobby_row(room_id).locator(".closing")
    expect(closing).to_have_text(COUNTDOWN["ko-KR"], timeout=10_000)


@pytest.mark.parametrize("locale", ["ko-KR", "en-US"])
def test_each_lobby_link_names_its_room_and_each_owner_is_named_not_coded(person, locale):
    a, b = person("A"), person("B")
    a.set_name("Mina")
    mine, theirs = f"Mina's room {locale}", f"Guest's room {locale}"
    named = a.create_room(mine)
    guest = b.create_room(theirs, max=2)
    c = person("C")
    c.enter(guest)  # now full
    w = person("W", locale=locale).open_lobby()

    link_to_named = w.page.get_by_role("link", name=ENTER[locale].format(mine), exact=True)
    expect(link_to_named).to_be_visible()
    full = w.lobby_row(guest).get_by_role("link", name=FULL[locale].format(theirs))
    expect(full).to_have_count(1)

    # The owner column: a name, or a guest and a colour word, never a colour's code alone.
    heard_named = heard(w.lobby_row(named).locator(".owner"))
    assert "Mina" in heard_named and CODE.search(heard_named) is None, heard_named
    heard_guest = heard(w.lobby_row(guest).locator(".owner"))
    assert GUEST[locale] in heard_guest and CODE.search(heard_guest) is None, heard_guest
    expect(w.lobby_row(named).locator(".owner .color-name")).to_have_text("Mina")

    a.set_name("Mina Park")  # a new name reaches the lobby without a reload
    expect(w.lobby_row(named).locator(".owner .color-name")).to_have_text("Mina Park")
    w.screenshot(f"lobby-names-{locale}.png")
