"""People in their own Chromium contexts, using the real server the way visitors do."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from harness.live_server import PROJECT_ROOT, LiveServer

try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # a dev dependency (setup.cfg): only a half-installed venv gets here
    expect = sync_playwright = None  # the browser fixture skips (or fails) with the reason
    PlaywrightError = Exception

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# ROOM_EMPTY_GRACE_SECONDS of the server under test: how long an emptied room lives, and how
# long an owner may be away before the room passes on. Short, so those journeys are quick,
# yet longer than a busy machine takes from creating a room to its page joining it.
GRACE = 5
ACTION_MS = 10_000  # bound on every click, fill and navigation
EXPECT_MS = 5_000  # bound on every expect(...) unless a test says otherwise
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
ROOM_PATH = re.compile(r"/room/([0-9a-f]{24})$")

# The chat page says when its live feed is on (#room[data-joined]); the lobby does not. This
# records, per namespace, whether the page's Socket.IO client is connected, by wrapping the
# global io() the vendored client defines, so a test can wait for the lobby's feed before
# making the event it must see. It observes only: the app's own socket is returned unchanged.
SOCKET_PROBE = """
(() => {
  const state = (window.__gifchatSockets = {});
  let lookup;
  Object.defineProperty(window, "io", {
    configurable: true,
    get: () => lookup,
    set(real) {
      lookup = Object.assign(function (...args) {
        const socket = real(...args);
        socket.on("connect", () => (state[socket.nsp] = true));
        socket.on("disconnect", () => (state[socket.nsp] = false));
        return socket;
      }, real);
    },
  });
})();
"""


class Person:
    """One visitor: a browser context of their own (cookies, so a color), with one page."""

    def __init__(self, browser: Browser, server: LiveServer, name: str, **options):
        self.name = name
        self.server = server
        options.setdefault("locale", "ko-KR")
        options.setdefault("viewport", DESKTOP)
        self.context = browser.new_context(base_url=server.url, **options)
        self.context.set_default_timeout(ACTION_MS)
        self.context.add_init_script(SOCKET_PROBE)
        self.page = self.context.new_page()
        self.errors: list[str] = []  # uncaught exceptions and rejections in the page's scripts
        self.page.on("pageerror", lambda error: self.errors.append(f"{error.name}: {error}"))
        self.closed = False
        self._color = None

    def __repr__(self):
        return f"<Person {self.name} {self._color}>"

    def arrive(self, taken: set[str]) -> None:
        """Load a first page, for a session and so a color that nobody in `taken` has.

        ColorHash has only 3,231 colors, so two people in one journey share one about once in
        a few hundred journeys, and the app tells people apart by color: a new session (no
        cookies) is a new draw.
        """
        for _ in range(10):
            self.page.goto("/room")  # the create form: a page with no socket and no side effect
            self._color = None
            if self.color not in taken:
                return
            self.context.clear_cookies()
        raise AssertionError(f"no color outside {taken} in 10 sessions")

    @property
    def color(self) -> str:
        """My color (body[data-me]), the name everyone else sees; fixed for the session."""
        if self._color is None:
            self._color = self.page.locator("body").get_attribute("data-me")
            assert self._color and self._color.startswith("#"), f"{self.name} has no color yet"
        return self._color

    @property
    def handle(self) -> str:
        """My public handle (body[data-handle]): what whispers and kicks are aimed at."""
        return self.page.locator("body").get_attribute("data-handle")

    def set_name(self, name: str) -> None:
        """Choose a display name with the header's form, and wait until the header shows it."""
        self.page.locator("#name-edit > summary").click()
        self.page.locator("#name-input").fill(name)
        self.page.locator("#name-form button[type=submit]").click()
        expect(self.page.locator("#my-name")).to_have_text(name.strip())

    # Pages

    def open_lobby(self) -> Person:
        """Load the lobby and wait until its live feed is connected."""
        self.page.goto("/")
        self.wait_for_socket("/room")
        return self

    def wait_for_socket(self, namespace: str) -> None:
        self.page.wait_for_function(
            "ns => window.__gifchatSockets && window.__gifchatSockets[ns] === true",
            arg=namespace,
            timeout=ACTION_MS,
        )

    def lobby_row(self, room_id: str) -> Locator:
        return self.page.locator(f'#room-list tbody tr[data-id="{room_id}"]')

    def create_room(self, title: str, max: int | None = None, password: str = "") -> str:
        """From the lobby's create link through the form into the new room; its id."""
        if not self.page.url.rstrip("/") == self.server.url:
            self.page.goto("/")
        self.page.locator('a[href="/room"]').click()
        self.page.locator("#title").fill(title)
        if max is not None:
            self.page.locator("#max").fill(str(max))
        if password:
            self.page.locator("#password").fill(password)
        self.submit()
        expect(self.page).to_have_url(ROOM_PATH, timeout=ACTION_MS)
        self.wait_joined()
        return self.room_id

    def submit(self) -> None:
        """Press the main form's submit button (not the header's language buttons)."""
        self.page.locator("main form button[type=submit]").click()

    def enter(self, room_id: str) -> None:
        """Open a room's page by its address and wait for the live feed."""
        self.page.goto(f"/room/{room_id}")
        self.wait_joined()

    def wait_joined(self) -> None:
        expect(self.page.locator('#room[data-joined="true"]')).to_be_attached(timeout=ACTION_MS)

    def reload(self) -> None:
        self.page.reload()
        self.wait_joined()

    @property
    def room_id(self) -> str:
        return self.page.locator("#room").get_attribute("data-id")

    # The chat

    def message(self, text: str) -> Locator:
        """The chat item(s) whose text bubble says exactly `text`."""
        return self.page.locator("#chat-list li.message").filter(
            has=self.page.locator(".bubble .text").get_by_text(text, exact=True)
        )

    def notice(self, kind: str, who: str) -> Locator:
        return self.page.locator(f'#chat-list li.system[data-kind="{kind}"][data-who="{who}"]')

    def type_message(self, text: str) -> None:
        box = self.page.locator("#chat")
        box.fill(text)
        box.press("Enter")

    def say(self, text: str) -> Locator:
        """Type a message and send it with Enter; my own item for it, once it is shown."""
        self.type_message(text)
        mine = self.message(text)
        expect(mine).to_have_class(re.compile(r"\bmine\b"), timeout=ACTION_MS)
        # Shown at once while it is on its way; sent once the server's copy took its place.
        expect(mine).not_to_have_class(re.compile(r"\bpending\b"), timeout=ACTION_MS)
        expect(self.page.locator("#chat")).to_have_value("")
        return mine

    def participants(self) -> Locator:
        return self.page.locator("#participant-list > li[data-color]")

    def expect_participants(self, *colors: str) -> None:
        """The participants panel lists exactly these colors, longest present first."""
        expect(self.page.locator("#participant-count")).to_have_text(str(len(colors)))
        expect(self.participants()).to_have_count(len(colors))
        for index, color in enumerate(colors):
            expect(self.participants().nth(index)).to_have_attribute("data-color", color)

    # Layout

    def horizontal_overflow(self) -> dict:
        """How much wider than the viewport the page is (0 when nothing scrolls sideways)."""
        return self.page.evaluate(
            """() => {
              const root = document.documentElement;
              return {page: root.scrollWidth - root.clientWidth, width: root.clientWidth};
            }"""
        )

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    def close(self) -> None:
        """Close the whole browser context, as a visitor closing their browser."""
        if not self.closed:
            self.closed = True
            self.context.close()


def expect_loaded(image: Locator, timeout: int = ACTION_MS) -> None:
    """Wait until an <img> has really loaded and decoded a picture."""
    handle = image.element_handle(timeout=timeout)
    image.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=handle, timeout=timeout
    )


def room_of_two(person, title, **options):
    """A's new room with B inside, once A has seen B come in; B's browser takes `options`."""
    a, b = person("A"), person("B", **options)
    room_id = a.create_room(title)
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")
    return room_id, a, b


def room_of_three(person, title):
    """A's new room with B, then C, inside; everyone has seen everyone come in."""
    a, b, c = person("A"), person("B"), person("C")
    room_id = a.create_room(title)
    b.enter(room_id)
    expect(a.page.locator("#participant-count")).to_have_text("2")  # B is there before C
    c.enter(room_id)
    for someone in (a, b, c):
        someone.expect_participants(a.color, b.color, c.color)
    return room_id, a, b, c
