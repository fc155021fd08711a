"""Extensions, created unbound and bound to each app in create_app."""

from flask_babel import Babel
from flask_session import Session
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

from .patches import flask_wtf_csrf


class RememberingCSRFProtect(CSRFProtect):
    """Flask-WTF's protection, verifying each signed token once per process, not on every post
    (the change to Flask-WTF itself lives in app/patches/flask_wtf_csrf.py)."""

    def init_app(self, app):
        flask_wtf_csrf.install()
        super().init_app(app)

    def check_unread(self, token: str) -> None:
        """Check a header's token before the body is read; raise CSRFError if it fails."""
        flask_wtf_csrf.check_unread(token)


# manage_session=False: HTTP and socket handlers share the one server-side session.
socketio = SocketIO(manage_session=False)
server_session = Session()
csrf = RememberingCSRFProtect()
babel = Babel()
