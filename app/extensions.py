"""Extensions, created unbound and bound to each app in create_app."""

from flask_babel import Babel
from flask_session import Session
from flask_socketio import SocketIO

from .csrf import RememberingCSRFProtect

# manage_session=False: HTTP and socket handlers share the one server-side session.
socketio = SocketIO(manage_session=False)
server_session = Session()
csrf = RememberingCSRFProtect()
babel = Babel()
