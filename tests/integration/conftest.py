"""A real Celery worker on the Redis broker, against the test database.

Skips with one line when Redis is not reachable (set CELERY_BROKER_URL to point elsewhere)."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from urllib.parse import quote, urlparse

import pytest

BROKER = os.environ.get("SEGMENTS_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _reachable(url: str) -> bool:
    parts = urlparse(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _database_url(settings_dict) -> str:
    host = settings_dict["HOST"] or ""
    user = quote(settings_dict["USER"] or "postgres")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    name = quote(settings_dict["NAME"])
    if host.startswith("/"):  # a socket directory (the embedded server)
        return f"postgresql://{user}{password}@/{name}?host={quote(host)}"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{name}"


@pytest.fixture
def celery_worker(transactional_db):
    """Start ``celery worker`` (2 processes) in a subprocess on a queue of its own; tasks sent
    with ``.delay`` during the test go to it through Redis."""
    if not _reachable(BROKER):
        pytest.skip(f"Redis broker not reachable at {BROKER}")
    from celery import current_app
    from django.db import connection

    queue = f"segments-test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=_database_url(connection.settings_dict),
               CELERY_BROKER_URL=BROKER, CELERY_TASK_DEFAULT_QUEUE=queue,
               CELERY_TASK_ALWAYS_EAGER="0",
               DJANGO_SETTINGS_MODULE="saleor_segments.standalone.settings")
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "saleor_segments.standalone.celery", "worker",
         "-Q", queue, "--concurrency=2", "--pool=prefork", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "info", "-n", f"{queue}@%h"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    from saleor_segments.standalone.rows import truncate_store

    from ..conftest import _conf_key

    wanted = {_conf_key(current_app, k): v for k, v in (
        ("broker_url", BROKER), ("task_default_queue", queue), ("task_always_eager", False))}
    saved = {k: current_app.conf[k] for k in wanted}
    current_app.conf.update(wanted)
    _new_pool(current_app)
    try:
        _wait_ready(worker, log.name)
        yield Worker(worker, queue)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        current_app.conf.update(saved)
        _new_pool(current_app)
        truncate_store()  # Saleor's tables are not Django models here: the flush skips them
        import redis

        redis.Redis.from_url(BROKER).delete(queue, f"_kombu.binding.{queue}")  # no leftovers
        log.close()
        with open(log.name) as f:
            sys.stdout.write(f"\n--- celery worker log ---\n{f.read()[-4000:]}")
        os.unlink(log.name)


class Worker:
    def __init__(self, process, queue):
        self.process, self.queue = process, queue

    def send(self, task, *args):
        """Queue ``task`` for this worker (the tasks it queues itself stay on its queue)."""
        return task.apply_async(args, queue=self.queue)


def _new_pool(app):
    """Producers connect to the broker now configured (the pool was made for the old one)."""
    app._pool = None  # kombu keeps one pool per broker URL; the app picks it up again
    app.amqp._producer_pool = None


def _wait_ready(worker, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("celery worker exited: " + open(log_path).read()[-3000:])
        if " ready." in open(log_path).read():
            return
        time.sleep(0.2)
    raise RuntimeError("celery worker not ready: " + open(log_path).read()[-3000:])


def wait_for(predicate, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
