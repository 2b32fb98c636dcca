"""Superset's configuration for `make bi` (SUPERSET_CONFIG_PATH points here).

Everything Superset keeps lives in SUPERSET_HOME (``build/bi`` for `make bi`): its metadata
database (SQLite) and the secret key that encrypts what it stores, generated once and never
committed. Nothing here reaches the network: no usage statistics, no third-party hosts in the
page's content security policy (so the browser fetches nothing from them either), no fonts
from elsewhere, no thumbnails or reports (they need a worker and a browser of their own).

Superset imports this module; it must not import the project (which needs SQLAlchemy 2).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

HOME = Path(os.environ.get("SUPERSET_HOME", Path(__file__).resolve().parents[2] / "build" / "bi"))
HOME.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The key in HOME/secret_key, written on first use (mode 0600) and kept after."""
    path = HOME / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{HOME / 'superset.db'}"
DATA_DIR = str(HOME)

FEATURE_FLAGS = {
    # Native filters and cross-filters (on by default in 6.x; said here so it stays so).
    "DASHBOARD_NATIVE_FILTERS": True,
    "DASHBOARD_CROSS_FILTERS": True,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "TAGGING_SYSTEM": False,
    "EMBEDDED_SUPERSET": False,
}

# No usage statistics from the server.
SCARF_ANALYTICS = False
# Fonts come from the page itself, never from a font service.
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []

# The content security policy of Superset's own default, with every third-party host removed:
# the browser loads images, scripts, styles, fonts and data from this server only (the usage
# pixel the frontend draws is blocked by img-src).
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# A local, single-user tool: an in-memory rate limiter and no cache server.
RATELIMIT_STORAGE_URI = "memory://"
# Chart data is always read from the file: a new publish shows at the next query.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
