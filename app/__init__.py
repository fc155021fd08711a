"""GIF chat: real-time chat rooms with GIF sharing."""

import importlib.util
import os
import secrets
import sys
from pathlib import Path

from flask import Flask

from . import ops, pages
from .config import PROJECT_ROOT
from .extensions import babel, csrf, socketio
from .presence import MemoryPresence
from .presence import cluster as redis_cluster
from .presence.deadlines import MemoryDeadlines
from .protection import guards
from .protection.proxies import proxy_fix
from .store import init_store
from .visitor.sessions import init_sessions, start_sweeping
from .web import i18n, payload


def create_app(config=None) -> Flask:
    """Build the app: defaults, instance/config.py, GIFCHAT_* environment, then `config`."""
    config = dict(config or {})
    app = Flask(
        __name__,
        # Read before any configuration, as the configuration itself lives there.
        instance_path=config.pop("INSTANCE_PATH", None) or os.environ.get("GIFCHAT_INSTANCE_PATH"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.request_class = payload.Request  # JSON it cannot read or store is a 400
    app.jinja_environment = i18n.LanguageEnvironment  # templates compiled once per language
    app.config.from_object("app.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("GIFCHAT")
    app.config.update(config)
    _require_packages(app)
    os.makedirs(app.instance_path, exist_ok=True)
    _ensure_secret_key(app)

    init_store(app)
    try:
        if redis_cluster.enabled(app):
            redis_cluster.init_app(app)
        else:
            app.extensions["presence"] = MemoryPresence()
            app.extensions["deadlines"] = MemoryDeadlines(app)
        init_sessions(app)
        csrf.init_app(app)
        babel.init_app(app, locale_selector=i18n.select_locale)
        socketio.init_app(
            app,
            async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
            **redis_cluster.socketio_options(app),
        )
        # Around Socket.IO's middleware too, so socket handlers see the client's address.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = proxy_fix(app.wsgi_app, app.config, x_for=count, x_proto=count, x_host=count)

        from . import wire
        from .chat import events as chat_events
        from .chat import once
        from .chat.routes import bp as chat_bp
        from .me import routes as me
        from .protection import limits, socket_limits
        from .rooms import events as room_events
        from .rooms import participants
        from .rooms.routes import bp as rooms_bp
        from .visitor import identity
        from .web import errors

        app.before_request(socket_limits.check_new_session)  # before a new session is named
        identity.no_session(app.view_functions["static"])  # Flask's own view of static files
        app.before_request(identity.ensure_color)
        app.register_blueprint(rooms_bp)
        app.register_blueprint(chat_bp)
        once.init_app(app)  # after Redis: a post's key is known to every process
        app.register_blueprint(me.bp)
        i18n.init_app(app)
        pages.init_app(app)
        errors.init_app(app)
        participants.init_app(app)
        limits.init_app(app)
        socket_limits.init_app(app)  # after socketio.init_app: it goes in front of Socket.IO
        socketio.on_error_default(errors.socket_error)
        socketio.on_namespace(room_events.LobbyNamespace(wire.LOBBY))
        socketio.on_namespace(chat_events.ChatNamespace(wire.CHAT))
        guards.init_app(app)  # wraps every other middleware, Socket.IO's included
        ops.init_app(app, socketio)  # outermost: request ids and logs cover guards' refusals too
    except BaseException:
        close(app)  # what was opened before the failure, not left to the collector
        raise
    return app


def start_background_tasks(app: Flask) -> None:
    """What a serving process runs beside its requests; building an app starts none of it."""
    from .rooms import service as room_service

    with app.app_context():
        # Rooms left from before a restart would otherwise wait forever for a last exit.
        room_service.watch_existing_rooms()
    if redis_cluster.enabled(app):
        redis_cluster.start(app)
    start_sweeping(app)


def close(app: Flask) -> None:
    """Close the connections the app opened (store, sessions, Redis); drop its deadlines.

    A serving process keeps them for its life; tests, scripts and benchmarks that build apps
    close each one, as Python 3.13 warns about a SQLite connection left to the collector.
    """
    # Deadlines first: one carried out after the store is closed would open it again.
    for name in ("deadlines", "store", "redis"):
        closing = getattr(app.extensions.get(name), "close", None)
        if closing is not None:
            closing()
    closing = getattr(app.session_interface, "close", None)
    if closing is not None:
        closing()


def _require_packages(app: Flask) -> None:
    """Refuse to start, in one line, when a setting needs a package that is not installed."""
    if app.config.get("REDIS_URL") and importlib.util.find_spec("redis") is None:
        _refuse_to_start(
            "gifchat: REDIS_URL is set, but the redis package is not installed:"
            " pip install 'gifchat[redis]' (docs/deploy.md)"
        )


def _refuse_to_start(message: str):
    """Stop the process with message alone: no traceback, and no worker restarted in a loop."""
    if "gunicorn.arbiter" in sys.modules:
        from gunicorn.errors import AppImportError

        # gunicorn prints this one alone and stops; after a SystemExit it would start another
        # worker, and another.
        raise AppImportError(message)
    raise SystemExit(message)  # printed alone by Python itself


def _ensure_secret_key(app: Flask) -> None:
    """Use the configured key, else one kept in instance/, made on the first run."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path, "secret_key")
    if not path.exists():
        # Write aside, then link: when several workers start at once, one key wins whole.
        draft = path.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it or set GIFCHAT_SECRET_KEY")
    app.config["SECRET_KEY"] = key
