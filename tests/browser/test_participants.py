"""Who is in the room: the participants panel, whispers, kicks and the owner's hand-over."""

import re

import pytest

from .people import ACTION_MS, GRACE, expect, room_of_three

pytestmark = pytest.mark.browser


def test_the_participants_list_shows_who_is_here_and_who_left(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("참여자 목록")
    b.enter(room_id)

    for someone in (a, b):
        someone.expect_participants(a.color, b.color)
        panel = someone.page.locator("#participant-list")
        expect(panel.locator("li.me")).to_have_attribute("data-color", someone.color)
        expect(panel.locator("li.owner")).to_have_attribute("data-color", a.color)
    # Only the owner may remove people; anyone may whisper to anyone else.
    expect(a.page.locator(f'button.kick[data-color="{b.color}"]')).to_be_visible()
    expect(a.page.locator(f'button.whisper[data-color="{b.color}"]')).to_be_visible()
    expect(a.page.locator(f'button[data-color="{a.color}"]')).to_have_count(0)
    expect(b.page.locator("button.kick")).to_have_count(0)
    expect(b.page.locator(f'button.whisper[data-color="{a.color}"]')).to_be_visible()

    b.page.locator("#exit-btn").click()
    expect(b.page).to_have_url(f"{b.server.url}/")
    a.expect_participants(a.color)
    expect(a.notice("exit", b.color).locator(".seen")).to_have_text(
        f"{b.color}님이 퇴장하셨습니다."
    )
    expect(a.page.locator("#whisper-to option")).to_have_count(1)  # "everyone" only


def test_a_whisper_reaches_only_its_addressee_even_after_a_reload(person):
    room_id, a, b, c = room_of_three(person, "귓속말")

    a.page.locator(f'button.whisper[data-color="{b.color}"]').click()
    expect(a.page.locator("#whisper-to")).to_have_value(b.handle)
    expect(a.page.locator("#chat")).to_be_focused()
    sent = a.say("B에게만 하는 말")
    expect(sent).to_have_class(re.compile(r"^message mine\b.*\bwhisper$"))
    expect(sent).to_have_attribute("data-to", b.color)
    heard = b.message("B에게만 하는 말")
    expect(heard).to_have_class(re.compile(r"^message other\b.*\bwhisper$"))
    expect(heard).to_have_attribute("data-to", b.color)
    expect(heard.locator(".whisper-label")).to_have_text("나에게 온 귓속말")

    a.page.locator("#whisper-to").select_option("")
    a.say("모두에게 하는 말")
    # C got the public message, sent after the whisper on the same feed: the whisper is not
    # on its way to C, it was never sent there.
    expect(c.message("모두에게 하는 말")).to_be_visible()
    expect(c.page.locator("#chat-list li.whisper")).to_have_count(0)
    expect(c.page.get_by_text("B에게만 하는 말")).to_have_count(0)

    c.reload()
    expect(c.message("모두에게 하는 말")).to_be_visible()
    expect(c.page.locator("#chat-list li.whisper")).to_have_count(0)
    expect(c.page.get_by_text("B에게만 하는 말")).to_have_count(0)

    b.reload()  # the addressee keeps it in their history
    expect(b.message("B에게만 하는 말")).to_have_attribute("data-to", b.color)
    expect(b.message("모두에게 하는 말")).to_be_visible()


def test_the_owner_removes_someone_who_cannot_come_back(person):
    room_id, a, b, c = room_of_three(person, "강퇴")

    kick = a.page.locator(f'button.kick[data-color="{b.color}"]')
    kick.click()
    kick.click()  # Remove asks once more
    expect(b.page.locator("#chat-error")).to_have_text(
        "방에서 강퇴되었습니다. 잠시 후 목록으로 돌아갑니다."
    )
    expect(c.notice("kick", b.color).locator(".seen")).to_have_text(
        f"{b.color}님이 강퇴되었습니다."
    )
    for someone in (a, c):
        someone.expect_participants(a.color, c.color)
    expect(b.page).to_have_url(f"{b.server.url}/", timeout=ACTION_MS)

    b.page.goto(f"/room/{room_id}")
    expect(b.page).to_have_url(f"{b.server.url}/")
    expect(b.page.locator(".flash.error")).to_have_text("이 방에서 강퇴되었습니다.")
    expect(b.page.locator("#room")).to_have_count(0)
    a.expect_participants(a.color, c.color)


def test_when_the_owner_leaves_the_longest_present_becomes_owner(person):
    room_id, a, b, c = room_of_three(person, "방장 교체")
    watcher = person("W").open_lobby()
    row = watcher.lobby_row(room_id)
    expect(row.locator(".owner .seen")).to_have_text(a.color)
    expect(b.page.locator("#delete-room")).to_have_count(0)

    a.close()
    for someone in (b, c):
        expect(someone.notice("exit", a.color)).to_be_visible()
        expect(someone.page.locator("#participant-list > li.owner")).to_have_attribute(
            "data-color", b.color, timeout=(GRACE + 8) * 1000
        )
        expect(someone.notice("owner", b.color).locator(".seen")).to_have_text(
            f"{b.color}님이 새 방장이 되었습니다."
        )
    expect(b.page.locator("#delete-room")).to_be_visible()
    expect(b.page.locator(f'button.kick[data-color="{c.color}"]')).to_be_visible()
    expect(c.page.locator("#delete-room")).to_have_count(0)
    expect(c.page.locator("button.kick")).to_have_count(0)
    expect(row.locator(".owner .seen")).to_have_text(b.color)

    # The new owner's controls work: B deletes the room, and everyone is told.
    b.page.locator("#delete-room").click()
    b.page.locator("#delete-room-confirm").click()
    expect(b.page).to_have_url(f"{b.server.url}/")
    expect(c.page.locator("#chat-error")).to_have_text(
        "방이 삭제되었습니다. 잠시 후 목록으로 돌아갑니다."
    )
    expect(row).to_have_count(0)
    expect(c.page).to_have_url(f"{c.server.url}/", timeout=ACTION_MS)
