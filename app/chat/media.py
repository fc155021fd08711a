"""GIF checks: a real GIF by its content, and no bomb that a small file hides."""

import json
import logging
import signal
import subprocess
import sys
from contextlib import contextmanager
from functools import partial, wraps

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l

from ..offload import Busy, run_blocking, run_child, slot
from ..protection.limits import client_address
from ..web.errors import Refused
from . import gif_probe

log = logging.getLogger(__name__)

PROBE = gif_probe.__file__

# The refusals the check can give, in the visitor's language when said.
MESSAGES = {
    gif_probe.EMPTY: _l("Choose a GIF file."),
    gif_probe.FILE_TOO_LARGE: _l("The file is too large."),
    gif_probe.TOO_LARGE: _l("The image is too large."),
    gif_probe.TOO_LONG: _l("The animation is too long."),
    gif_probe.TOO_SLOW: _l("The animation takes too long to decode."),
    gif_probe.NOT_GIF: _l("Only GIF images can be uploaded."),
}


class InvalidGif(ValueError):
    """The upload is not a GIF we accept; str() says why, in the visitor's language."""

    status = 400
    code = "not-a-gif"


class TooLarge(InvalidGif):
    """The upload is larger than a GIF may be."""

    code = "too-large"


class DecodersBusy(InvalidGif):
    """Every GIF decoder stayed busy for the whole wait: the upload may be fine, try later."""

    status = 503
    code = "busy"


def check_upload(data: bytes) -> None:
    """Check an uploaded GIF with the configured caps, decoding it off the event loop."""
    config = current_app.config
    if len(data) > config["GIF_MAX_BYTES"]:  # refused before it takes a decoder
        raise TooLarge(_l("The file is too large."))
    caps = {
        "max_bytes": config["GIF_MAX_BYTES"],
        "max_pixels": config["GIF_MAX_PIXELS"],
        "max_frames": config["GIF_MAX_FRAMES"],
        "max_total_pixels": config["GIF_MAX_TOTAL_PIXELS"],
        "max_seconds": config["GIF_DECODE_SECONDS"],
    }
    with decoder():
        if config["GIF_DECODER"] == "thread":
            run_blocking(partial(check_gif, **caps), data)
        else:
            memory, wall = config["GIF_DECODER_MEMORY"], config["GIF_DECODE_WALL_SECONDS"]
            check_in_child(data, caps, memory, wall)


@contextmanager
def decoder():
    """One of GIF_DECODERS for this request, one at most per address while others wait.

    DecodersBusy when none frees up within GIF_DECODER_WAIT_SECONDS. Held already (taken
    before the upload was charged, see routes.py), it is not taken twice.
    """
    if g.get("gif_decoder"):
        yield
        return
    config = current_app.config
    size, wait = config["GIF_DECODERS"], config["GIF_DECODER_WAIT_SECONDS"]
    try:
        with slot("gif", size, wait, owner=client_address()):
            g.gif_decoder = True
            try:
                yield
            finally:
                g.gif_decoder = False
    except Busy as error:
        raise _busy() from error


def decoder_first(view):
    """Take a decoder for an upload before the limits charge it: a 503 then costs nothing.

    The body is read first (bounded by app/protection/guards.py), so that a slow upload never
    holds a decoder; a visitor told that the decoders are busy has spent none of their allowance.
    """

    @wraps(view)  # the limits' marks carry over
    def taking_a_decoder_first(*args, **kwargs):
        if request.is_json:  # sending a GIF again decodes nothing
            return view(*args, **kwargs)
        request.files  # noqa: B018 - read now, before a decoder is taken
        try:
            with decoder():
                return view(*args, **kwargs)
        except DecodersBusy as busy:
            raise Refused(str(busy), busy.status) from busy

    return taking_a_decoder_first


def check_in_child(data: bytes, caps: dict, memory: int, timeout: float) -> None:
    """check_gif in a child process, which holds its own GIL and dies alone if it must."""
    settings = json.dumps({"caps": caps, "memory": memory})
    try:
        done = run_child([sys.executable, "-I", PROBE, settings], data, timeout)
    except subprocess.TimeoutExpired as error:  # killed, and waited for
        raise InvalidGif(MESSAGES[gif_probe.TOO_SLOW]) from error
    except OSError as error:  # no process to be had (out of processes, or memory)
        log.warning("cannot start a GIF decoder: %s", error)
        raise _busy() from error
    answer = done.stdout.decode("ascii", "replace").strip()
    if done.returncode == 0 and answer == gif_probe.OK:
        return
    if done.returncode == 0 and answer in MESSAGES:
        raise InvalidGif(MESSAGES[answer])
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # its CPU limit
        raise InvalidGif(MESSAGES[gif_probe.TOO_SLOW])
    # Anything else is a decoder that crashed on this file: the file's fault, said plainly.
    said = done.stderr[-500:].decode(errors="replace")
    log.warning("the GIF decoder ended with %s: %s", done.returncode, said)
    raise InvalidGif(_l("This GIF could not be read."))


def check_gif(data: bytes, **caps) -> None:
    """Decode every frame in this process; raise InvalidGif unless data is a GIF within the caps.

    Caps as gif_probe.probe takes them. Runs in a worker thread or a test: no Flask context
    here, so messages stay lazy.
    """
    try:
        gif_probe.probe(data, **caps)
    except gif_probe.Refusal as refusal:
        raise InvalidGif(MESSAGES[refusal.reason]) from refusal


def _busy() -> DecodersBusy:
    return DecodersBusy(_l("Too many GIFs are being checked. Please try again."))
