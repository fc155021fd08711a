"""Defaults. instance/config.py and GIFCHAT_* environment variables override them."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Storage: the embedded default unless a MongoDB URI is given.
MONGO_URI = None
MONGO_DATABASE = None  # overrides the database named in MONGO_URI
SQLITE_PATH = None  # defaults to instance/gifchat.sqlite3
SQLITE_BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's lock, then 503
UPLOAD_FOLDER = str(PROJECT_ROOT / "uploads")

# Several processes as one server: unset, one process keeps everything in memory.
REDIS_URL = None  # e.g. redis://127.0.0.1:6379/0; every process given it shares it
REDIS_HEARTBEAT_SECONDS = 5  # three missed beats and a process's people leave their rooms
REDIS_POLL_SECONDS = 0.5  # how often each process looks for due deadlines and a restarted Redis

# Rooms and chats.
# How long a room left empty lives on, counted from the last visitor's exit once it is final:
# long enough for two friends who lock their phones (mobile browsers drop background sockets)
# or step away for a few minutes to come back to the room and its history. Lobbies show the
# countdown ("closesAt"). It is also how long a restart waits for everyone to come back.
ROOM_EMPTY_GRACE_SECONDS = 300
# How long a room waits for its owner, gone while others stay, before it passes to the longest
# present: short, so that the room is not left without someone to remove a troublemaker.
OWNER_HANDOVER_SECONDS = 30
# A visitor who comes back this soon (a reload, a language switch, a reconnect) never left:
# no exit is announced, stored or counted. 0 makes every exit final at once.
EXIT_DEBOUNCE_SECONDS = 3
# Back this soon after an announced exit, a visitor comes (and goes again) without a notice:
# join/exit churn cannot fill the history. 0 announces every join and exit.
NOTICE_FOLD_SECONDS = 60
HISTORY_PAGE_SIZE = 50
CHAT_MAX_LENGTH = 1000
NAME_MAX_LENGTH = 30  # a display name, after trimming
TITLE_MAX_LENGTH = 100
# A search in a room, after trimming: enough for a phrase, short of a pasted message.
SEARCH_MAX_LENGTH = 100
ROOM_CAPACITY_MIN, ROOM_CAPACITY_MAX, ROOM_CAPACITY_DEFAULT = 2, 100, 10
PASSWORD_MAX_LENGTH = 100
# The reactions a message can get, in the order they are offered.
REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🎉"]
# Typing indicators a socket may send a second; more are dropped without a word.
TYPING_EVENTS_PER_SECOND = 3  # in bursts of up to twice that

# GIF uploads: the file size cap, and caps on what a small file may decode into.
GIF_MAX_BYTES = 5 * 1024 * 1024
GIF_MAX_PIXELS = 4096 * 4096
GIF_MAX_FRAMES = 1000
GIF_MAX_TOTAL_PIXELS = 400_000_000  # summed over frames, each counted at its canvas size
GIF_RECENT_LIMIT = 24  # GIFs the picker offers to send again
GIF_DECODE_SECONDS = 20  # one GIF's decoding budget in CPU seconds, checked between frames
# GIFs decode this many at once; an upload waits this long for a free decoder, then 503.
GIF_DECODERS = 2
GIF_DECODER_WAIT_SECONDS = 3
# "process": each GIF decodes in a child process (python + Pillow start in ~0.1 s) with its own
# GIL, memory and CPU limits. "thread": in a thread of the server, as before, where heavy GIFs
# now and then stall everyone's messages by seconds (python -m bench gifs).
GIF_DECODER = "process"
GIF_DECODER_MEMORY = 1024 * 1024 * 1024  # a child's address space (the largest legal GIF: 230 MB)
GIF_DECODE_WALL_SECONDS = 40  # a child still decoding after this is killed: 400, too long
# Room for the multipart envelope around a file of GIF_MAX_BYTES: the GIF upload's body cap.
MAX_CONTENT_LENGTH = GIF_MAX_BYTES + 64 * 1024

# Bounded work before any check (app.protection.guards). Every other request's body: a chat of
# CHAT_MAX_LENGTH characters, escaped, is 12 KiB at most; larger ones are refused unread.
BODY_MAX_BYTES = 64 * 1024
MAX_FORM_PARTS = 20  # our forms have a handful of fields (Werkzeug's default: 1,000)
BODY_TIMEOUT = 10  # seconds a read of a body may wait for data, under gunicorn or eventlet
# The whole body, however its bytes trickle in (each within BODY_TIMEOUT of the last): this
# many seconds, and one more for every BODY_MIN_RATE bytes received, as Apache's mod_reqtimeout
# ("body=20,MinRate=500"). A chat arrives in one packet; a 5 MiB GIF at 500 bytes a second
# still goes through, a body dribbled to hold a connection is cut after 20 s.
BODY_DEADLINE = 20
BODY_MIN_RATE = 500
# Requests in progress from one address, websockets and long-polls included: a browser holds
# about 6 per site plus a socket per tab; beyond this, 429.
MAX_CONNECTIONS_PER_ADDRESS = 50
# An answer the client stops taking (a GIF download that is never read, say) is cut off after
# this long without progress, so it holds no connection, buffer or file for longer.
SEND_TIMEOUT_SECONDS = 30
# Behind nginx, with its `internal` location for the upload folder (deploy/nginx.conf.template):
# GIF files are named to nginx in X-Accel-Redirect, which sends them. None: the app sends them.
MEDIA_ACCEL_REDIRECT = None  # e.g. "/_media/"
# `python wsgi.py` counts connections per address from accept, not only requests in the app
# (app.protection.connections): a connection idle or dribbling its headers holds a place too.
# The whole header phase (the wait for a request, its line and headers) gets HEADER_TIMEOUT
# seconds however the bytes trickle in; eventlet's own timeout is per recv.
HEADER_TIMEOUT = 10
# Per-address limits count an IPv6 client's whole network of this length: one subscriber
# gets a /64, 2^64 addresses to rotate through.
IPV6_PREFIX_LENGTH = 64

# Sessions (Flask-Session) and cookies.
SESSION_TYPE = None  # chosen by app.visitor.sessions: SQLite under instance/, or MongoDB
SESSION_PERMANENT = True
# Write a session only when it changes: rewriting it on every request (Flask's default)
# more than doubles the cost of posting a message. Sessions last 31 days from their last change.
SESSION_REFRESH_EACH_REQUEST = False
# Only with SESSION_TYPE = "cachelib" (files): past this many, expired ones go first, then the
# oldest, and each new session then reads every file. The SQLite default has no limit.
SESSION_FILE_LIMIT = 50_000
SESSION_SQLITE_PATH = None  # defaults to instance/sessions.sqlite3
SESSION_SWEEP_SECONDS = 600  # how often expired sessions are removed; 0 never
SESSION_USE_SIGNER = False  # deprecated in Flask-Session 0.8; ids are 256-bit random
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # also set for any request that arrived over HTTPS
# CSRF tokens are tied to the session: one lasts as long as the page that holds it.
WTF_CSRF_TIME_LIMIT = None

# Rate limits: moving windows, "N per M seconds|minute|hour", several joined by ";".
# A person typing, clicking or reconnecting fast stays well under them; a script does not.
# Counted in REDIS_URL's Redis when set (shared by every process), else in memory.
RATELIMIT_ENABLED = True
RATELIMIT_PASSWORD = "10 per minute; 30 per hour"  # attempts, right or wrong, per address and room
RATELIMIT_CHAT = "20 per 10 seconds; 120 per minute"  # messages per visitor
RATELIMIT_GIF = "10 per minute; 100 per hour"  # uploads per visitor
# The bytes a visitor may upload (B, KB, MB, GB, KiB, MiB, GiB), so that the uploads the limit
# above lets through (up to 500 MiB an hour) cannot fill the disk.
RATELIMIT_GIF_BYTES = "100 MiB per hour"
RATELIMIT_REACTION = "20 per 10 seconds; 120 per minute"  # reactions given or taken back
RATELIMIT_DELETE = "20 per 10 seconds; 120 per minute"  # messages deleted, per visitor
RATELIMIT_EDIT = "20 per 10 seconds; 120 per minute"  # messages edited, per visitor
# Backstops per address, wide for people behind one NAT (an office, a campus): a script that
# takes a new session (a new visitor) every few posts still meets them.
RATELIMIT_CHAT_PER_ADDRESS = "600 per minute"
RATELIMIT_GIF_PER_ADDRESS = "30 per minute; 300 per hour"
RATELIMIT_REACTION_PER_ADDRESS = "600 per minute"
RATELIMIT_DELETE_PER_ADDRESS = "600 per minute"
# Display names: each change is told to every room and lobby the visitor is seen in.
RATELIMIT_NAME = "5 per minute; 30 per hour"
RATELIMIT_ROOM_PER_VISITOR = "5 per minute; 30 per hour"  # rooms created
RATELIMIT_ROOM_PER_ADDRESS = "20 per minute; 200 per hour"  # wide too, for a NAT
RATELIMIT_JOIN_PER_SOCKET = "5 per 10 seconds; 30 per minute"  # socket "join" events
RATELIMIT_JOIN_PER_VISITOR = "20 per 10 seconds; 60 per minute"  # over all their tabs
RATELIMIT_JOIN_PER_ADDRESS = "300 per minute"  # over all sockets of an address (a NAT too)
# Typing indicators relayed (more are dropped without a word): a person sends one every 2.5 s.
RATELIMIT_TYPING_PER_VISITOR = "4 per second; 60 per minute"  # over all their tabs
RATELIMIT_TYPING_PER_ADDRESS = "20 per second; 600 per minute"
# New sessions (first visits) per address: each is stored for SESSION lifetime (31 days).
RATELIMIT_SESSION_PER_ADDRESS = "60 per minute; 600 per hour"
RATELIMIT_HANDSHAKE = "60 per 10 seconds; 300 per minute"  # new Socket.IO connections per address

# Websockets: permessage-deflate costs CPU per frame and per socket, and a zlib state of over
# 100 KB per socket, for chat frames of a few hundred bytes; set True to accept it when offered.
WEBSOCKET_DEFLATE = False

# Languages.
LANGUAGES = ["ko", "en"]
BABEL_DEFAULT_LOCALE = "ko"
BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "app" / "translations")

# The event loop `python wsgi.py` and gunicorn serve on, set in the environment only
# (GIFCHAT_ASYNC_MODE): the server is chosen, and the standard library patched, before the app
# or instance/config.py is read. "eventlet" is the design's; "gevent" is the maintained one
# (docs/deploy.md). `flask run` serves with threads whatever this says.
ASYNC_MODE = "eventlet"
ASYNC_MODES = ("eventlet", "gevent")


def async_mode(environ) -> str:
    """The ASYNC_MODE an environment asks for; ValueError, in one line, for an unknown one."""
    # wsgi.py and gunicorn.conf.py load this file by its path, before Flask is imported.
    wanted = environ.get("GIFCHAT_ASYNC_MODE", ASYNC_MODE).strip().strip('"')
    if wanted not in ASYNC_MODES:
        raise ValueError(
            f"GIFCHAT_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, not {wanted!r}"
        )
    return wanted


# Operations: log lines as "text" or "json" (one object a line); the bearer token that
# lets /metrics answer beyond this machine (unset: loopback only).
LOG_FORMAT = "text"
METRICS_TOKEN = None

# Number of proxies in front of the app whose X-Forwarded-* headers are trusted, and only
# from a direct peer in TRUSTED_PROXIES (networks; the environment may give a comma-separated
# string): anyone else who reaches a backend could name any address.
PROXY_COUNT = 0
TRUSTED_PROXIES = ["127.0.0.0/8", "::1"]
