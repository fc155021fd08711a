"""Journeys: editing, replying, searching, @-names and names that stick, as people do them."""

import re

import pytest

from .people import expect, room_of_three, room_of_two

pytestmark = pytest.mark.browser

HEX = re.compile(r"#?[0-9a-f]{6}", re.IGNORECASE)


def heard(locator) -> str:
    """What a screen reader hears of a person's name: the hidden text, never the seen one."""
    return locator.locator(".person > .visually-hidden").first.text_content()


def test_a_name_offered_once_sticks_to_messages_sent_before_it(person):
    room_id, a, b = room_of_two(person, "이름")
    offer = b.page.locator("#name-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("어떻게 불러 드릴까요?")
    b.say("이름 짓기 전")  # the offer never stands in the way of a message
    b.screenshot("name-offer.png", full_page=False)
    before = a.message("이름 짓기 전")
    assert HEX.search(heard(before)) is None and heard(before).startswith("손님, ")
    b.page.locator("#name-offer-input").fill("재")
    b.page.locator("#name-offer button[type=submit]").click()
    expect(offer).to_be_hidden()
    expect(b.page.locator("#my-name")).to_have_text("재")
    # Live, then after a reload: the earlier message shows the name chosen since.
    expect(before.locator(".meta .color-name")).to_have_text("재")
    expect(b.message("이름 짓기 전").locator(".meta .color-name")).to_have_text("재")
    a.reload()
    expect(a.message("이름 짓기 전").locator(".meta .color-name")).to_have_text("재")
    assert heard(a.message("이름 짓기 전")) == "재"
    # Skipped once, never offered again; chosen once, never offered again.
    expect(a.page.locator("#name-offer")).to_be_visible()
    a.page.locator("#name-offer .name-offer-skip").click()
    expect(a.page.locator("#name-offer")).to_be_hidden()
    a.reload()
    b.reload()
    expect(a.page.locator("#name-offer")).to_be_hidden()
    expect(b.page.locator("#name-offer")).to_be_hidden()
    assert a.errors == b.errors == []


def test_two_people_with_one_name_are_told_apart(person):
    room_id, a, b = room_of_two(person, "동명이인")
    b.set_name("Jae")
    c = person("C")
    c.open_lobby()
    c.set_name("Jae")  # chosen elsewhere: in the room it would be refused as B's lookalike
    c.enter(room_id)
    b.say("from the first")
    c.say("from the second")
    first, second = a.message("from the first"), a.message("from the second")
    expect(first.locator(".handle-tag")).to_have_text(b.handle[:4])
    expect(second.locator(".handle-tag")).to_have_text(c.handle[:4])
    listed = a.page.locator(f'#participant-list > li[data-handle="{c.handle}"] .handle-tag')
    expect(listed).to_have_text(c.handle[:4])
    for item in (first, second):
        assert heard(item).startswith("Jae, ") and HEX.search(heard(item)) is None
    assert a.errors == b.errors == c.errors == []


def test_at_lists_the_people_present_and_puts_the_chosen_name_in(person):
    room_id, a, b, c = room_of_three(person, "멘션")
    b.set_name("Mina")
    c.set_name("Sam")
    box = a.page.locator("#chat")
    box.fill("hi @")
    box.press("End")
    box.type("")  # the caret at the end, as typing leaves it
    box.press_sequentially("m")
    options = a.page.locator("#mention-list [role=option]")
    expect(a.page.locator("#mention-list")).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options).to_have_count(2)  # Mina, and Sam's "m"
    box.press_sequentially("i")
    expect(options).to_have_count(1)
    expect(box).to_have_attribute("aria-activedescendant", "mention-list-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    a.screenshot("mention-list.png", full_page=False)
    box.press("Enter")  # chosen, not sent
    expect(box).to_have_value("hi @Mina ")
    expect(a.page.locator("#mention-list")).to_be_hidden()
    box.press_sequentially("see you")
    box.press("Enter")
    expect(b.message("hi @Mina see you")).to_have_class(re.compile(r"\bmentions-me\b"))
    # A tap chooses too; Esc closes the list and leaves the text as typed.
    box.press_sequentially("@")
    a.page.locator("#mention-list [role=option]", has_text="Sam").click()
    expect(box).to_have_value("@Sam ")
    box.press_sequentially("@x")
    expect(a.page.locator("#mention-list")).to_be_hidden()  # nobody matches
    assert a.errors == b.errors == c.errors == []


def test_edit_with_the_arrow_key_and_see_it_edited_everywhere(person):
    room_id, a, b = room_of_two(person, "수정")
    a.say("helo")
    box = a.page.locator("#chat")
    box.press("ArrowUp")
    expect(box).to_have_value("helo")
    expect(a.page.locator("#edit-bar")).to_be_visible()
    box.fill("hello")
    box.press("Enter")
    expect(a.page.locator("#edit-bar")).to_be_hidden()
    expect(box).to_have_value("")
    for someone in (a, b):
        edited = someone.message("hello")
        expect(edited.locator(".edited")).to_have_text("(수정됨)")
        expect(edited.locator(".edited")).to_have_attribute("title", re.compile("수정됨"))
    expect(b.message("helo")).to_have_count(0)
    # The tool under the message; Esc gives the box back as it was.
    box.fill("a draft")
    a.message("hello").hover()
    a.message("hello").locator(".edit-message").click()
    expect(box).to_have_value("hello")
    box.press("Escape")
    expect(box).to_have_value("a draft")
    expect(b.message("hello").locator(".edit-message")).to_be_hidden()  # not B's to edit
    b.reload()
    expect(b.message("hello").locator(".edited")).to_be_visible()
    assert a.errors == b.errors == []


def test_reply_quotes_and_the_quote_finds_the_original(person):
    room_id, a, b = room_of_two(person, "답장")
    a.say("what time tonight?")
    for n in range(3):
        a.say(f"filler {n}")
    original = b.message("what time tonight?")
    original.hover()
    original.locator(".reply-message").click()
    expect(b.page.locator("#reply-bar")).to_contain_text("what time tonight?")
    b.say("eight")
    expect(b.page.locator("#reply-bar")).to_be_hidden()
    quote = a.message("eight").locator(".reply-quote")
    expect(quote).to_contain_text("what time tonight?")
    a.screenshot("reply-quote.png", full_page=False)
    quote.click()
    expect(a.message("what time tonight?")).to_have_class(re.compile(r"\bhighlight\b"))
    # Esc drops a quote before it is sent.
    a.message("eight").hover()
    a.message("eight").locator(".reply-message").click()
    expect(a.page.locator("#reply-bar")).to_be_visible()
    a.page.locator("#chat").press("Escape")
    expect(a.page.locator("#reply-bar")).to_be_hidden()
    assert a.errors == b.errors == []


def test_search_lists_matches_marked_and_jumps_to_one(person):
    room_id, a, b = room_of_two(person, "검색")
    a.say("영화 보러 갈래?")
    b.say("무슨 영화?")
    a.say("아무거나")
    b.page.locator("#search-input").fill("영화")
    b.page.locator("#search-input").press("Enter")
    results = b.page.locator("#search-results ol > li")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("무슨 영화?")  # newest first
    expect(results.first.locator("mark")).to_have_text("영화")
    b.screenshot("search-results.png", full_page=False)
    results.nth(1).locator("button").click()
    expect(b.message("영화 보러 갈래?")).to_have_class(re.compile(r"\bhighlight\b"))
    assert a.errors == b.errors == []


def test_a_reply_to_a_whisper_stays_between_its_two_people(person):
    room_id, a, b, c = room_of_three(person, "귓속말 답장")
    a.page.locator(f'#participant-list button.whisper[data-handle="{b.handle}"]').click()
    a.say("비밀 번호는 1234")
    whisper = b.message("비밀 번호는 1234")
    whisper.hover()
    whisper.locator(".reply-message").click()
    expect(b.page.locator("#whisper-to")).to_have_value(a.handle)  # whispering back, at once
    b.say("알았어")
    reply = a.message("알았어")
    expect(reply).to_have_class(re.compile(r"\bwhisper\b"))
    expect(reply.locator(".reply-quote")).to_contain_text("비밀 번호는 1234")
    c.say("나는 아무것도 못 봤어")
    expect(a.message("나는 아무것도 못 봤어")).to_be_visible()
    expect(c.page.locator("#chat-list")).not_to_contain_text("1234")
    expect(c.message("알았어")).to_have_count(0)
    assert a.errors == b.errors == c.errors == []
