"""The /room namespace: lobbies hear rooms come, go and fill up."""

from ..visitor.identity import VisitorNamespace


class LobbyNamespace(VisitorNamespace):
    """Only listens: every event on it is sent by the server."""
