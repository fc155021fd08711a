"""The rules a display name keeps, so that no name can pass for someone else's.

A name is normalised (NFKC, spaces folded), then refused when it hides characters, stacks
combining marks, is blank, reads as a color (the name everyone has without one), or looks
like (has the TR39 skeleton of) a reserved word or the name of someone else present.
"""

import re
import unicodedata
from functools import cache, lru_cache

from flask import current_app
from flask_babel import gettext as _

from ..web.errors import Refused
from .skeleton import skeleton

# Hangul fillers and the braille blank are letters or symbols, yet draw nothing.
BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Unicode's variation selectors: they pick a glyph, and alone change nothing one sees.
SELECTORS = frozenset(chr(c) for c in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)))
ZWJ, EMOJI_STYLE = "\u200d", "\ufe0f"
# What no script needs: control, format (zero-width, bidi, soft hyphen), separators of
# lines and paragraphs, surrogates, private use and unassigned characters.
HIDDEN = frozenset(("Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"))
# The deepest stack a living script writes (Thai: vowel and tone; Vietnamese decomposed);
# "Zalgo" text stacks dozens.
MAX_MARKS = 4
PHRASE_WIDTH = 10  # ﷽ is as wide as ten letters
COLOR = re.compile(r"#?(?:[0-9a-f]{3}|[0-9a-f]{6})", re.IGNORECASE)
# Words that would make a name read as the server or an office in the room, in English and
# Korean; compared by skeleton, ignoring case, spaces and punctuation.
RESERVED = (
    "system", "owner", "admin", "administrator", "moderator", "mod", "guest", "root",
    "staff", "server", "host", "everyone", "here", "anonymous", "unknown", "nobody",
    "시스템", "방장", "관리자", "운영자", "운영진", "손님", "게스트", "서버", "익명", "주인",
)  # fmt: skip


class NameRefused(Refused):
    """A name that may not be chosen; `reason` is stable, the message is translated."""

    def __init__(self, message, reason: str):
        super().__init__(str(message), 400, reason)
        self.reason = reason


def clean_name(value, others=()) -> str:
    """The name as it will be shown, or NameRefused; `others`: names it must not look like."""
    if not isinstance(value, str):
        raise NameRefused(_("Write a name."), "name-empty")
    name = _fold_spaces(unicodedata.normalize("NFKC", value))
    if not any(_visible(c) for c in name):
        raise NameRefused(_("Write a name."), "name-empty")
    limit = current_app.config["NAME_MAX_LENGTH"]
    if _width(name) > limit:
        raise NameRefused(_("A name can be at most %(max)d characters.", max=limit), "name-length")
    if _hidden(name):
        raise NameRefused(
            _("A name cannot hold invisible, line-breaking or direction-changing characters."),
            "name-hidden",
        )
    if _stacked(name):
        raise NameRefused(_("A name cannot stack so many accents."), "name-marks")
    if COLOR.fullmatch(name):
        raise NameRefused(_("A name cannot look like a color."), "name-color")
    keys = _keys(name)
    if keys & _reserved():
        raise NameRefused(_("That name is kept for the chat itself."), "name-reserved")
    if any(keys & _keys(other) for other in others if other):
        raise NameRefused(
            _("That name looks like the name of someone in the room."), "name-confusable"
        )
    return name


def looks_alike(first: str, second: str) -> bool:
    """Whether two names would pass for each other on screen."""
    return bool(_keys(first) & _keys(second))


def lookalikes(names: list) -> set[int]:
    """The positions of the names that look like another one of the list."""
    # Someone who took their name elsewhere can come into a room where a lookalike already
    # is: both stay, and pages tell them apart by handle.
    owners: dict[str, set[int]] = {}
    for i, name in enumerate(names):
        for key in _keys(name) if name else ():
            owners.setdefault(key, set()).add(i)
    return {i for same in owners.values() if len(same) > 1 for i in same}


def _fold_spaces(text: str) -> str:
    # NFKC has made every width of space U+0020; a run of them reads as one.
    return " ".join(part for part in text.split(" ") if part)


def _visible(char: str) -> bool:
    if char in BLANKS or char in SELECTORS or char == " ":
        return False
    category = unicodedata.category(char)
    return category not in HIDDEN and category[0] != "Z" and category[0] != "M"


def _emoji(char: str) -> bool:
    # Pictographs are "So"; skin tones (U+1F3FB..1F3FF) are "Sk".
    return unicodedata.category(char) in ("So", "Sk")


def _hidden(name: str) -> bool:
    """A character that draws nothing, breaks the line or turns the text's direction."""
    for i, char in enumerate(name):
        before = name[i - 1] if i else ""
        after = name[i + 1] if i + 1 < len(name) else ""
        base = name[i - 2] if before == EMOJI_STYLE and i > 1 else before  # ❤️‍🔥
        if char == ZWJ and _emoji(base or " ") and _emoji(after or " "):
            continue  # joins an emoji sequence (👩‍💻), the one thing it is for
        if char == EMOJI_STYLE and _emoji(before or " "):
            continue  # asks for the colored glyph of the emoji before it (❤️)
        if char == EMOJI_STYLE and before == EMOJI_STYLE:
            return True
        if char in BLANKS or char in SELECTORS or unicodedata.category(char) in HIDDEN:
            return True
    return False


def _stacked(name: str) -> bool:
    """A run of combining marks deeper than a script needs, or one mark twice in a run."""
    run: list[str] = []
    for char in unicodedata.normalize("NFD", name):
        if unicodedata.category(char) in ("Mn", "Me"):
            if char in run or len(run) >= MAX_MARKS:
                return True
            run.append(char)
        else:
            run = []
    return False


@lru_cache(maxsize=4096)
def _keys(name: str) -> frozenset[str]:
    """What two names that look alike share: skeletons, without case, spaces or dots."""
    # Folding case first loses "М" (Cyrillic) = "M"; folding only after loses "ЅYЅТЕМ".
    name = unicodedata.normalize("NFKC", name)
    keys = (skeleton(name.casefold()), skeleton(skeleton(name).casefold()))
    return frozenset("".join(c for c in key if unicodedata.category(c)[0] in "LNS") for key in keys)


@cache
def _reserved() -> frozenset[str]:
    return frozenset(key for word in RESERVED for key in _keys(word))


def _width(name: str) -> int:
    """The length a name is held to: a phrase drawn as one glyph (﷽) counts as a phrase."""
    return sum(PHRASE_WIDTH if _phrase(c) else 1 for c in name)


def _phrase(char: str) -> bool:
    # Arabic Presentation Forms' whole-phrase ligatures that NFKC leaves whole.
    return 0xFD3E <= ord(char) <= 0xFDFF and unicodedata.category(char) == "So"
