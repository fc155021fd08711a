"""Names people choose, seen by the others; whispers that end when they should."""

import re
import sqlite3
from contextlib import closing

import msgspec
import pytest

from .people import expect, room_of_three

pytestmark = pytest.mark.browser


def test_a_name_chosen_by_one_is_seen_by_the_others(person):
    a, b = person("A"), person("B")
    a.open_lobby()
    a.set_name("  앨리스 <b>  ")  # trimmed, and shown as text, never as markup
    room_id = a.create_room("이름")
    expect(a.page.locator("#my-name")).to_have_text("앨리스 <b>")

    watcher = person("W").open_lobby()
    expect(watcher.lobby_row(room_id).locator(".owner .color-name")).to_have_text("앨리스 <b>")
    expect(watcher.lobby_row(room_id).locator(".owner .color-code")).to_have_text(a.color)

    b.enter(room_id)
    owner = b.page.locator(f'#participant-list > li[data-handle="{a.handle}"]')
    expect(owner.locator(".color-name")).to_have_text("앨리스 <b>")
    expect(owner.locator(".color-code")).to_have_text(a.color)
    expect(owner.locator(".owner-badge")).to_be_visible()
    heard = b.message("안녕")
    a.say("안녕")
    expect(heard.locator(".meta .color-name")).to_have_text("앨리스 <b>")
    expect(heard.locator(".meta .owner-badge")).to_be_visible()

    # A name chosen in the room reaches the others at once: the list, then new messages.
    b.set_name("밥")
    me_there = a.page.locator(f'#participant-list > li[data-handle="{b.handle}"]')
    expect(me_there.locator(".color-name")).to_have_text("밥")
    expect(me_there.locator(".owner-badge")).to_have_count(0)
    b.say("반가워요")
    expect(a.message("반가워요").locator(".meta .color-name")).to_have_text("밥")
    expect(a.message("반가워요").locator(".meta .owner-badge")).to_have_count(0)
    # The lobby hears the owner's new name as well.
    a.set_name("앨리")
    expect(watcher.lobby_row(room_id).locator(".owner .color-name")).to_have_text("앨리")
    a.screenshot("people-names.png")
    watcher.screenshot("people-names-lobby.png")
    assert a.errors == b.errors == watcher.errors == []


def test_a_name_that_cannot_be_used_is_refused_in_the_page(person):
    a = person("A").open_lobby()
    a.page.locator("#name-edit > summary").click()
    # The field's own maxlength stops typing at 30; a pasted control character gets through it.
    a.page.locator("#name-input").fill("a\u0007b")
    a.page.locator("#name-form button[type=submit]").click()
    expect(a.page.locator("#name-error")).to_have_text(
        "이름에는 보이지 않는 문자, 줄바꿈 문자, 글의 방향을 바꾸는 문자를 쓸 수 없습니다."
    )
    expect(a.page.locator("#my-name")).to_have_text(a.color)


