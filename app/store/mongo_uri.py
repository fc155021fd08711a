"""MongoDB URIs fit for a log line: the password never shows."""

import re

_PASSWORD_OPTION = re.compile(r"(?i)([^?&;=]*password=)[^&;]*")


def _credentials(uri: str) -> tuple[str, str, str | None, str] | None:
    """Split uri into (scheme, user, password, rest) around its userinfo, if it has one."""
    scheme, sep, tail = uri.partition("://")
    # The last "@" ends the userinfo; should it be in the options, more is masked, never less.
    userinfo, at, rest = tail.rpartition("@")
    if not sep or not at:
        return None
    user, colon, password = userinfo.partition(":")
    return scheme, user, password if colon else None, rest


def password_of(uri: str) -> str | None:
    """The password in uri's userinfo, if any."""
    parts = _credentials(uri)
    return None if parts is None else parts[2]


def mask_uri(uri: str) -> str:
    """The URI fit for a log line: user:pass becomes user:***, password options too."""
    parts = _credentials(uri)
    if parts is not None and parts[2] is not None:
        uri = f"{parts[0]}://{parts[1]}:***@{parts[3]}"
    return _PASSWORD_OPTION.sub(r"\1***", uri)
