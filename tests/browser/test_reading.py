"""Journeys of reading a room: a run says its time once, each day is marked, the pill counts
what came while reading above, a line marks the first message missed, and a slow first load
says it is loading. What is checked is what people see and what screen readers hear."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from .people import expect, room_of_two
from .test_history_and_language import SEED
from .test_keyboard import EN_PHONE_DARK_STILL, KO_DESKTOP_LIGHT, into_the_list

pytestmark = pytest.mark.browser

CHATS_DATA = re.compile(r'(<script type="application/json" id="chats-data">)(.*?)(</script>)', re.S)

READERS = [
    pytest.param(
        KO_DESKTOP_LIGHT,
        {"today": "오늘", "new": "새 메시지", "two": "새 메시지 2개", "loading": "불러오는 중"},
        id="ko-desktop-light",
    ),
    pytest.param(
        EN_PHONE_DARK_STILL,
        {"today": "Today", "new": "New messages", "two": "2 new messages", "loading": "Loading"},
        id="en-phone-dark-still",
    ),
]


def heard(locator) -> str:
    """The accessibility tree's text for `locator` (hidden parts left out, labels in)."""
    return locator.aria_snapshot()


def clock(message):
    return message.locator("time .clock")


@pytest.mark.parametrize(("options", "words"), READERS)
def test_a_run_says_its_time_once_and_each_day_is_marked(person, options, words):
    a = person("A", **options)
    room_id = a.create_room("하루")
    for text in ("first", "second", "third"):
        a.say(text)
    a.page.mouse.move(0, 0)  # nothing hovered

    # One run, one time on screen: on its last message.
    expect(clock(a.message("first"))).to_have_css("opacity", "0")
    expect(clock(a.message("second"))).to_have_css("opacity", "0")
    expect(clock(a.message("third"))).to_have_css("opacity", "1")
    # Still heard on each, and shown on the one the keyboard is on.
    time = clock(a.message("first")).text_content()
    assert time and time in heard(a.message("first"))
    into_the_list(a)
    a.page.keyboard.press("ArrowUp")
    expect(a.message("second")).to_be_focused()
    expect(clock(a.message("second"))).to_have_css("opacity", "1")

    # Today is said once, over the room's first item.
    days = a.page.locator("#chat-list .day")
    expect(days).to_have_count(1)
    expect(days).to_have_text(words["today"])
    expect(a.page.locator("#chat-list > li:has(> .day)")).to_have_attribute("data-kind", "join")

    # Someone whose page says the room began days ago: a date there, "today" where today begins.
    b = person("B", **options)
    earlier = (datetime.now(UTC) - timedelta(days=3)).isoformat(timespec="milliseconds")

    def three_days_ago(route):
        page = route.fetch().text()
        start = CHATS_DATA.search(page)
        chats = json.loads(start.group(2))
        for chat in chats:
            if chat.get("chat") in (None, "first") or chat.get("kind") == "join":
                chat["createdAt"] = earlier.replace("+00:00", "Z")
        data = json.dumps(chats).replace("<", "\\u003c")
        route.fulfill(body=page[: start.start(2)] + data + page[start.end(2) :])

    b.page.route(f"**/room/{room_id}", three_days_ago)
    b.enter(room_id)
    marks = b.page.locator("#chat-list .day")
    expect(marks).to_have_count(2)
    expect(marks.nth(1)).to_have_text(words["today"])
    assert re.search(r"\d", marks.nth(0).text_content()), marks.nth(0).text_content()
    expect(b.message("second").locator(".day")).to_have_count(1)
    # A new day starts a new run: "second" says who said it again, and "first" its time.
    expect(b.message("second")).not_to_have_class(re.compile(r"\bgrouped\b"))
    expect(clock(b.message("first"))).to_have_css("opacity", "1")
    assert words["today"] in heard(b.message("second"))
    assert a.errors == b.errors == []


