"""The GIF check itself, which the server runs in a process of its own.

Decoded in the server's process, even in a thread of its own, heavy GIFs now and then stall
every other visitor's messages by seconds (the GIL and the memory are the server's; see
`python -m bench gifs`). So the server starts this file as a child, `python -I gif_probe.py
CAPS < gif`, which answers one reason code on stdout. No Flask here: the parent says it in
the visitor's language. Run it by path, as the server does: `python -m app.chat.gif_probe`
imports the whole app first.
"""

import json
import os
import resource
import sys
import time
from io import BytesIO

from PIL import Image, UnidentifiedImageError

# The answers, one a line on stdout.
OK = "ok"
EMPTY = "empty"
FILE_TOO_LARGE = "file-too-large"
TOO_LARGE = "too-large"  # a canvas over the pixel cap
TOO_LONG = "too-long"  # too many frames, or pixels over all frames
TOO_SLOW = "too-slow"  # the decoding budget is spent
NOT_GIF = "not-gif"
REASONS = (EMPTY, FILE_TOO_LARGE, TOO_LARGE, TOO_LONG, TOO_SLOW, NOT_GIF)
NICENESS = 10


class Refusal(ValueError):
    """The data is not a GIF within the caps; `reason` is one of REASONS."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def probe(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    max_frames: int,
    max_total_pixels: int,
    max_seconds: float | None = None,
) -> None:
    """Decode every frame; raise Refusal unless data is a GIF within the caps."""
    if not data:
        raise Refusal(EMPTY)
    if len(data) > max_bytes:
        raise Refusal(FILE_TOO_LARGE)
    # CPU time of this thread: a busy machine slows decoding down but spends no more of it.
    deadline = None if max_seconds is None else time.thread_time() + max_seconds
    # Image.verify() checks nothing for GIFs: only decoding every frame proves the file.
    try:
        with Image.open(BytesIO(data), formats=["GIF"]) as image:
            decoded = 0
            frame = 0
            while True:
                # Reading a frame's header grows the canvas to cover the frame's offset
                # (a 1x1 frame at 9000,9000 makes it 81 Mpx), and decoding then fills the
                # whole canvas: so the caps are checked after each seek, before each load.
                width, height = image.size
                if width * height > max_pixels:
                    raise Refusal(TOO_LARGE)
                decoded += width * height
                if frame >= max_frames or decoded > max_total_pixels:
                    raise Refusal(TOO_LONG)
                if deadline is not None and time.thread_time() > deadline:
                    raise Refusal(TOO_SLOW)
                image.load()
                frame += 1
                try:
                    image.seek(frame)
                except EOFError:
                    return
    except Refusal:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as error:
        # Pillow's own bound on a canvas, met while reading a header (a warning only where
        # warnings are errors, as in the tests), or the child's memory limit: too large.
        raise Refusal(TOO_LARGE) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise Refusal(NOT_GIF) from error


def limit_self(memory_bytes: int, cpu_seconds: float) -> None:
    """Caps on this process, so a GIF that slips past a check dies here, alone."""
    # When the cores are all busy, the server's event loop goes first: decoding can wait.
    os.nice(NICENESS)
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # SIGXCPU at the soft limit ends the process; the hard one, a second on, is SIGKILL.
    soft = max(1, int(cpu_seconds) + 1)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))


def main(argv: list[str]) -> int:
    """argv[1]: JSON {"caps": {...probe's keywords}, "memory": bytes}; the GIF on stdin."""
    settings = json.loads(argv[1])
    caps = settings["caps"]
    limit_self(settings["memory"], caps.get("max_seconds") or 60)
    data = sys.stdin.buffer.read(caps["max_bytes"] + 1)
    try:
        probe(data, **caps)
    except Refusal as refusal:
        answer = refusal.reason
    else:
        answer = OK
    sys.stdout.write(answer + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
