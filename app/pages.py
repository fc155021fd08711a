"""What every page hands its scripts: the limits from configuration and the strings they show."""

from functools import cache

from babel import Locale
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from .visitor.identity import THEMES, current_theme
from .web.i18n import current_locale

# The scripts' strings, from the same catalogs as the pages'. "%(color)s" is filled in by the
# script (static/js/page.js), so these are translated here and formatted there.
# Notices by their kind, so each viewer reads them in their own language.
NOTICES = {
    "join": _l("%(color)s joined."),
    "exit": _l("%(color)s left."),
    "owner": _l("%(color)s is now the owner."),
    "kick": _l("%(color)s was removed from the room."),
}
SCRIPT_STRINGS = {
    "gifFrom": _l("GIF from %(color)s"),
    "roomDeleted": _l("The room was deleted. Back to the lobby in a moment."),
    "kicked": _l("You were removed from the room. Back to the lobby in a moment."),
    "deleteRoom": _l("Delete room"),
    "confirmDelete": _l("Really delete?"),
    "reallyDelete": _l("Delete"),
    "cancel": _l("Cancel"),
    "notGif": _l("Only GIF images can be uploaded."),
    "failed": _l("The request failed. Please try again."),
    "offline": _l("Connection lost. Reconnecting…"),
    "secret": _l("Secret"),
    "public": _l("Public"),
    "enter": _l("Enter"),
    "type": _l("Type"),
    "capacity": _l("Capacity"),
    "ownerLabel": _l("Owner"),
    "playGif": _l("Play GIF"),
    "pauseGif": _l("Pause GIF"),
    "whisperTo": _l("Whisper to %(color)s"),
    "whisperToMe": _l("Whispered to you"),
    "whisperBanner": _l("Whispering to %(name)s: only they will see your message."),
    "whisper": _l("Whisper"),
    "kickButton": _l("Remove"),
    "kickLabel": _l("Remove %(color)s"),
    "ownerBadge": _l("Owner"),
    "you": _l("you"),
    # The lobby: a room at capacity, and one this visitor was removed from.
    "full": _l("Full"),
    "roomFull": _l("This room is full."),
    "closedToYou": _l("Closed to you"),
    "roomClosed": _l("You were removed from this room."),
    # Each lobby link's name, for screen readers: the visible word and the room it is for.
    "enterRoom": _l("Enter %(title)s"),
    "fullRoom": _l("Full: %(title)s"),
    "closedRoom": _l("Closed to you: %(title)s"),
    # An empty room's countdown in the lobby, "%(time)s" as 4:12.
    "closesIn": _l("Empty — closes in %(time)s"),
    "closingNow": _l("Empty — closing now"),
    # The room's invite link.
    "copied": _l("Copied"),
    "copiedSecret": _l("Copied. They will need the password too."),
    "copyByHand": _l("Copy this link:"),
    # The message box near and over CHAT_MAX_LENGTH.
    "charactersUsed": _l("%(count)s of %(max)s characters"),
    "tooLong": _l(
        "This message is %(count)s characters long; at most %(max)s can be sent."
        " Shorten it and send again."
    ),
    # The owner's Remove, one press more to confirm.
    "confirmKick": _l("Remove %(color)s? Press again"),
    # What screen readers hear for someone without a name: never a color's hex digits.
    "guest": _l("Guest, %(color)s"),
    "colorRed": _l("red"),
    "colorOrange": _l("orange"),
    "colorYellow": _l("yellow"),
    "colorGreen": _l("green"),
    "colorTeal": _l("teal"),
    "colorBlue": _l("blue"),
    "colorPurple": _l("purple"),
    "colorPink": _l("pink"),
    "colorGrey": _l("grey"),
    "colorWhite": _l("white"),
    "colorBlack": _l("black"),
}


def page_config_json() -> Markup:
    """page_config() as the page's JSON block, made once per language: it never changes."""
    return _once_per_language("page_config", page_config)


def room_config_json() -> Markup:
    """room_config() as the chat page's JSON block (#room-config), made once per language."""
    return _once_per_language("room_config", room_config)


def _once_per_language(name: str, make) -> Markup:
    made = current_app.extensions.setdefault(name, {})
    locale = current_locale()
    if locale not in made:
        made[locale] = htmlsafe_json_dumps(make(), dumps=current_app.json.dumps)
    return made[locale]