@pytest.mark.parametrize(("options", "words"), READERS)
def test_the_pill_counts_what_came_while_reading_above(person, options, words):
    a = person("A")
    room_id = a.create_room("긴 대화")
    a.page.evaluate(SEED, [40])
    b = person("B", **options)
    b.enter(room_id)

    # B goes up to the start by keyboard; A says two things meanwhile.
    into_the_list(b)
    b.page.keyboard.press("Home")
    expect(b.page.locator("#chat-list > li").first).to_be_focused()
    a.say("news one")
    a.say("news two")
    pill = b.page.locator("#new-messages")
    expect(pill).to_be_visible()
    expect(pill).to_contain_text(words["two"])
    assert words["two"] in heard(pill)
    expect(b.message("news two")).not_to_be_in_viewport()

    # Tab from the list reaches the pill; Enter goes down to them, and the pill goes.
    b.page.keyboard.press("Tab")
    expect(pill).to_be_focused()
    b.page.keyboard.press("Enter")
    expect(pill).to_be_hidden()
    expect(b.message("news two")).to_be_in_viewport()
    assert a.errors == b.errors == []


@pytest.mark.parametrize(("options", "words"), READERS)
def test_back_in_the_room_a_line_marks_the_first_message_missed(person, options, words):
    room_id, a, b = room_of_two(person, "돌아오기", **options)
    a.say("seen before")
    expect(b.message("seen before")).to_be_visible()
    b.open_lobby()  # B leaves having read everything
    a.say("missed one")
    a.say("missed two")

    b.enter(room_id)
    line = b.page.locator("#chat-list .unread-mark")
    expect(line).to_have_count(1)
    expect(line).to_have_text(words["new"])
    expect(b.message("missed one").locator(".unread-mark")).to_have_count(1)
    assert words["new"] in heard(b.message("missed one"))

    # Read now: back again later, nothing is marked.
    b.open_lobby()
    b.enter(room_id)
    expect(b.message("missed two")).to_be_visible()
    expect(b.page.locator("#chat-list .unread-mark")).to_have_count(0)
    assert a.errors == b.errors == []


@pytest.mark.parametrize(("options", "words"), READERS)
def test_a_slow_first_load_says_it_is_loading(person, options, words):
    a = person("A")
    room_id = a.create_room("느린 방")
    a.say("hello")
    b = person("B", **options)
    held = []
    b.page.route("**/static/js/chat.js", lambda route: held.append(route))  # held back a while

    b.page.goto(f"/room/{room_id}", wait_until="commit")
    loading = b.page.locator("#chat-loading")
    expect(loading).to_be_visible()
    expect(loading).to_contain_text(words["loading"])
    assert words["loading"] in heard(b.page.locator("#room"))
    # The stylesheet may still be on its way after the first paint: wait for it, not a moment.
    b.page.wait_for_function(
        """word => getComputedStyle(document.querySelector("#participant-list"), "::before")
            .content.includes(word)""",
        arg=words["loading"],
    )

    for route in held:
        route.continue_()
    b.page.unroute("**/static/js/chat.js")
    b.wait_joined()
    expect(loading).to_be_hidden()
    expect(b.message("hello")).to_be_visible()
    assert a.errors == b.errors == []


# The tab hidden, or shown again, as a browser does when its visitor switches tabs.
TAB = """hidden => {
  const state = hidden ? "hidden" : "visible";
  Object.defineProperty(document, "visibilityState", {configurable: true, get: () => state});
  document.dispatchEvent(new Event("visibilitychange"));
}"""


@pytest.mark.parametrize(("options", "words"), READERS)
def test_back_in_the_tab_a_line_marks_the_first_message_missed(person, options, words):
    _room_id, a, b = room_of_two(person, "다른 탭", **options)
    a.say("while here")
    expect(b.message("while here")).to_be_visible()
    title = b.page.title()

    b.page.evaluate(TAB, True)  # B looks at another tab
    a.say("while away")
    a.say("still away")
    expect(b.page).to_have_title(f"(2) {title}")
    b.page.evaluate(TAB, False)
    expect(b.page).to_have_title(title)
    line = b.page.locator("#chat-list .unread-mark")
    expect(line).to_have_count(1)
    expect(b.message("while away").locator(".unread-mark")).to_have_text(words["new"])

    # Away again: the line moves to the first message of this absence.
    b.page.evaluate(TAB, True)
    a.say("third time")
    b.page.evaluate(TAB, False)
    expect(b.message("third time").locator(".unread-mark")).to_have_count(1)
    expect(line).to_have_count(1)
    assert a.errors == b.errors == []
