"""Which PostgreSQL standalone mode uses: DATABASE_URL, or an embedded server (pgserver)."""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_DATA_DIR = Path(os.environ.get("SEGMENTS_PGDATA", Path.cwd() / ".pgdata"))


def embedded_url(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """Start (or reuse) an embedded PostgreSQL in ``data_dir`` and return its URL."""
    import warnings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")  # platformdirs
    import pgserver  # optional dependency: only needed when DATABASE_URL is unset

    data_dir.mkdir(parents=True, exist_ok=True)
    return pgserver.get_server(data_dir, cleanup_mode="stop").get_uri()


def database_settings(url: str) -> dict:
    """Django DATABASES entry for a postgresql:// URL (host may be a socket dir in ?host=)."""
    parts = urlparse(url)
    query = parse_qs(parts.query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "postgres",
        "USER": unquote(parts.username or "postgres"),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": query.get("host", [parts.hostname or ""])[0],
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": 0,
    }
