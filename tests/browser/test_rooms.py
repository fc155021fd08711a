"""Journeys through the lobby and into rooms: meeting, secret rooms, full rooms, empty rooms."""

import re
import time

import pytest

from .people import ACTION_MS, GRACE, expect, expect_loaded

pytestmark = pytest.mark.browser


def test_a_new_room_appears_live_and_two_people_chat_and_share_a_gif(person, gif_path):
    a, b = person("A"), person("B")
    b.open_lobby()

    room_id = a.create_room("처음 만난 방")
    row = b.lobby_row(room_id)  # no reload: the lobby's live feed brings it
    expect(row.locator(".title")).to_have_text("처음 만난 방")
    expect(row.locator(".type")).to_have_text("공개방")
    expect(row.locator(".count")).to_have_text("1")
    expect(row.locator(".owner .seen")).to_have_text(a.color)

    row.get_by_role("link", name="입장").click()
    b.wait_joined()
    assert b.room_id == room_id
    expect(a.notice("join", b.color).locator(".seen")).to_have_text(
        f"{b.color}님이 입장하셨습니다."
    )

    mine = a.say("안녕하세요!")
    expect(b.message("안녕하세요!")).to_have_class(re.compile(r"\bother\b"))
    expect(mine.locator(".color-name")).to_have_text(a.color)
    b.say("반가워요")
    expect(a.message("반가워요")).to_have_class(re.compile(r"\bother\b"))
    expect(a.message("반가워요").locator(".color-name")).to_have_text(b.color)

    # Shift+Enter breaks the line; Enter sends both lines as one message.
    box = b.page.locator("#chat")
    box.fill("첫 줄")
    box.press("Shift+Enter")
    box.press_sequentially("둘째 줄")
    expect(box).to_have_value("첫 줄\n둘째 줄")
    box.press("Enter")
    last = a.page.locator("#chat-list li.message.other .bubble .text").last
    expect(last).to_have_js_property("textContent", "첫 줄\n둘째 줄")

    b.page.locator("#gif").set_input_files(gif_path)
    expect_loaded(b.page.locator("#chat-list li.message.mine .bubble img"))
    picture = a.page.locator("#chat-list li.message.other .bubble img")
    expect(picture).to_have_count(1)
    expect_loaded(picture)
    assert picture.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [64, 48]
    # Heard as a color word, never as a color's code.
    expect(picture).to_have_attribute("alt", re.compile(r"^손님, [가-힣]+님의 GIF$"))
    expect(b.page.locator("#upload-progress")).to_be_hidden()
    expect(b.page.locator("#chat-error")).to_be_hidden()


def test_a_secret_room_asks_for_its_password(person):
    a, c = person("A"), person("C")
    room_id = a.create_room("비밀 이야기", password="열려라 참깨")
    c.open_lobby()
    row = c.lobby_row(room_id)
    expect(row).to_have_class(re.compile(r"\bsecret\b"))
    expect(row.locator(".type")).to_have_text("비밀방")

    row.get_by_role("link", name="입장").click()
    expect(c.page).to_have_url(f"{c.server.url}/room/{room_id}")
    expect(c.page.get_by_label("비밀번호를 입력하세요.")).to_be_visible()
    expect(c.page.locator("#room")).to_have_count(0)

    c.page.locator("#password").fill("틀린 비밀번호")
    c.submit()
    expect(c.page.locator("main .error")).to_have_text("비밀번호가 일치하지 않습니다.")
    expect(c.page.locator("#password")).to_be_visible()  # still on the form, not let in
    expect(c.page.locator("#room")).to_have_count(0)
    expect(a.page.locator("#participant-count")).to_have_text("1")

    c.page.locator("#password").fill("열려라 참깨")
    c.submit()
    c.wait_joined()
    expect(c.page).to_have_url(f"{c.server.url}/room/{room_id}")
    expect(a.notice("join", c.color)).to_be_visible()
    c.say("들어왔어요")
    expect(a.message("들어왔어요")).to_be_visible()


def test_a_full_room_turns_a_third_person_away(person):
    a, b, c = person("A"), person("B"), person("C")
    room_id = a.create_room("둘만의 방", max=2)
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")

    c.open_lobby()
    row = c.lobby_row(room_id)
    expect(row.locator(".capacity")).to_have_text("2/2")
    expect(row).to_have_class(re.compile(r"\bfull\b"))
    expect(row.locator(".enter a")).to_have_text("가득 참")  # no live link to follow
    c.page.goto(f"/room/{room_id}")  # the address, from an invite say
    expect(c.page).to_have_url(f"{c.server.url}/")
    expect(c.page.locator(".flash.error")).to_have_text("허용 인원을 초과했습니다.")
    expect(c.page.locator("#room")).to_have_count(0)
    expect(a.page.locator("#participant-count")).to_have_text("2")


def test_a_room_its_last_person_left_disappears_after_the_grace_period(person):
    a, watcher = person("A"), person("W")
    room_id = a.create_room("곧 사라질 방")
    watcher.open_lobby()
    row = watcher.lobby_row(room_id)
    expect(row.locator(".count")).to_have_text("1")

    left = time.monotonic()
    a.close()
    expect(row.locator(".count")).to_have_text("0")
    expect(row).to_have_count(0, timeout=(GRACE + 8) * 1000)
    assert time.monotonic() - left >= GRACE, "removed before the grace period was over"

    watcher.page.goto(f"/room/{room_id}")
    expect(watcher.page).to_have_url(f"{watcher.server.url}/", timeout=ACTION_MS)
    expect(watcher.page.locator(".flash.error")).to_have_text("존재하지 않는 방입니다.")
