"""Layout: a phone-sized screen, and screenshots of the lobby and a room for people to look at."""

import re

import pytest

from .people import DESKTOP, GRACE, PHONE, expect, expect_loaded

pytestmark = pytest.mark.browser

LONG_TITLE = "좁은 화면에서도 잘 보여야 하는 아주아주 긴 채팅방 제목입니다 " * 2
UNBROKEN = "ㅋ" * 120 + "https://example.invalid/" + "a" * 120


def assert_no_sideways_scroll(someone, where):
    overflow = someone.horizontal_overflow()
    assert overflow["page"] <= 0, (
        f"{where} scrolls sideways by {overflow['page']}px at {overflow['width']}px wide"
    )


def test_a_phone_sized_screen_needs_no_sideways_scrolling_and_can_chat(person, gif_path):
    host = person("A")
    room_id = host.create_room(LONG_TITLE.strip())
    phone = person("P", viewport=PHONE, is_mobile=True, has_touch=True)

    phone.open_lobby()
    expect(phone.lobby_row(room_id)).to_be_visible()
    assert_no_sideways_scroll(phone, "the lobby")
    phone.page.locator('a[href="/room"]').click()
    expect(phone.page.locator("#title")).to_be_visible()
    assert_no_sideways_scroll(phone, "the create form")

    phone.page.go_back()
    phone.lobby_row(room_id).get_by_role("link", name="입장").tap()
    phone.wait_joined()
    assert_no_sideways_scroll(phone, "the room")

    phone.page.locator("#chat").fill("휴대폰에서 보냅니다")
    phone.page.locator("#chat-form button[type=submit]").tap()
    expect(phone.message("휴대폰에서 보냅니다")).to_have_class(re.compile(r"\bmine\b"))
    expect(host.message("휴대폰에서 보냅니다")).to_have_class(re.compile(r"\bother\b"))
    phone.say(UNBROKEN)

    host.say("잘 보여요?")
    host.page.locator("#gif").set_input_files(gif_path)
    picture = phone.page.locator("#chat-list li.message.other .bubble img")
    expect_loaded(picture)
    expect(phone.message("잘 보여요?")).to_be_visible()
    assert_no_sideways_scroll(phone, "the room with a long message and a GIF")
    expect(phone.message(UNBROKEN)).to_be_in_viewport(ratio=0)  # wrapped, not pushed off
    expect(phone.page.locator("#chat-form button[type=submit]")).to_be_in_viewport()


@pytest.mark.parametrize("lang, locale", [("ko", "ko-KR"), ("en", "en-US")])
def test_screenshots_of_the_lobby_and_a_room(person, gif_path, lang, locale):
    """test-artifacts/screenshots/{lobby,room}-{ko,en}-{desktop,phone}.png."""
    a, b, c = (person(name, locale=locale) for name in "ABC")
    secret_id = c.create_room({"ko": "비밀 회의", "en": "Secret meeting"}[lang], password="pw")
    room_id = a.create_room({"ko": "GIF 나눔방", "en": "Sharing GIFs"}[lang])
    b.enter(room_id)
    expect(a.page.locator("html")).to_have_attribute("lang", lang)
    expect(a.notice("join", b.color)).to_be_visible()
    a.say({"ko": "어서 오세요!", "en": "Welcome!"}[lang])
    b.say({"ko": "안녕하세요, 짤 하나 올릴게요.", "en": "Hi! Here is a GIF."}[lang])
    b.page.locator("#gif").set_input_files(gif_path)
    expect_loaded(a.page.locator("#chat-list li.message.other .bubble img"))
    a.say({"ko": "귀엽네요 😀", "en": "Cute 😀"}[lang])

    lobby = person("W", locale=locale).open_lobby()
    expect(lobby.lobby_row(room_id).locator(".count")).to_have_text("2")
    expect(lobby.lobby_row(secret_id).locator(".count")).to_have_text("1")
    # Only these two: the rooms earlier journeys left behind expire after the grace period.
    rows = lobby.page.locator("#room-list tbody tr")
    expect(rows).to_have_count(2, timeout=(GRACE + 8) * 1000)
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        lobby.page.set_viewport_size(size)
        assert_no_sideways_scroll(lobby, f"the {lang} lobby on a {size_name}")
        lobby.screenshot(f"lobby-{lang}-{size_name}.png")
        a.page.set_viewport_size(size)
        expect(a.page.locator("#chat-list li.message").last).to_be_in_viewport()
        assert_no_sideways_scroll(a, f"the {lang} room on a {size_name}")
        a.screenshot(f"room-{lang}-{size_name}.png")
