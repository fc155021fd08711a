"""A 390 px phone, with and without the keyboard: what a visitor can read, see and tap.

Measured the way a finger meets the page: boxes from getBoundingClientRect and, for "can be
tapped", document.elementFromPoint at the control's centre (whatever is drawn on top answers).
"""

import re

import pytest

from .people import expect

pytestmark = pytest.mark.browser

TALL = {"width": 390, "height": 844}
KEYBOARD = {"width": 390, "height": 450}  # the same phone with its keyboard up
TOUCH = {"is_mobile": True, "has_touch": True}  # a coarse pointer without hover
TARGET_PX = 44
SEEN = [("ko-KR", "light"), ("en-US", "dark")]

LONG_NAME = "아주아주긴이름을가진방주인입니다"
SENTENCE = {
    "ko-KR": "이것은 방주인이 보내는 긴 귓속말입니다. 한 문장 전체가 한 줄에 한 글자씩 보이면 "
    "읽을 수가 없으니 말풍선은 충분히 넓어야 합니다.",
    "en-US": "This is a whisper from the owner of the room, a whole sentence long, which nobody "
    "could read one letter to a line, so its bubble has to stay wide enough to read.",
}
FIRST, SECOND, THIRD = "하나", "둘은 이어지는 말", "셋"

# Whether the element drawn at the middle of `el`, and at a quarter in from either side, is
# `el` or inside it: what a tap there would hit (a pill's round corners are not its own).
HIT = """(el) => {
  const r = el.getBoundingClientRect();
  const y = r.top + r.height / 2;
  return [0.25, 0.5, 0.75].every((at) => {
    const top = document.elementFromPoint(r.left + r.width * at, y);
    return top === el || el.contains(top) || (el.control && el.control === top);
  });
}"""

# Every control a person can see on the page, with its size: a checkbox counts by its label,
# a link inside a message's text by its line (not a control of the page's own).
CONTROLS = """() => {
  const seen = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;  // visually hidden, or not rendered
    if (r.bottom < -window.scrollY) return false;  // the skip link, parked above the page
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.visibility === "hidden" || Number(style.opacity) === 0) return false;
    }
    return true;
  };
  const found = new Set();
  const selector = "a[href], button, select, textarea, summary, input:not([type=hidden])";
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest(".bubble p.text")) continue;
    const boxed = el.matches("input[type=checkbox], input[type=radio]");
    const control = boxed ? el.closest("label") || el : el;
    if (seen(control)) found.add(control);
  }
  return [...found].map((el) => {
    const r = el.getBoundingClientRect();
    const name = (el.getAttribute("aria-label") || el.textContent || el.id || el.name || "").trim();
    return {what: `${el.tagName.toLowerCase()}.${el.className} "${name.slice(0, 30)}"`,
            width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10};
  });
}"""


# Whether `el` shows whole within the message list's scrolled view.
IN_LIST = """(el) => {
  const r = el.getBoundingClientRect();
  const view = document.getElementById("chat-list").getBoundingClientRect();
  return r.top >= view.top && r.bottom <= view.bottom;
}"""


def box(locator) -> dict:
    return locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
        " width: r.width, height: r.height}; }"
    )


def can_tap(locator) -> bool:
    return locator.evaluate(HIT)


def assert_targets(someone, where):
    small = [
        c for c in someone.page.evaluate(CONTROLS) if min(c["width"], c["height"]) < TARGET_PX - 0.5
    ]
    assert not small, (
        f"{where}: controls under {TARGET_PX}×{TARGET_PX} px on a touch screen: {small}"
    )


def assert_no_sideways_scroll(someone, where):
    overflow = someone.horizontal_overflow()
    assert overflow["page"] <= 0, f"{where} scrolls sideways by {overflow['page']}px"


