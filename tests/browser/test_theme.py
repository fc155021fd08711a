"""Dark mode: the system's choice by default, the header's switch, and text that stays readable."""

import re

import pytest

from .people import expect

pytestmark = pytest.mark.browser

# WCAG's contrast of each visible piece of text against the first opaque background behind it
# (faded controls, such as a disabled button or a toolbar not yet shown, are left out).
CONTRASTS = """
(root) => {
  const rgb = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const channel = (v) => {
    v /= 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const faded = (el) => {
    for (let e = el; e; e = e.parentElement) {
      if (Number(getComputedStyle(e).opacity) < 1) return true;
    }
    return false;
  };
  const backdrop = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor);
  };
  const found = [];
  for (const el of root.querySelectorAll("*")) {
    const own = [...el.childNodes].filter((n) => n.nodeType === 3);
    const text = own.map((n) => n.data.trim()).join("");
    const box = el.getBoundingClientRect();
    if (!text || box.width <= 2 || box.height <= 2 || !el.checkVisibility() || faded(el)) continue;
    const value = ratio(rgb(getComputedStyle(el).color).slice(0, 3), backdrop(el));
    found.push({ text: text.slice(0, 40), tag: el.tagName, cls: el.className, ratio: value });
  }
  return found;
}
"""


def low_contrast(someone, selector="body") -> list[dict]:
    found = someone.page.locator(selector).evaluate(CONTRASTS)
    assert found, f"no text found in {selector}"
    return [item for item in found if item["ratio"] < 4.5]


def bubble_contrast(message) -> float:
    """The contrast of a message's text against its bubble's background."""
    found = message.locator(".bubble").evaluate(CONTRASTS)
    return min(item["ratio"] for item in found)


def background(someone) -> str:
    return someone.page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


def dark_enough(css: str) -> bool:
    return sum(int(v) for v in re.findall(r"\d+", css)[:3]) < 3 * 80


def busy_room(a, b):
    """A room where both have spoken, a whisper and a mention among it."""
    room_id = a.create_room("어두운 방")
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    a.set_name("Alice")
    a.say("안녕하세요, 어두운 화면에서도 잘 읽히나요?")
    b.say("네 잘 보여요 @Alice")
    a.page.locator("#whisper-to").select_option(b.handle)
    a.say("귓속말입니다")
    expect(b.message("귓속말입니다")).to_be_visible()
    return room_id


def test_a_dark_system_gets_the_dark_colors_and_readable_text(person):
    a = person("A", color_scheme="dark")
    b = person("B", color_scheme="dark")
    busy_room(a, b)
    expect(b.page.locator("html")).to_have_attribute("data-theme", "system")
    assert dark_enough(background(b)), background(b)
    said = b.message("안녕하세요, 어두운 화면에서도 잘 읽히나요?")
    assert bubble_contrast(said) >= 4.5
    assert not low_contrast(b), low_contrast(b)
    assert not low_contrast(a), low_contrast(a)
    b.screenshot("room-dark.png")
    b.page.goto("/")
    assert not low_contrast(b), low_contrast(b)
    b.screenshot("lobby-dark.png")


def test_the_switch_chooses_dark_at_once_and_it_is_kept(person):
    a = person("A", color_scheme="light")
    b = person("B", color_scheme="light")
    busy_room(a, b)
    said = b.message("안녕하세요, 어두운 화면에서도 잘 읽히나요?")
    light = {
        "page": background(b),
        "bubble": said.locator(".bubble").evaluate("e => getComputedStyle(e).backgroundColor"),
        "ink": said.locator(".meta .color-name").evaluate("e => getComputedStyle(e).color"),
    }
    assert not dark_enough(light["page"])
    b.page.evaluate("window.stillThisPage = true")

    b.page.locator("#theme-form button[value=dark]").click()
    expect(b.page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(b.page.locator("#theme-form button[value=dark]")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert dark_enough(background(b)), background(b)
    # People's colors are worked out again for the dark page: a lighter ink, a darker tint.
    bubble = said.locator(".bubble").evaluate("e => getComputedStyle(e).backgroundColor")
    ink = said.locator(".meta .color-name").evaluate("e => getComputedStyle(e).color")
    assert bubble != light["bubble"] and ink != light["ink"]
    assert bubble_contrast(said) >= 4.5
    assert not low_contrast(b), low_contrast(b)
    assert b.page.evaluate("window.stillThisPage === true"), "the page was reloaded"
    b.screenshot("room-dark-chosen.png")

    # Kept in the session: the next page is dark from the start, whatever the system says.
    b.reload()
    expect(b.page.locator("html")).to_have_attribute("data-theme", "dark")
    assert dark_enough(background(b))
    # And back to the system's (light here).
    b.page.locator("#theme-form button[value=system]").click()
    expect(b.page.locator("html")).to_have_attribute("data-theme", "system")
    b.page.wait_for_function("() => !document.documentElement.matches('[data-theme=dark]')")
    assert not dark_enough(background(b))
    assert not low_contrast(b), low_contrast(b)
    # Following the system: when it turns dark, so does the page, people's colors with it.
    ink = said.locator(".meta .color-name").evaluate("e => getComputedStyle(e).color")
    b.page.emulate_media(color_scheme="dark")
    assert dark_enough(background(b))
    b.page.wait_for_function(
        "([e, before]) => getComputedStyle(e).color !== before",
        arg=[said.locator(".meta .color-name").element_handle(), ink],
    )
    assert not low_contrast(b), low_contrast(b)


def test_the_switch_works_without_scripts(person):
    a = person("A", java_script_enabled=False, color_scheme="light")
    a.page.goto("/")
    assert not dark_enough(background(a))
    a.page.locator("#theme-form button[value=dark]").click()
    expect(a.page).to_have_url(re.compile(r"/$"))
    expect(a.page.locator("html")).to_have_attribute("data-theme", "dark")
    assert dark_enough(background(a))
    assert not low_contrast(a), low_contrast(a)
