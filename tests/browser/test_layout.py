"""Layout: a phone-sized screen, runs of messages, room to read, and screenshots to look at."""

import re

import pytest

from .people import ACTION_MS, DESKTOP, GRACE, PHONE, expect, expect_loaded
from .test_history_and_language import PAGE_SIZE, SEED

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


# Grouping, room to read, and the panel on a phone.

# Whether each message's name line is on screen (a grouped one keeps it for screen readers
# only, in a 1px clip), in list order.
NAMED = """
lis => lis.map(li => li.querySelector(".meta").getBoundingClientRect().height > 4)
"""


def named(someone) -> list[bool]:
    """For each message in the list, top to bottom: whether its name line shows."""
    return someone.page.locator("#chat-list li.message").evaluate_all(NAMED)


def expect_named(someone, pattern: list[bool]) -> None:
    someone.page.wait_for_function(
        f"pattern => JSON.stringify(({NAMED})([...document.querySelectorAll("
        "'#chat-list li.message')])) === JSON.stringify(pattern)",
        arg=pattern,
        timeout=ACTION_MS,
    )


def test_one_persons_messages_in_a_row_are_named_once(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("묶음")
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    for text in ("하나", "둘", "셋"):
        a.say(text)
    expect(b.message("셋")).to_be_visible()
    expect_named(b, [True, False, False])
    # Still said to a screen reader, on every message of the run.
    for text in ("하나", "둘", "셋"):
        expect(b.message(text).locator(".meta .color-name")).to_have_text(a.color)
    b.say("B의 답")
    a.say("넷")
    expect(b.message("넷")).to_be_visible()
    expect_named(b, [True, False, False, True, True])
    b.screenshot("grouped-messages.png", full_page=False)

    # Deleting the first of a run: the next one says the name.
    first = a.message("하나")
    first.hover()
    first.locator(".delete-message").click()
    first.locator(".delete-message").click()
    expect(b.message("하나")).to_have_count(0)
    expect_named(b, [True, False, True, True])
    expect_named(a, [True, False, True, True])

    # Caught up after a reconnect: what came meanwhile joins the run it continues.
    b.context.set_offline(True)
    expect(b.page.locator("#connection-status")).not_to_be_empty()
    a.say("다섯")
    a.say("여섯")
    b.context.set_offline(False)
    expect(b.page.locator("#connection-status")).to_be_hidden(timeout=2 * ACTION_MS)
    expect(b.message("여섯")).to_be_visible()
    expect_named(b, [True, False, True, True, False, False])
    # And the same after a reload, from the history the page starts with.
    b.reload()
    expect_named(b, [True, False, True, True, False, False])
    # A whisper is named apart from what was said to everyone, before and after it.
    a.page.locator("#whisper-to").select_option(b.handle)
    a.say("귓속말")
    a.page.locator("#whisper-to").select_option("")
    a.say("모두에게")
    expect(b.message("모두에게")).to_be_visible()
    expect_named(b, [True, False, True, True, False, False, True, True])


def test_runs_stay_right_when_older_history_comes_in(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("긴 묶음")
    a.page.evaluate(SEED, [PAGE_SIZE + 10])
    expect(a.message(f"history {PAGE_SIZE + 10:03}")).to_be_visible()
    b.enter(room_id)
    messages = b.page.locator("#chat-list li.message")
    expect(messages).to_have_count(PAGE_SIZE)
    # The oldest shown starts the list, so it is named until what came before it arrives.
    assert named(b)[:2] == [True, False]
    b.page.locator("#chat-list").evaluate("list => { list.scrollTop = 0; }")
    expect(messages).to_have_count(PAGE_SIZE + 10)
    expect_named(b, [True] + [False] * (PAGE_SIZE + 9))


def test_a_quiet_rooms_messages_sit_by_the_composer(person):
    a = person("A")
    a.create_room("조용한 방")
    said = a.say("안녕하세요")
    gap = a.page.evaluate(
        """() => {
          const list = document.getElementById("chat-list").getBoundingClientRect();
          const last = document.querySelector("#chat-list li:last-child").getBoundingClientRect();
          return list.bottom - last.bottom;
        }"""
    )
    assert gap < 40, f"the only message is {gap}px above the bottom of the list"
    expect(said).to_be_in_viewport()
    a.screenshot("quiet-room.png", full_page=False)


def test_long_text_reads_in_wide_lines_not_a_narrow_column(person):
    a = person("A")
    a.create_room("긴 글")
    text = "A long message written to see how wide its bubble is on a desktop screen. " * 6
    said = a.say(text.strip())
    width = said.locator(".bubble").bounding_box()["width"]
    list_width = a.page.locator("#chat-list").bounding_box()["width"]
    assert width > 300, f"a long message's bubble is {width}px wide"
    assert width <= 0.76 * list_width, f"the bubble is {width}px of a {list_width}px list"


def test_a_desktop_screen_holds_many_short_messages(person):
    a = person("A")
    a.create_room("많은 말")
    a.page.evaluate(SEED, [30])
    expect(a.message("history 030")).to_be_visible()
    a.reload()
    shown = a.page.evaluate(
        """() => {
          const box = document.getElementById("chat-list").getBoundingClientRect();
          return [...document.querySelectorAll("#chat-list li.message")].filter((li) => {
            const r = li.getBoundingClientRect();
            return r.top >= box.top && r.bottom <= box.bottom;
          }).length;
        }"""
    )
    assert shown >= 15, f"only {shown} messages fit a {DESKTOP['width']}x{DESKTOP['height']} screen"


def test_on_a_phone_the_participants_panel_starts_folded(person):
    host = person("A")
    room_id = host.create_room("휴대폰 패널")
    phone = person("P", viewport=PHONE, is_mobile=True, has_touch=True)
    phone.enter(room_id)
    panel = phone.page.locator("#participants")
    expect(panel.locator("summary")).to_be_visible()
    expect(phone.page.locator("#participant-count")).to_have_text("2")
    expect(panel).not_to_have_attribute("open", "")
    expect(phone.page.locator("#participant-list")).to_be_hidden()
    phone.screenshot("participants-folded-phone.png", full_page=False)

    panel.locator("summary").tap()
    expect(phone.page.locator("#participant-list > li")).to_have_count(2)
    expect(phone.page.locator("#participant-list")).to_be_visible()
    # The choice stays for the visitor's session in this tab.
    phone.reload()
    expect(phone.page.locator("#participant-list")).to_be_visible()
    panel.locator("summary").tap()
    expect(phone.page.locator("#participant-list")).to_be_hidden()
    assert_no_sideways_scroll(phone, "the room with its panel folded")

    # On a desktop it starts open.
    expect(host.page.locator("#participant-list")).to_be_visible()