def owner_and_phone(person, locale, scheme, viewport=TALL):
    """A named owner on a desktop and a guest on a touch phone, in one room with a run."""
    a = person("A", locale=locale, color_scheme=scheme)
    a.set_name(LONG_NAME)
    a.create_room({"ko-KR": "휴대폰으로 보는 방", "en-US": "Seen on a phone"}[locale])
    b = person("B", locale=locale, color_scheme=scheme, viewport=viewport, **TOUCH)
    b.enter(a.room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    for text in (FIRST, SECOND):
        a.say(text)
    a.page.locator(f'button.whisper[data-handle="{b.handle}"]').click()
    a.say(SENTENCE[locale])
    a.say(THIRD)
    expect(b.message(THIRD)).to_be_visible()
    return a, b


@pytest.mark.parametrize("locale, scheme", SEEN)
def test_a_long_name_line_leaves_a_bubble_room_to_read(person, locale, scheme):
    a, b = owner_and_phone(person, locale, scheme)
    whisper = b.message(SENTENCE[locale])
    expect(whisper).to_have_class(re.compile(r"\bwhisper\b"))
    b.screenshot(f"phone-whisper-{locale}-{scheme}.png", full_page=False)
    # The owner's name, mark and "whispered to you" fill the name line; the sentence still
    # reads in lines most of the list wide, on the phone and on the sender's desktop.
    for someone, where in ((b, "the phone"), (a, "the desktop")):
        list_width = box(someone.page.locator("#chat-list"))["width"]
        bubble = box(someone.message(SENTENCE[locale]).locator(".bubble"))
        assert bubble["width"] >= 0.6 * list_width, (where, bubble, list_width)
    assert_no_sideways_scroll(b, "the room")


@pytest.mark.parametrize("locale, scheme", SEEN)
def test_reactions_of_a_grouped_message_sit_under_it_and_every_choice_can_be_tapped(
    person, locale, scheme
):
    a, b = owner_and_phone(person, locale, scheme)
    grouped = b.message(SECOND)
    expect(grouped).to_have_class(re.compile(r"\bgrouped\b"))
    grouped.locator(".bubble .text").tap()
    more = grouped.locator(".react-more")
    expect(more).to_be_visible()
    assert can_tap(more), "the phone's ☺+ is covered"
    more.tap()
    choices = grouped.locator(".reactions.picking button.reaction")
    expect(choices.first).to_be_visible()
    b.screenshot(f"phone-picker-{locale}-{scheme}.png", full_page=False)
    bubble = box(grouped.locator(".bubble"))
    next_top = box(b.message(SENTENCE[locale]))["top"]
    for index in range(choices.count()):
        choice = choices.nth(index)
        place = box(choice)
        assert bubble["bottom"] <= place["top"] and place["bottom"] <= next_top, (index, place)
        assert can_tap(choice), f"reaction {index} cannot be tapped"
    choices.first.tap()
    chip = grouped.locator(".reactions button.reaction[aria-pressed=true]")
    expect(chip.locator(".count")).to_have_text("1")
    # The chip reads as this message's: under its bubble, above the next message.
    place = box(chip)
    assert box(grouped.locator(".bubble"))["bottom"] <= place["top"], place
    assert place["bottom"] <= box(b.message(SENTENCE[locale]))["top"], place
    first = b.message(FIRST).locator(".reactions")
    expect(first).to_be_hidden()

    # With a mouse on a desktop, the same: ☺+ on hover, every choice under the bubble.
    mine = a.message(SECOND)
    mine.locator(".bubble").hover()
    mine.locator(".react-more").click()
    picks = mine.locator(".reactions.picking button.reaction")
    expect(picks.first).to_be_visible()
    for index in range(picks.count()):
        assert can_tap(picks.nth(index)), f"reaction {index} cannot be clicked on the desktop"
        assert box(mine.locator(".bubble"))["bottom"] <= box(picks.nth(index))["top"]


@pytest.mark.parametrize("locale, scheme", SEEN)
def test_opened_tools_never_cover_a_name(person, locale, scheme):
    a, b = owner_and_phone(person, locale, scheme)
    names = "#chat-list li.message:not(.grouped) .meta .person"

    def every_name_shows(someone, where):
        people = someone.page.locator(names)
        for index in range(people.count()):
            name = people.nth(index)
            if name.evaluate(IN_LIST):
                assert can_tap(name), f"{where}: a name is covered ({name.text_content()})"

    for text in (FIRST, SECOND, SENTENCE[locale], THIRD):
        message = b.message(text)
        message.locator(".bubble .text").tap()
        expect(message.locator(".tools")).to_be_visible()
        every_name_shows(b, f"the phone with the tools of {text[:10]!r} open")
        message.locator(".bubble .text").tap()
    b.screenshot(f"phone-tools-{locale}-{scheme}.png", full_page=False)

    for text in (FIRST, SECOND, SENTENCE[locale], THIRD):
        a.message(text).locator(".bubble").hover()
        expect(a.message(text).locator(".tools")).to_have_css("opacity", "1")
        every_name_shows(a, f"the desktop hovering {text[:10]!r}")


@pytest.mark.parametrize("locale, scheme", SEEN)
def test_with_the_keyboard_up_nothing_covers_the_composer(person, locale, scheme):
    a, b = owner_and_phone(person, locale, scheme, viewport=KEYBOARD)
    for line in range(8):  # more than the list can show
        a.say(f"{line}번째 줄")
    expect(b.message("7번째 줄")).to_be_visible()
    b.page.locator("#chat").tap()
    b.screenshot(f"phone-keyboard-{locale}-{scheme}.png", full_page=False)
    controls = ["#chat", "#chat-form button[type=submit]", "#chat-form .gif-button",
                "#gif-picker-toggle", "#whisper-to"]  # fmt: skip
    viewport = b.page.viewport_size
    for selector in controls:
        control = b.page.locator(selector)
        place = box(control)
        assert 0 <= place["top"] and place["bottom"] <= viewport["height"], (selector, place)
        assert can_tap(control), f"{selector} is covered with the keyboard up"
    shown = box(b.page.locator("#chat-viewport"))
    assert shown["bottom"] <= box(b.page.locator("#chat-form"))["top"], shown
    assert shown["top"] >= 0 and shown["height"] >= 60, shown  # a few messages still show
    expect(b.message("7번째 줄")).to_be_in_viewport()
    assert_no_sideways_scroll(b, "the room with the keyboard up")

    # The keyboard down again: the same page on the whole screen, nothing covered either.
    b.page.set_viewport_size(TALL)
    for selector in controls:
        assert can_tap(b.page.locator(selector)), f"{selector} is covered"
    assert (
        box(b.page.locator("#chat-viewport"))["bottom"] <= box(b.page.locator("#chat-form"))["top"]
    )


@pytest.mark.parametrize("locale, scheme", SEEN)
def test_every_control_is_a_fingers_width_on_a_touch_screen(person, locale, scheme):
    guest = person("G", locale=locale, color_scheme=scheme)
    owner = person("O", locale=locale, color_scheme=scheme, viewport=TALL, **TOUCH)
    owner.open_lobby()
    assert_no_sideways_scroll(owner, "the lobby")
    assert_targets(owner, "the lobby")
    owner.screenshot(f"phone-lobby-{locale}-{scheme}.png", full_page=False)
    owner.page.locator('a[href="/room"]').tap()
    expect(owner.page.locator("#title")).to_be_visible()
    owner.page.wait_for_load_state("load")  # its style sheets too, before measuring
    assert_no_sideways_scroll(owner, "the create form")
    assert_targets(owner, "the create form")

    owner.create_room({"ko-KR": "손가락 크기", "en-US": "Finger sized"}[locale])
    guest.enter(owner.room_id)
    guest.say(FIRST)
    owner.say(SECOND)
    message = owner.message(FIRST)
    message.locator(".bubble .text").tap()
    message.locator(".react-more").tap()
    expect(message.locator(".reactions.picking button.reaction").first).to_be_visible()
    owner.page.locator("#participants > summary").tap()
    expect(owner.page.locator(f'button.kick[data-handle="{guest.handle}"]')).to_be_visible()
    owner.page.locator("#name-edit > summary").tap()
    expect(owner.page.locator("#name-input")).to_be_visible()
    owner.screenshot(f"phone-targets-{locale}-{scheme}.png", full_page=False)
    assert_targets(owner, "the room")
    assert_no_sideways_scroll(owner, "the room")

    # The composer's modes and panels: a whisper, a reply, the recent GIFs, search results.
    owner.page.locator("#name-edit > summary").tap()
    owner.page.locator(f'button.whisper[data-handle="{guest.handle}"]').tap()
    expect(owner.page.locator("#whisper-banner")).to_be_visible()
    message.locator(".reply-message").tap()  # its tools are still open
    expect(owner.page.locator("#reply-bar")).to_be_visible()
    owner.page.locator("#gif-picker-toggle").tap()
    expect(owner.page.locator("#gif-picker")).to_be_visible()
    owner.page.locator("#search-input").fill(FIRST)
    owner.page.locator("#search-input").press("Enter")
    expect(owner.page.locator("#search-results ol button").first).to_be_visible()
    owner.screenshot(f"phone-modes-{locale}-{scheme}.png", full_page=False)
    assert_targets(owner, "the room in its modes")
    assert_no_sideways_scroll(owner, "the room in its modes")


def test_the_open_participants_panel_shows_whole_rows(person):
    a = person("A", viewport=TALL, **TOUCH)
    room_id = a.create_room("네 사람")
    others = [person(name) for name in "BCD"]
    for someone in others:
        someone.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("4")
    a.page.locator("#participants > summary").tap()
    rows = a.participants()
    expect(rows).to_have_count(4)
    a.screenshot("phone-participants.png", full_page=False)

    def shown_rows():
        """How many rows show whole; fails if any shows only in part."""
        edge = box(a.page.locator("#participant-list"))
        whole = 0
        for index in range(rows.count()):
            row = box(rows.nth(index))
            inside = row["top"] >= edge["top"] - 0.5 and row["bottom"] <= edge["bottom"] + 0.5
            outside = row["bottom"] <= edge["top"] + 0.5 or row["top"] >= edge["bottom"] - 0.5
            assert inside or outside, f"row {index} is cut by the panel's edge: {row} in {edge}"
            whole += inside
        return whole

    assert shown_rows() >= 3
    # The panel scrolls within itself: the page stays one screen tall, the composer on it.
    assert a.page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    expect(a.page.locator("#chat-form button[type=submit]")).to_be_in_viewport()
    a.page.locator("#participant-list").evaluate("el => el.scrollTo(0, el.scrollHeight)")
    expect(rows.nth(3)).to_be_in_viewport()
    assert shown_rows() >= 3


@pytest.mark.parametrize("width", [360, 390])
def test_a_rooms_title_keeps_room_to_be_read_beside_its_buttons(person, width):
    # The owner's head is the fullest: notifications, delete, leave, invite and search.
    a = person("A", viewport={"width": width, "height": 800}, **TOUCH)
    a.create_room("Friday movie night")
    title = a.page.locator(".room-head h1")
    expect(title).to_be_visible()
    # Whole, in lines of words: never squeezed to a few letters a line beside the search box.
    assert title.evaluate("h1 => h1.scrollHeight <= h1.clientHeight + 1"), "the title is cut"
    letter = title.evaluate("h1 => parseFloat(getComputedStyle(h1).fontSize)")
    assert box(title)["width"] >= 7 * letter
    search = a.page.locator("#search-form")
    assert box(search)["width"] >= 150, "the search box is too narrow to type in"
    assert a.horizontal_overflow()["page"] == 0
