"""Journeys by keyboard alone: the message list is one tab stop with arrows inside it, the
reaction picker is a menu, a message's tools are heard only when it is focused, and a new
message is announced as "name: text", never with its tools or a color's code."""

import re

import pytest

from .people import DESKTOP, expect, room_of_two

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CODE = re.compile(r"#[0-9a-f]{6}", re.IGNORECASE)
MOST_STOPS = 60  # a bound on every walk through the page: a loop that never ends is a failure

# Each walk runs as someone with their own way of seeing the page (test_reading.py too).
KO_DESKTOP_LIGHT = {"locale": "ko-KR", "viewport": DESKTOP, "color_scheme": "light"}
EN_PHONE_DARK_STILL = {
    "locale": "en-US",
    "viewport": PHONE,
    "color_scheme": "dark",
    "reduced_motion": "reduce",
}
READERS = [
    pytest.param(
        KO_DESKTOP_LIGHT,
        {"leave": "방 나가기", "react": "반응 더 보기", "reply": "답장", "delete": "삭제"},
        id="ko-desktop-light",
    ),
    pytest.param(
        EN_PHONE_DARK_STILL,
        {"leave": "Leave room", "react": "More reactions", "reply": "Reply", "delete": "Delete"},
        id="en-phone-dark-still",
    ),
]

# What has the focus: enough to say where it is, from the page's point of view.
FOCUSED = """() => {
  const el = document.activeElement;
  const li = el.closest("#chat-list > li");
  return {
    id: el.id, tag: el.tagName, cls: el.className, role: el.getAttribute("role"),
    text: (el.getAttribute("aria-label") || el.textContent || "").trim(),
    item: li ? li.dataset.id : null, isItem: el === li,
  };
}"""


def focused(someone) -> dict:
    return someone.page.evaluate(FOCUSED)


def walk(someone, key: str, until) -> list[dict]:
    """Press `key` until `until(focused)`, within MOST_STOPS presses; every stop on the way."""
    stops = []
    for _ in range(MOST_STOPS):
        someone.page.keyboard.press(key)
        stops.append(focused(someone))
        if until(stops[-1]):
            return stops
    raise AssertionError(f"{key} never got there: {stops}")


def heard(locator) -> str:
    """The accessibility tree's text for `locator` (hidden parts left out, labels in)."""
    return locator.aria_snapshot()


def into_the_list(someone) -> dict:
    """From the message box, Shift+Tab to the list's one stop."""
    someone.page.locator("#chat").focus()
    return walk(someone, "Shift+Tab", lambda stop: stop["item"])[-1]


@pytest.mark.parametrize(("options", "words"), READERS)
def test_the_messages_are_one_tab_stop_with_arrows_inside(person, options, words):
    a = person("A", **options)
    a.create_room("키보드")
    said = ["one", "two", "three", "four"]
    for text in said:
        a.say(text)
    ids = [a.message(text).get_attribute("data-id") for text in said]

    # From the message box back to "Leave room": the four messages cost one stop, the newest.
    a.page.locator("#chat").focus()
    stops = walk(a, "Shift+Tab", lambda stop: stop["id"] == "exit-btn")
    in_list = [stop for stop in stops if stop["item"]]
    assert [stop["item"] for stop in in_list] == [ids[-1]], stops
    assert in_list[0]["isItem"], in_list
    assert stops[-1]["text"] == words["leave"]

    # Back in, the arrows go from message to message, Home and End to the ends.
    walk(a, "Tab", lambda stop: stop["item"])
    assert focused(a)["item"] == ids[-1]
    a.page.keyboard.press("ArrowUp")
    assert focused(a)["item"] == ids[-2]
    a.page.keyboard.press("ArrowUp")
    assert focused(a)["item"] == ids[-3]
    a.page.keyboard.press("ArrowDown")
    assert focused(a)["item"] == ids[-2]
    a.page.keyboard.press("Home")
    first = a.page.locator("#chat-list > li").first
    expect(first).to_be_focused()
    a.page.keyboard.press("End")
    expect(a.message("four")).to_be_focused()

    # The focused message offers its tools; the others are not heard with theirs.
    expect(a.message("four").locator(".tools")).to_be_visible()
    assert words["react"] in heard(a.message("four"))
    for text in said[:-1]:
        spoken = heard(a.message(text))
        assert words["react"] not in spoken and words["delete"] not in spoken, spoken

    # Where the reader left off is where Tab brings them back, whatever came since; a reader
    # who was on the newest comes back to the newest.
    a.page.keyboard.press("ArrowUp")
    a.say("five")
    assert into_the_list(a)["item"] == ids[-2]
    a.page.keyboard.press("End")
    a.say("six")
    expect(a.message("six")).to_have_attribute("tabindex", "0")
    assert into_the_list(a)["item"] == a.message("six").get_attribute("data-id")
    assert a.errors == []


