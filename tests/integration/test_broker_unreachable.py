"""segmentRefresh when the Celery broker cannot be reached: a clear error, and the run is
recorded as failed (no task will ever start it)."""

import json

import pytest
from celery import current_app

from saleor_segments.models import RefreshRun
from saleor_segments.services.segments import create_segment

from ..conftest import _conf_key
from ..factories import ChannelFactory
from ..helpers import EMAIL_SHOP
from .conftest import _new_pool

TOKEN = "broker-test-token"
REFRESH = """mutation($id: ID!, $parts: Int) { segmentRefresh(id: $id, parts: $parts) {
    refresh { id status error } errors { field code message } } }"""


@pytest.fixture
def unreachable_broker():
    wanted = {_conf_key(current_app, k): v for k, v in (
        ("broker_url", "redis://127.0.0.1:1/0"), ("task_always_eager", False))}
    saved = {k: current_app.conf[k] for k in wanted}
    current_app.conf.update(wanted)
    _new_pool(current_app)
    yield
    current_app.conf.update(saved)
    _new_pool(current_app)


@pytest.mark.parametrize("parts", [1, 3])
def test_refresh_with_the_broker_unreachable(transactional_db, client, settings,
                                             unreachable_broker, parts):
    from graphql_relay import to_global_id

    settings.SEGMENTS_API_TOKENS = {TOKEN: ["MANAGE_USERS"]}
    segment = create_segment(name="s", channel_id=ChannelFactory()["id"], conditions=EMAIL_SHOP)
    response = client.post("/graphql/", content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {TOKEN}", data=json.dumps({
                               "query": REFRESH, "variables": {
                                   "id": to_global_id("Segment", segment.pk), "parts": parts}}))
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    result = body["data"]["segmentRefresh"]
    [error] = result["errors"]
    assert error["code"] == "GRAPHQL_ERROR" and "broker is unreachable" in error["message"]
    assert result["refresh"]["status"] == "FAILED"
    run = RefreshRun.objects.get(segment=segment)
    assert run.status == "failed" and "could not be queued" in run.error
    assert run.finished_at is not None
