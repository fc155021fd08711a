"""Journeys through a long history, and in English."""

import re

import pytest

from .people import ACTION_MS, expect

pytestmark = pytest.mark.browser

SEEDED = 300
PAGE_SIZE = 50  # HISTORY_PAGE_SIZE, the server's default

# Posted from A's page with its own cookie and CSRF token, one after another so that their
# order is known, as fast as the server answers.
SEED = """
async ([count]) => {
  const url = document.getElementById("room").dataset.chatUrl;
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const headers = {
    "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token,
  };
  for (let i = 1; i <= count; i++) {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({chat: "history " + String(i).padStart(3, "0")}),
    });
    if (response.status !== 201) throw new Error(response.status + " " + await response.text());
  }
}
"""


def test_scrolling_up_loads_older_messages_and_a_new_one_shows_the_pill(person):
    a, b = person("A"), person("B")
    room_id = a.create_room("긴 역사")
    a.page.evaluate(SEED, [SEEDED])
    expect(a.message(f"history {SEEDED}")).to_be_visible()

    b.enter(room_id)
    messages = b.page.locator("#chat-list li.message")
    expect(messages).to_have_count(PAGE_SIZE)
    expect(messages.last.locator(".text")).to_have_text(f"history {SEEDED}")
    expect(b.page.locator("#new-messages")).to_be_hidden()

    chat_list = b.page.locator("#chat-list")
    loaded = PAGE_SIZE
    for _ in range(SEEDED // PAGE_SIZE + 2):  # a page per scroll, and one to find the start
        if loaded >= SEEDED:
            break
        chat_list.evaluate("list => { list.scrollTop = 0; }")
        b.page.wait_for_function(
            "n => document.querySelectorAll('#chat-list li.message').length > n",
            arg=loaded,
            timeout=ACTION_MS,
        )
        loaded = messages.count()
    texts = messages.locator(".text").all_text_contents()
    assert texts == [f"history {i:03}" for i in range(1, SEEDED + 1)], "history out of order"
    # Older still: the notice of A coming in, the very start of the room.
    chat_list.evaluate("list => { list.scrollTop = 0; }")
    first = b.page.locator("#chat-list li:not(.room-start)").first
    expect(first).to_have_attribute("data-kind", "join")
    expect(first).to_have_attribute("data-who", a.color)
    ids = b.page.locator("#chat-list li[data-id]:not(.room-start)").evaluate_all(
        "lis => lis.map(li => li.dataset.id)"
    )
    # And the newest: B's own entry, said after B's page was made, which its join caught up on.
    expect(b.notice("join", b.color)).to_be_attached()
    assert len(ids) == len(set(ids)) == SEEDED + 2, "a message missing or shown twice"

    # Scrolled up reading; someone else says something: a pill, not a jump.
    assert chat_list.evaluate("list => list.scrollHeight - list.scrollTop - list.clientHeight") > 48
    a.say("새 소식")
    expect(b.message("새 소식")).to_be_attached()
    pill = b.page.locator("#new-messages")
    expect(pill).to_be_visible()
    expect(b.message("새 소식")).not_to_be_in_viewport()
    pill.click()
    expect(b.message("새 소식")).to_be_in_viewport()
    expect(pill).to_be_hidden()


def test_english_changes_the_page_and_the_notices_and_stays_after_a_reload(person):
    a, b, c = person("A"), person("B"), person("C")
    a.open_lobby()
    expect(a.page.locator("html")).to_have_attribute("lang", "ko")
    a.page.locator('form.lang button[value="en"]').click()
    expect(a.page.locator("html")).to_have_attribute("lang", "en")
    expect(a.page.locator("main h1")).to_have_text("GIF chat")
    expect(a.page.locator("#room-list thead")).to_contain_text("Title")
    expect(a.page.locator('a[href="/room"]')).to_have_text("Create a room")
    expect(a.page.locator('form.lang button[value="en"]')).to_have_attribute("aria-current", "true")

    room_id = a.create_room("English room")
    expect(a.page.locator("#exit-btn")).to_have_text("Leave room")
    b.enter(room_id)  # B's browser still speaks Korean
    expect(a.notice("join", b.color).locator(".seen")).to_have_text(f"{b.color} joined.")

    a.reload()
    expect(a.page.locator("html")).to_have_attribute("lang", "en")
    expect(a.page.locator("#exit-btn")).to_have_text("Leave room")
    # The stored notice comes back with the history, still in the viewer's language.
    expect(a.notice("join", b.color).locator(".seen")).to_have_text(f"{b.color} joined.")

    # One event, each in their own language.
    c.enter(room_id)
    expect(a.notice("join", c.color).locator(".seen")).to_have_text(f"{c.color} joined.")
    expect(b.notice("join", c.color).locator(".seen")).to_have_text(
        f"{c.color}님이 입장하셨습니다."
    )
    c.page.locator("#exit-btn").click()
    expect(a.notice("exit", c.color).locator(".seen")).to_have_text(f"{c.color} left.")
    expect(b.notice("exit", c.color).locator(".seen")).to_have_text(
        f"{c.color}님이 퇴장하셨습니다."
    )

    b.say("한국어로 말해요")
    expect(a.message("한국어로 말해요")).to_have_class(re.compile(r"\bother\b"))
    a.page.goto("/")
    expect(a.page.locator("html")).to_have_attribute("lang", "en")
    expect(a.lobby_row(room_id).locator(".type")).to_have_text("Public")