def test_whisper_mode_ends_after_one_message_and_esc_leaves_it(person):
    _room_id, a, b, c = room_of_three(person, "귓속말 모드")
    banner = a.page.locator("#whisper-banner")
    expect(banner).to_be_hidden()

    a.page.locator(f'button.whisper[data-handle="{b.handle}"]').click()
    expect(banner).to_be_visible()
    expect(a.page.locator("#whisper-banner-text")).to_contain_text(b.color)
    a.screenshot("whisper-banner.png", full_page=False)
    a.say("B에게만")
    # One whisper, and the mode is over: the next message goes to everyone.
    expect(banner).to_be_hidden()
    expect(a.page.locator("#whisper-to")).to_have_value("")
    a.say("모두에게")
    expect(c.message("모두에게")).to_be_visible()
    expect(c.message("모두에게")).not_to_have_class(re.compile(r"\bwhisper\b"))
    expect(b.message("B에게만")).to_have_class(re.compile(r"\bwhisper\b"))
    expect(c.page.get_by_text("B에게만")).to_have_count(0)

    # Esc leaves the mode before anything is sent.
    a.page.locator(f'button.whisper[data-handle="{c.handle}"]').click()
    expect(banner).to_be_visible()
    a.page.locator("#chat").fill("취소한 귓속말")
    a.page.locator("#chat").press("Escape")
    expect(banner).to_be_hidden()
    expect(a.page.locator("#chat")).to_be_focused()
    a.page.locator("#chat").press("Enter")
    expect(b.message("취소한 귓속말")).to_be_visible()  # it went to everyone

    # Pinned, a whisper lasts until the close button ends it.
    a.page.locator(f'button.whisper[data-handle="{c.handle}"]').click()
    a.page.locator("#whisper-pin").check()
    a.say("C에게 하나")
    a.say("C에게 둘")
    expect(banner).to_be_visible()
    for text in ("C에게 하나", "C에게 둘"):
        expect(c.message(text)).to_have_class(re.compile(r"\bwhisper\b"))
        expect(b.page.get_by_text(text)).to_have_count(0)
    a.page.locator("#whisper-close").click()
    expect(banner).to_be_hidden()
    expect(a.page.locator("#whisper-pin")).not_to_be_checked()
    a.say("다시 모두에게")
    expect(b.message("다시 모두에게")).to_be_visible()
    a.screenshot("whisper-history.png")
    assert a.errors == b.errors == c.errors == []


def take_color(someone, color, server) -> None:
    """Give someone's session this color, as reloading without a cookie until it came up would."""
    sid = next(c["value"] for c in someone.context.cookies() if c["name"] == "session")
    with closing(sqlite3.connect(server.folder / "instance" / "sessions.sqlite3")) as db, db:
        (data,) = db.execute(
            "SELECT data FROM sessions WHERE id = ?", (f"session:{sid}",)
        ).fetchone()
        changed = {**msgspec.msgpack.decode(data), "color": color}
        db.execute(
            "UPDATE sessions SET data = ? WHERE id = ?",
            (msgspec.msgpack.encode(changed), f"session:{sid}"),
        )
    someone.page.reload()
    someone._color = None
    assert someone.color == color


def test_a_look_alike_is_told_apart_and_cannot_pass_for_the_owner(person, server):
    a, b, e = person("A"), person("B"), person("E")
    room_id = a.create_room("닮은꼴")
    take_color(e, a.color, server)
    e.enter(room_id)
    b.enter(room_id)
    listed = b.page.locator("#participant-list > li")
    expect(listed).to_have_count(3)
    real = b.page.locator(f'#participant-list > li[data-handle="{a.handle}"]')
    fake = b.page.locator(f'#participant-list > li[data-handle="{e.handle}"]')
    expect(real).to_have_attribute("data-color", a.color)
    expect(fake).to_have_attribute("data-color", a.color)
    # The two are told apart by their handles' short forms; only the owner has the mark.
    expect(real.locator(".handle-tag")).to_have_text(a.handle[:4])
    expect(fake.locator(".handle-tag")).to_have_text(e.handle[:4])
    expect(real.locator(".owner-badge")).to_be_visible()
    expect(fake.locator(".owner-badge")).to_have_count(0)
    a.say("진짜 방장")
    e.say("내가 방장")
    expect(b.message("진짜 방장").locator(".owner-badge")).to_be_visible()
    expect(b.message("내가 방장").locator(".owner-badge")).to_have_count(0)
    expect(b.message("내가 방장").locator(".handle-tag")).to_have_text(e.handle[:4])
    b.screenshot("people-look-alike.png")

    # The owner removes the look-alike, and only them.
    kick = a.page.locator(f'button.kick[data-handle="{e.handle}"]')
    kick.click()
    kick.click()  # Remove asks once more
    expect(e.page.locator("#chat-error")).to_have_text(
        "방에서 강퇴되었습니다. 잠시 후 목록으로 돌아갑니다."
    )
    expect(listed).to_have_count(2)
    expect(real.locator(".owner-badge")).to_be_visible()
    expect(real.locator(".handle-tag")).to_have_count(0)  # no twin left to tell apart
    a.say("아직 여기")
    expect(b.message("아직 여기")).to_be_visible()
