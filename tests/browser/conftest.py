"""Browser journeys: the real server, Debian's Chromium, and people with their own contexts."""

import os
import re

import pytest
from PIL import Image, ImageDraw

from app.config import ASYNC_MODES
from harness.live_server import running

from ..required import unavailable
from .people import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXPECT_MS,
    GRACE,
    Person,
    PlaywrightError,
    expect,
    sync_playwright,
)

_CALL_REPORT = pytest.StashKey()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each person gets a context of their own."""
    if sync_playwright is None:
        unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    expect.set_options(timeout=EXPECT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# The journeys that run on gevent too: the live feed and a reconnect, where the loop carries
# what people see. The rest is the same page on either loop, and runs on eventlet only: the
# server tests drive presence, rooms and names on both loops with real Socket.IO clients.
ON_EVERY_LOOP = {
    "test_messages.py",
    "test_reconnect.py",
}


def pytest_collection_modifyitems(config, items):
    """Leave out the gevent runs of the journeys not in ON_EVERY_LOOP."""
    kept, left_out = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        params = params.params if params is not None else {}
        mode = params.get("server", params.get("async_mode"))
        browser_journey = item.path.parent.name == "browser"
        if (
            browser_journey
            and mode not in (None, ASYNC_MODES[0])
            and (item.path.name not in ON_EVERY_LOOP)
        ):
            left_out.append(item)
        else:
            kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session", params=ASYNC_MODES)
def server(browser, tmp_path_factory, request):
    """gunicorn on a free loopback port, with a tmp database, uploads and sessions; once on
    each event loop (gevent for the journeys in ON_EVERY_LOOP only)."""
    folder = tmp_path_factory.mktemp(f"browser-live-{request.param}")
    with running(folder, GRACE, mode=request.param) as live:
        yield live


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


@pytest.fixture
def person(browser, server, request):
    """A factory: person("A", locale=..., viewport=...) is another visitor in a new context."""
    made: list[Person] = []

    def make(name: str | None = None, **options) -> Person:
        visitor = Person(browser, server, name or "ABCDEFGH"[len(made)], **options)
        made.append(visitor)
        visitor.arrive(taken={someone.color for someone in made[:-1]})
        return visitor

    yield make

    try:
        report = request.node.stash.get(_CALL_REPORT, None)
        if report is not None and report.failed:
            save_failure_screenshots(made, request.node.name)
    finally:
        for visitor in made:
            visitor.close()
    errors = {visitor.name: visitor.errors for visitor in made if visitor.errors}
    assert not errors, f"uncaught errors in the pages' scripts: {errors}"


def save_failure_screenshots(people: list[Person], test_name: str) -> None:
    """What each person still there saw when the journey failed, for whoever reads the failure."""
    folder = ARTIFACTS / "failures" / re.sub(r"[^\w.-]+", "_", test_name)
    folder.mkdir(parents=True, exist_ok=True)
    for visitor in people:
        if visitor.closed:
            continue
        try:
            visitor.page.screenshot(path=str(folder / f"{visitor.name}.png"), full_page=True)
        except PlaywrightError:  # a crashed page: its failure says more than its picture
            pass


@pytest.fixture(scope="session")
def gif_path(tmp_path_factory):
    """A small, real, animated GIF file, as a visitor would pick one."""
    path = tmp_path_factory.mktemp("gif") / "hello.gif"
    return animated_gif(path, (64, 48), ("#e4572e", "#29335c", "#f3a712"), dot=(16, 8, 48, 40))


def animated_gif(path, size, shades, dot):
    """A GIF file at `path`: a frame of each shade, a white dot in the box `dot` on each."""
    frames = []
    for shade in shades:
        frame = Image.new("RGB", size, shade)
        ImageDraw.Draw(frame).ellipse(dot, fill="#ffffff")
        frames.append(frame)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=200, loop=0)
    return path
