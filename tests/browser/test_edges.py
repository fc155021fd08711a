"""First run and edges: the lobby's introduction, an invite link, the start of a room, the
message counter, full and closed rooms, and the owner's Remove that asks first."""

import re

import pytest

from .people import ACTION_MS, expect
from .test_history_and_language import PAGE_SIZE, SEED

pytestmark = pytest.mark.browser

CLIPBOARD = ["clipboard-read", "clipboard-write"]
# A browser with no clipboard API, as on plain http from a host other than localhost.
NO_CLIPBOARD = "Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });"
# Playwright's fill() sets the value at once; a paste goes through the box's editing, which a
# maxlength cuts short: insert_text() is that paste.
LIMIT = 1000  # CHAT_MAX_LENGTH, the default


def test_the_lobby_says_what_gif_chat_is_in_both_languages(person):
    a = person("A").open_lobby()
    intro = a.page.locator("#lobby-intro")
    expect(intro).to_be_visible()
    expect(intro).to_contain_text("GIF")
    expect(intro).to_contain_text("가입은 필요 없습니다")
    # Above the rooms, not under them.
    assert intro.bounding_box()["y"] < a.page.locator("#room-list").bounding_box()["y"]
    a.screenshot("edges-lobby-intro-ko.png")

    b = person("B", locale="en-US").open_lobby()
    intro = b.page.locator("#lobby-intro")
    expect(intro).to_contain_text("Nobody signs up")
    expect(intro).to_contain_text("whisper")
    expect(intro).to_contain_text("color")
    b.screenshot("edges-lobby-intro-en.png")


def test_a_new_room_offers_its_invite_link_and_invites_a_first_message(person):
    a = person("A", permissions=CLIPBOARD)
    room_id = a.create_room("초대")
    empty = a.page.locator("#chat-empty")
    expect(empty).to_be_visible()
    expect(empty).to_have_text(
        "아직 메시지가 없습니다. 위의 링크로 누군가를 초대하거나 먼저 인사해 보세요."
    )

    a.page.locator("#invite-copy").click()
    expect(a.page.locator("#invite-status")).to_have_text("복사했습니다")
    link = f"{a.server.url}/room/{room_id}"
    assert a.page.evaluate("() => navigator.clipboard.readText()") == link
    a.screenshot("edges-invite-copied.png")

    # The link brings someone in; once anyone says something, the empty line goes.
    b = person("B")
    b.page.goto(link)
    b.wait_joined()
    expect(b.page.locator("#chat-empty")).to_be_visible()
    b.say("안녕")
    for someone in (a, b):
        expect(someone.page.locator("#chat-empty")).to_be_hidden()


def test_without_a_clipboard_the_link_is_selected_and_a_secret_room_asks_for_the_password(
    person,
):
    a = person("A")
    room_id = a.create_room("비밀 초대", password="열쇠")
    expect(a.page.locator(".invite-note")).to_have_text("비밀방: 비밀번호도 함께 알려 주세요.")
    a.context.add_init_script(NO_CLIPBOARD)
    a.reload()
    assert a.page.evaluate("() => navigator.clipboard") is None
    a.page.locator("#invite-copy").click()
    field = a.page.locator("#invite-link")
    expect(field).to_be_visible()
    expect(field).to_have_value(f"{a.server.url}/room/{room_id}")
    expect(field).to_be_focused()
    selected = field.evaluate("f => f.value.slice(f.selectionStart, f.selectionEnd)")
    assert selected == f"{a.server.url}/room/{room_id}"
    a.screenshot("edges-invite-fallback.png")


def test_a_short_room_shows_its_start_once(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("짧은 방")
    a.say("첫 마디")
    b.enter(room_id)
    for someone in (a, b):
        start = someone.page.locator("#chat-list > li.room-start")
        expect(start).to_have_count(1)
        expect(start).to_contain_text("짧은 방 방의 시작입니다")
        expect(start.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
        first = someone.page.locator("#chat-list > li").first
        expect(first).to_have_class(re.compile(r"\broom-start\b"))
    # Scrolling to the top finds nothing older and adds no second marker.
    b.page.locator("#chat-list").evaluate("list => { list.scrollTop = 0; }")
    b.say("둘째 마디")
    b.reload()
    expect(b.page.locator("#chat-list > li.room-start")).to_have_count(1)
    b.screenshot("edges-room-start-short.png")


def test_a_long_room_shows_its_start_only_when_scrolled_back_to_it(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("긴 방")
    seeded = PAGE_SIZE + 10
    a.page.evaluate(SEED, [seeded])
    b.enter(room_id)
    messages = b.page.locator("#chat-list li.message")
    expect(messages).to_have_count(PAGE_SIZE)
    start = b.page.locator("#chat-list > li.room-start")
    expect(start).to_have_count(0)  # older messages remain

    b.page.locator("#chat-list").evaluate("list => { list.scrollTop = 0; }")
    expect(messages).to_have_count(seeded, timeout=ACTION_MS)
    expect(start).to_have_count(1)
    expect(b.page.locator("#chat-list > li").first).to_have_class(re.compile(r"\broom-start\b"))
    # Scrolling up once more finds nothing older: still one marker, nothing twice.
    b.page.locator("#chat-list").evaluate("list => { list.scrollTop = 0; }")
    expect(b.page.locator("#history-status")).to_be_hidden()
    expect(start).to_have_count(1)
    ids = b.page.locator("#chat-list li.message").evaluate_all(
        "lis => lis.map(li => li.dataset.id)"
    )
    assert len(ids) == len(set(ids)) == seeded
    b.screenshot("edges-room-start-long.png", full_page=False)


def test_the_counter_shows_near_the_limit_and_an_over_long_paste_is_kept_and_refused(person):
    a = person("A")
    a.create_room("긴 글")
    box, counter = a.page.locator("#chat"), a.page.locator("#chat-counter")
    expect(counter).to_have_attribute("aria-live", "polite")

    box.fill("가" * 899)
    expect(counter).to_be_hidden()
    box.fill("가" * 900)
    expect(counter).to_be_visible()
    expect(counter).to_contain_text("900 / 1,000")
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))

    # A paste of 1,012 characters stays whole.
    long_text = ("긴 문장입니다 " * 200)[: LIMIT + 12]
    box.fill("")
    box.focus()
    a.page.keyboard.insert_text(long_text)
    expect(box).to_have_value(long_text)
    expect(counter).to_contain_text("1,012 / 1,000")
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    expect(counter.locator(".visually-hidden")).to_have_text("1,000자 중 1,012자")
    expect(box).to_have_attribute("aria-invalid", "true")
    a.screenshot("edges-counter-over.png", full_page=False)

    box.press("Enter")
    expect(a.page.locator("#chat-error")).to_have_text(
        "메시지가 1,012자입니다. 최대 1,000자까지 보낼 수 있습니다. 줄여서 다시 보내세요."
    )
    expect(box).to_have_value(long_text)
    expect(a.page.locator("#chat-list li.message")).to_have_count(0)
    a.screenshot("edges-counter-refused.png", full_page=False)

    # Shortened, it goes; counted as the server counts, an emoji is one character.
    box.fill("👍" * LIMIT)
    expect(a.page.locator("#chat-error")).to_be_hidden()
    expect(counter).to_contain_text("1,000 / 1,000")
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))
    expect(box).not_to_have_attribute("aria-invalid", "true")
    box.press("Enter")
    expect(a.page.locator("#chat-list li.message.mine")).to_have_count(1)
    expect(box).to_have_value("")
    expect(counter).to_be_hidden()


