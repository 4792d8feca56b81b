"""The embedded PostgreSQL (pgserver, used when DATABASE_URL is unset) starts with the first
process that needs it and stops with the last, also when ``runserver`` is stopped with
SIGTERM (its autoreloader kills the serving child with SIGKILL)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pgserver = pytest.importorskip("pgserver")

from saleor_segments.standalone.database import HANDLES, postmaster_info, stop  # noqa: E402

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def running(pgdata: Path) -> bool:
    info = postmaster_info(pgdata)  # (read again while PostgreSQL writes or removes the file)
    return info is not None and info.is_running()


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def serving(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_sigterm_of_runserver_stops_the_embedded_server(tmp_path):
    pgdata = (tmp_path / "pgdata").resolve()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SEGMENTS_PGDATA=str(pgdata), PYTHONUNBUFFERED="1")
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: serving(port), 180, "runserver to serve")
        assert running(pgdata)
        assert len(json.loads((pgdata / HANDLES).read_text())) == 2  # reloader + server
        server.send_signal(signal.SIGTERM)
        server.wait(60)
        wait_for(lambda: not running(pgdata), 30, "the embedded PostgreSQL to stop")
        assert json.loads((pgdata / HANDLES).read_text()) == []  # no stale entries
    finally:
        if server.poll() is None:
            server.kill()
        if running(pgdata):
            stop(pgdata)


def test_a_killed_user_is_forgotten_at_the_next_start_and_stop_stops(tmp_path):
    pgdata = (tmp_path / "pgdata").resolve()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SEGMENTS_PGDATA=str(pgdata))
    code = ("import os, signal, django; django.setup(); "
            "os.kill(os.getpid(), signal.SIGKILL)")  # dies holding a handle
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=180,
                   env=dict(env, DJANGO_SETTINGS_MODULE="saleor_segments.standalone.settings"))
    try:
        assert running(pgdata) and len(json.loads((pgdata / HANDLES).read_text())) == 1
        # the next user finds the dead entry, drops it, and stops the server when done
        done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                              timeout=180, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert not running(pgdata)
        # and a server left running can be stopped, as root too
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=180,
                       env=dict(env, DJANGO_SETTINGS_MODULE="saleor_segments.standalone.settings"))
        assert running(pgdata)
        done = subprocess.run([sys.executable, "-m", "saleor_segments.standalone.database",
                               "stop"], cwd=ROOT, env=env, timeout=60, capture_output=True,
                              text=True)
        assert done.returncode == 0 and "stopped the embedded PostgreSQL" in done.stdout
        assert not running(pgdata) and not (pgdata / HANDLES).exists()
    finally:
        if running(pgdata):
            stop(pgdata)
