"""Which PostgreSQL standalone mode uses: DATABASE_URL, or an embedded server (pgserver)."""

import atexit
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_DATA_DIR = Path(os.environ.get("SEGMENTS_PGDATA", Path.cwd() / ".pgdata"))
HANDLES = ".handle_pids.json"  # pgserver's list of the processes using the server


def embedded_url(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """Start (or reuse) an embedded PostgreSQL in ``data_dir`` and return its URL.

    The server runs while some process uses it and stops with the last one. pgserver keeps
    the users' pids in ``.handle_pids.json`` and stops the server at exit of the last; a
    process killed without its exit handlers (SIGKILL, or a SIGTERM nobody handled) would
    stay listed and keep the server running for good. So: dead pids are dropped at start and
    at exit, and SIGTERM exits cleanly (Django's autoreloader, stopped with SIGTERM, kills
    its ``runserver`` child with SIGKILL, then exits cleanly itself)."""
    import warnings

    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")  # platformdirs
    import pgserver  # optional dependency: only needed when DATABASE_URL is unset

    data_dir.mkdir(parents=True, exist_ok=True)
    _forget_dead_processes(data_dir)
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    atexit.register(_forget_dead_processes, data_dir)  # runs before pgserver's own (LIFO)
    _exit_cleanly_on_sigterm()
    return server.get_uri()


def _forget_dead_processes(data_dir: Path) -> None:
    import psutil
    from pgserver.postgres_server import PostgresServer
    from pgserver.utils import DiskList

    handles = DiskList(data_dir.resolve() / HANDLES)
    with PostgresServer._lock:
        pids = handles.get()
        alive = [pid for pid in pids if _running(psutil, pid)]
        if alive != pids:
            handles.put(alive)


def _running(psutil, pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM runs the exit handlers (unless the program handles SIGTERM itself)."""
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def postmaster_info(data_dir: Path, attempts: int = 50) -> Any:
    """pgserver's reading of ``postmaster.pid`` (None: no server). PostgreSQL writes that file
    line by line while it starts and removes it while it stops, so a reading can catch it half
    written or gone: read again (for up to ~5 s) rather than fail."""
    from pgserver.utils import PostmasterInfo

    for attempt in range(attempts):
        try:
            return PostmasterInfo.read_from_pgdata(data_dir) if data_dir.exists() else None
        except (OSError, AssertionError, ValueError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.1)
    return None


def stop(data_dir: Path = DEFAULT_DATA_DIR) -> str:
    """Stop the embedded server now (``python -m saleor_segments.standalone.database stop``),
    as the system user it runs as (pgserver runs it as ``pgserver`` when started by root,
    and PostgreSQL's ``pg_ctl`` refuses to run as root)."""
    from pgserver._commands import pg_ctl

    data_dir = data_dir.resolve()
    info = postmaster_info(data_dir)
    if info is None or not info.is_running():
        (data_dir / HANDLES).unlink(missing_ok=True)
        return f"no embedded PostgreSQL is running in {data_dir}"
    user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    (data_dir / HANDLES).unlink(missing_ok=True)
    return f"stopped the embedded PostgreSQL in {data_dir} (pid {info.pid})"


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


if __name__ == "__main__":
    if sys.argv[1:] != ["stop"]:
        sys.exit("usage: python -m saleor_segments.standalone.database stop")
    print(stop())
