"""Nobody passes for someone else on the page: reversed file names, typists, mentions."""

import pytest

from .people import expect, room_of_two

pytestmark = pytest.mark.browser


def test_a_direction_override_cannot_reverse_a_link_or_a_file_name(person):
    _room_id, a, b = room_of_two(person, "방향")
    # Shown raw, "\u202e" would make the text after it read "exe.png".
    text = "받으세요 https://example.org/\u202egnp.exe 끝"
    a.type_message(text)
    shown = b.message(text.replace("\u202e", "\u2067"))
    expect(shown).to_have_count(1)
    link = shown.locator(".bubble a")
    expect(link).to_have_text("https://example.org/")  # the link ends at the control
    expect(link).to_have_attribute("dir", "ltr")
    runs = shown.locator(".bubble .text bdi")
    expect(runs).to_have_count(2)  # before the link, and after it: each an isolate
    assert "\u202e" not in shown.locator(".bubble .text").text_content()


def test_typists_and_mentions_go_by_name(person):
    _room_id, a, b = room_of_two(person, "이름")
    a.set_name("Mina")
    b.set_name("Jae")
    a.page.locator("#chat").press_sequentially("안")
    expect(b.page.locator("#typing .seen")).to_have_text(f"Mina ({a.color})님이 입력 중…")
    a.page.locator("#chat").fill("")
    a.say(f"@{b.color} 색만")
    a.say("@Jae 이름으로")
    expect(b.message("@Jae 이름으로").locator("mark.mention")).to_have_text("@Jae")
    expect(b.message(f"@{b.color} 색만").locator("mark")).to_have_count(0)


def test_lookalikes_who_meet_in_a_room_show_their_handles(person):
    a, b = person("A"), person("B")
    a.open_lobby()
    a.set_name("Mina")
    room_id = a.create_room("닮은 이름")
    b.open_lobby()
    b.set_name("Мina")  # Cyrillic М, chosen before coming in
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    tags = a.page.locator("#participant-list .handle-tag")
    expect(tags).to_have_count(2)
    expect(tags.nth(0)).to_have_text(a.handle[:4])
    expect(tags.nth(1)).to_have_text(b.handle[:4])