@pytest.mark.parametrize(("options", "words"), READERS)
def test_the_reaction_picker_is_a_menu(person, options, words):
    a = person("A", **options)
    a.create_room("반응 메뉴")
    a.say("pick one")
    message = a.message("pick one")

    into_the_list(a)
    expect(message).to_be_focused()
    a.page.keyboard.press("Tab")
    more = message.locator(".react-more")
    expect(more).to_be_focused()
    expect(more).to_have_attribute("aria-haspopup", "menu")

    # Enter opens it and focus goes in; the arrows move; Esc closes it and focus comes back.
    a.page.keyboard.press("Enter")
    expect(more).to_have_attribute("aria-expanded", "true")
    menu = message.get_by_role("menu", name=words["react"])
    expect(menu).to_be_visible()
    choices = menu.get_by_role("menuitemcheckbox")
    assert choices.count() >= 3
    expect(choices.nth(0)).to_be_focused()
    a.page.keyboard.press("ArrowRight")
    expect(choices.nth(1)).to_be_focused()
    a.page.keyboard.press("ArrowLeft")
    a.page.keyboard.press("ArrowLeft")  # round to the last
    expect(choices.last).to_be_focused()
    a.page.keyboard.press("Escape")
    expect(more).to_be_focused()
    expect(more).to_have_attribute("aria-expanded", "false")
    expect(message.get_by_role("menu")).to_have_count(0)

    # ↓ opens it too; Enter on a choice reacts, closes it and gives focus back to ☺+.
    a.page.keyboard.press("ArrowDown")
    chosen = choices.nth(1)
    a.page.keyboard.press("ArrowDown")
    emoji = chosen.get_attribute("data-emoji")
    expect(chosen).to_be_focused()
    a.page.keyboard.press("Enter")
    expect(more).to_be_focused()
    reaction = message.locator(f'button.reaction[data-emoji="{emoji}"]')
    expect(reaction).to_have_attribute("aria-pressed", "true")
    expect(reaction.locator(".count")).to_have_text("1")

    # Tab from ☺+ goes on to Reply (never to Delete, whose Enter would arm it).
    a.page.keyboard.press("Tab")
    expect(message.locator(".reply-message")).to_be_focused()
    assert focused(a)["text"] == words["reply"]

    # Reply by keyboard: the box takes the focus, and the answer quotes the message.
    a.page.keyboard.press("Enter")
    expect(a.page.locator("#reply-bar")).to_be_visible()
    expect(a.page.locator("#chat")).to_be_focused()
    a.page.keyboard.type("answered")
    a.page.keyboard.press("Enter")
    expect(a.message("answered").locator(".reply-quote")).to_be_visible()

    # Edit by ↑ in the empty box, still, once the answer is sent (not before: ↑ would edit
    # nothing while it is on its way).
    expect(a.message("answered")).not_to_have_class(re.compile(r"\bpending\b"))
    a.page.keyboard.press("ArrowUp")
    expect(a.page.locator("#chat")).to_have_value("answered")
    a.page.keyboard.press("Control+A")
    a.page.keyboard.type("answered again")
    a.page.keyboard.press("Enter")
    expect(a.message("answered again")).to_have_count(1)

    # Delete by keyboard: from the message, Tab to Delete, Enter arms it, Enter again deletes;
    # the focus stays in the list, on the message that took its place.
    into_the_list(a)
    expect(a.message("answered again")).to_be_focused()
    walk(a, "Tab", lambda stop: stop["text"] == words["delete"])
    a.page.keyboard.press("Enter")
    a.page.keyboard.press("Enter")
    expect(a.message("answered again")).to_have_count(0)
    expect(message.locator(".react-more")).to_be_focused()  # the message above, its first tool
    assert a.errors == []


@pytest.mark.parametrize(
    ("locale", "guest", "tool"),
    [("ko-KR", "손님, ", "반응 더 보기"), ("en-US", "Guest, ", "More reactions")],
    ids=["ko", "en"],
)
def test_a_new_message_is_announced_as_name_and_text(person, locale, guest, tool):
    _room_id, a, b = room_of_two(
        person, "들리는 말", locale=locale, color_scheme="dark", reduced_motion="reduce"
    )
    announcer = b.page.locator("#chat-announce")
    # The list itself is not live: it would read every message's tools with it.
    assert b.page.locator("#chat-list").get_attribute("aria-live") is None

    # Someone without a name: "Guest" and a color word, never the color's code.
    a.say("hello there")
    line = announcer.locator("p").last
    expect(line).to_contain_text(": hello there")
    said = line.text_content()
    assert said.startswith(guest) and said.endswith(": hello there"), said
    assert CODE.search(said) is None, said

    # With a name, the name; and only "name: text", whatever tools the message has.
    a.set_name("Mina")
    a.say("named now")
    expect(line).to_have_text("Mina: named now")
    assert tool not in announcer.text_content()
    assert CODE.search(announcer.text_content()) is None

    # My own messages are not read back to me.
    b.say("hi Mina")
    expect(a.page.locator("#chat-announce p").last).to_contain_text(": hi Mina")
    assert "hi Mina" not in announcer.text_content()
    assert a.errors == b.errors == []
