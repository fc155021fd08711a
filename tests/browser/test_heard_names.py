"""Journeys: what a screen reader hears of people is a name, or "Guest" and a color word."""

import re

import pytest

from .people import expect, room_of_two

pytestmark = pytest.mark.browser

CODE = re.compile(r"#[0-9a-f]{6}", re.IGNORECASE)


def assert_heard(text: str, *wanted: str) -> None:
    """`text` names no color's code and says every one of `wanted`."""
    assert CODE.search(text) is None, text
    for word in wanted:
        assert word in text, (word, text)


def heard(locator) -> str:
    """The accessibility tree's text for `locator`: aria-hidden parts left out, labels in."""
    return locator.aria_snapshot()


@pytest.mark.parametrize("locale, guest", [("ko-KR", "손님, "), ("en-US", "Guest, ")])
def test_screen_readers_hear_names_never_color_codes(person, locale, guest):
    room_id, a, b = room_of_two(person, "Heard", locale=locale)
    a.set_name("Mina")  # A has a name; B has only a color
    # How each page says "Guest": A's in Korean, B's in the language of the parameter.
    guest_on = {a.name: "손님, ", b.name: guest}

    # The header's "You are …", for each: seen with the code, heard without.
    expect(b.page.locator("#my-name")).to_have_text(b.color)
    assert_heard(heard(b.page.locator("header .me")), guest)
    assert_heard(heard(a.page.locator("header .me")), "Mina")

    # The typing line, each way.
    b.page.locator("#chat").press_sequentially("hm")
    expect(a.page.locator("#typing")).to_contain_text(b.color)  # seen: the code
    assert_heard(heard(a.page.locator("#typing")), "손님, ")
    b.page.locator("#chat").fill("")
    a.page.locator("#chat").press_sequentially("hm")
    expect(b.page.locator("#typing")).to_contain_text("Mina")
    assert_heard(heard(b.page.locator("#typing")), "Mina")
    a.page.locator("#chat").fill("")

    # The whisper banner, the box's placeholder and the picker, each way.
    a.page.locator(f'button.whisper[data-handle="{b.handle}"]').click()
    expect(a.page.locator("#whisper-banner")).to_be_visible()
    assert_heard(heard(a.page.locator("#whisper-banner")), "손님, ")
    assert_heard(a.page.locator("#chat").get_attribute("placeholder"), "손님, ")
    assert_heard(heard(a.page.locator("#whisper-to")), "손님, ")
    a.page.locator("#whisper-close").click()
    b.page.locator(f'button.whisper[data-handle="{a.handle}"]').click()
    expect(b.page.locator("#whisper-banner")).to_be_visible()
    assert_heard(heard(b.page.locator("#whisper-banner")), "Mina")
    assert_heard(b.page.locator("#chat").get_attribute("placeholder"), "Mina")
    b.page.locator("#whisper-close").click()

    # Search results name both senders.
    a.say("needle from Mina")
    b.say("needle from the guest")
    for someone in (a, b):
        someone.page.locator("#search-input").fill("needle")
        someone.page.locator("#search-input").press("Enter")
        expect(someone.page.locator("#search-results ol > li")).to_have_count(2)
        results = heard(someone.page.locator("#search-results"))
        assert_heard(results, "Mina", guest_on[someone.name])
        someone.page.locator("#search-results .search-close").click()

    # The reply bar while writing, and the quote above the reply, each way.
    a.message("needle from the guest").hover()
    a.message("needle from the guest").locator(".reply-message").click()
    expect(a.page.locator("#reply-bar")).to_be_visible()
    assert_heard(heard(a.page.locator("#reply-bar")), "손님, ")
    a.say("answer to the guest")
    b.message("needle from Mina").hover()
    b.message("needle from Mina").locator(".reply-message").click()
    assert_heard(heard(b.page.locator("#reply-bar")), "Mina")
    b.say("answer to Mina")
    for someone in (a, b):
        to_guest = someone.message("answer to the guest").locator(".reply-quote")
        to_mina = someone.message("answer to Mina").locator(".reply-quote")
        expect(to_mina).to_be_visible()
        assert_heard(heard(to_guest), guest_on[someone.name])
        assert_heard(heard(to_mina), "Mina")
    assert a.errors == b.errors == []