def page_config() -> dict:
    """The page's JSON block (#page-config): its language, limits and script strings."""
    config = current_app.config
    megabytes = config["GIF_MAX_BYTES"] / (1024 * 1024)
    strings = {key: str(text) for key, text in SCRIPT_STRINGS.items()}
    strings["notices"] = {kind: str(text) for kind, text in NOTICES.items()}
    strings["tooLarge"] = _("A GIF can be at most %(size)s MB.", size=f"{megabytes:g}")
    return {
        "lang": current_locale(),
        "languages": config["LANGUAGES"],
        "limits": {
            "title": config["TITLE_MAX_LENGTH"],
            "chat": config["CHAT_MAX_LENGTH"],
            "historyPage": config["HISTORY_PAGE_SIZE"],
            "gifBytes": config["GIF_MAX_BYTES"],
            "capacity": {
                "min": config["ROOM_CAPACITY_MIN"],
                "max": config["ROOM_CAPACITY_MAX"],
                "default": config["ROOM_CAPACITY_DEFAULT"],
            },
        },
        "strings": strings,
    }


def room_config() -> dict:
    """The room widgets' block: the reactions on offer and their strings.

    "%(name)s" stays in the strings for the scripts to fill in.
    """
    return {
        "reactions": current_app.config["REACTIONS"],
        "strings": {
            "deleteMessage": _("Delete"),
            "confirmDeleteMessage": _("Delete? Press again"),
            "react": _("More reactions"),
            "reactWith": _("%(emoji)s, %(count)s", emoji="%(emoji)s", count="%(count)s"),
            "openGif": _("open large"),
            "sendGif": _("Send this GIF again"),
            "typingOne": _("%(who)s is typing…", who="%(who)s"),
            "typingTwo": _(
                "%(first)s and %(second)s are typing…", first="%(first)s", second="%(second)s"
            ),
            "typingMany": _("%(count)s people are typing…", count="%(count)s"),
            "notifyOn": _("Notifications on"),
            "notifyOff": _("Notifications off"),
            "notifyDenied": _("This browser does not allow notifications from this site."),
            "whisperFrom": _("Whisper from %(who)s", who="%(who)s"),
            "mentionedBy": _("%(who)s mentioned you", who="%(who)s"),
            # Reply, edit and search.
            "reply": _("Reply"),
            "editMessage": _("Edit"),
            "edited": _("(edited)"),
            "editedAt": _("Edited %(time)s", time="%(time)s"),
            "editingMessage": _("Editing your message: Enter saves, Esc cancels."),
            "replyingTo": _("Replying to %(who)s", who="%(who)s"),
            "someone": _("Guest"),
            "gifMarker": _("GIF"),
            "originalGone": _("The original message was deleted."),
            "searchFound": _("%(count)s found", count="%(count)s"),
            "searchNone": _("No messages contain “%(q)s”.", q="%(q)s"),
            "searchFailed": _("Search did not work. Please try again."),
            # Sending (outbox.js, retry.js): on its way, refused with the server's reason, or
            # waiting out a rate limit.
            "sending": _("Sending…"),
            "notSent": _("Not sent"),
            "retry": _("Retry"),
            "discard": _("Discard"),
            "saving": _("Saving…"),
            "sendWait": _(
                "Too many at once: trying again in %(seconds)s s.", seconds="%(seconds)s"
            ),
            # Reading: the pill's count, and the line over the first message missed.
            "newMessageOne": _("1 new message"),
            "newMessagesMany": _("%(count)s new messages", count="%(count)s"),
            "unreadLine": _("New messages"),
        },
    }


@cache
def language_name(code: str) -> str:
    """A language's name in that language, for the language switch ("한국어", "English")."""
    return Locale.parse(code).get_display_name(code)


# The header's theme switch: each choice's label.
THEME_NAMES = {"light": _l("Light"), "dark": _l("Dark"), "system": _l("System")}
assert set(THEME_NAMES) == set(THEMES)


def init_app(app: Flask) -> None:
    app.context_processor(
        lambda: {
            "page_config_json": page_config_json,
            "room_config_json": room_config_json,
            "language_name": language_name,
            "current_theme": current_theme,
            "theme_names": THEME_NAMES,
        }
    )
