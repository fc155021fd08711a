"""Defaults. instance/config.py and GIFCHAT_* environment variables override them."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Storage: the embedded default unless a MongoDB URI is given.
MONGO_URI = None
MONGO_DATABASE = None  # overrides the database named in MONGO_URI
SQLITE_PATH = None  # defaults to instance/gifchat.sqlite3
SQLITE_BUSY_TIMEOUT = 5.0  # seconds a write waits for another process's lock, then 503
UPLOAD_FOLDER = str(PROJECT_ROOT / "uploads")

# Rooms and chats.
ROOM_EMPTY_GRACE_SECONDS = 10
HISTORY_PAGE_SIZE = 50
CHAT_MAX_LENGTH = 1000
TITLE_MAX_LENGTH = 100

# GIF uploads: the file size cap, and caps on what a small file may decode into.
GIF_MAX_BYTES = 5 * 1024 * 1024
GIF_MAX_PIXELS = 4096 * 4096
GIF_MAX_FRAMES = 1000
GIF_MAX_TOTAL_PIXELS = 400_000_000  # summed over frames
# Room for the multipart envelope around a file of GIF_MAX_BYTES.
MAX_CONTENT_LENGTH = GIF_MAX_BYTES + 64 * 1024

# Sessions (Flask-Session) and cookies.
SESSION_TYPE = None  # chosen by app.sessions: cachelib files, or MongoDB
SESSION_PERMANENT = True
# Write a session only when it changes: rewriting it on every request (Flask's default)
# more than doubles the cost of posting a message. Sessions last 31 days from their last change.
SESSION_REFRESH_EACH_REQUEST = False
# The embedded session files: past this many, expired ones go first, then the oldest.
SESSION_FILE_LIMIT = 50_000
SESSION_USE_SIGNER = False  # deprecated in Flask-Session 0.8; ids are 256-bit random
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # also set for any request that arrived over HTTPS

# Websockets: permessage-deflate costs CPU per frame and per socket, and a zlib state of over
# 100 KB per socket, for chat frames of a few hundred bytes; set True to accept it when offered.
WEBSOCKET_DEFLATE = False

# Languages.
LANGUAGES = ["ko", "en"]
BABEL_DEFAULT_LOCALE = "ko"
BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "app" / "translations")

# Number of proxies in front of the app whose X-Forwarded-* headers are trusted.
PROXY_COUNT = 0