def test_a_full_room_cannot_be_entered_from_the_lobby_until_someone_leaves(person):
    a, b, c = person("A"), person("B"), person("C")
    room_id = a.create_room("둘만", max=2)
    c.open_lobby()
    enter = c.lobby_row(room_id).locator(".enter a")
    expect(enter).to_have_text("입장")
    expect(enter).to_have_attribute("href", f"/room/{room_id}")

    b.enter(room_id)
    expect(c.lobby_row(room_id).locator(".count")).to_have_text("2")
    expect(enter).to_have_text("가득 참")
    expect(enter).not_to_have_attribute("href", re.compile(".*"))
    expect(enter).to_have_attribute("aria-disabled", "true")
    enter.click(force=True)  # a link without an address goes nowhere
    expect(c.page).to_have_url(f"{c.server.url}/")
    c.screenshot("edges-lobby-full.png")

    b.page.goto("/")  # B leaves; the exit becomes final after the debounce
    expect(enter).to_have_text("입장", timeout=ACTION_MS)
    expect(enter).to_have_attribute("href", f"/room/{room_id}")
    expect(enter).not_to_have_attribute("aria-disabled", "true")
    enter.click()
    c.wait_joined()


def test_remove_asks_once_more_naming_the_person_and_esc_takes_it_back(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("강퇴 확인")
    b.enter(room_id)
    kick = a.page.locator(f'button.kick[data-handle="{b.handle}"]')
    expect(kick).to_have_text("강퇴")

    kick.click()
    expect(kick).to_have_text(f"{b.color}님을 강퇴할까요? 한 번 더 누르세요")
    expect(kick).to_be_focused()
    a.screenshot("edges-remove-confirm.png", full_page=False)
    a.expect_participants(a.color, b.color)  # nobody removed yet
    kick.press("Escape")
    expect(kick).to_have_text("강퇴")
    expect(kick).not_to_have_attribute("data-confirm", "true")

    kick.click()
    expect(kick).to_have_attribute("data-confirm", "true")
    expect(kick).not_to_have_attribute("data-confirm", "true", timeout=ACTION_MS)  # turns back
    a.expect_participants(a.color, b.color)

    kick.click()
    kick.click()
    a.expect_participants(a.color)
    expect(b.page.locator("#chat-error")).to_have_text(
        "방에서 강퇴되었습니다. 잠시 후 목록으로 돌아갑니다."
    )


def test_a_removed_visitors_lobby_shows_the_room_closed_to_them(person):
    a, b, c = person("A"), person("B"), person("C")
    room_id = a.create_room("닫힌 방")
    b.enter(room_id)
    c.open_lobby()
    kick = a.page.locator(f'button.kick[data-handle="{b.handle}"]')
    kick.click()
    kick.click()
    expect(b.page).to_have_url(f"{b.server.url}/", timeout=ACTION_MS)
    b.wait_for_socket("/room")
    row = b.lobby_row(room_id)
    expect(row).to_have_class(re.compile(r"\bclosed\b"))
    expect(row.locator(".enter a")).to_have_text("입장 불가")
    expect(row.locator(".enter a")).not_to_have_attribute("href", re.compile(".*"))
    b.screenshot("edges-lobby-closed.png")

    # Live news of the room (someone new comes in) keeps it closed to B, open to others.
    d = person("D")
    d.enter(room_id)
    expect(b.lobby_row(room_id).locator(".count")).to_have_text("2")
    expect(row.locator(".enter a")).to_have_text("입장 불가")
    expect(c.lobby_row(room_id).locator(".enter a")).to_have_text("입장")
    b.page.reload()
    b.wait_for_socket("/room")
    expect(b.lobby_row(room_id).locator(".enter a")).to_have_text("입장 불가")
