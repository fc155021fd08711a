"""The /room namespace: lobbies hear rooms come, go and fill up."""

from flask_socketio import ConnectionRefusedError, Namespace

from ..identity import current_color


class LobbyNamespace(Namespace):
    def on_connect(self, auth=None):
        """Only visitors who have loaded a page (and so have a color) may listen."""
        if current_color() is None:
            raise ConnectionRefusedError("no session")
