"""The builder's unit tests (dashboard-app/test) run against the API's real
`segmentConditionKinds`: the committed fixture must be what the API answers now."""

import json
from pathlib import Path

from saleor_segments.graphql.context import Permission, Requestor, SegmentsContext
from saleor_segments.graphql.execute import execute

FIXTURE = Path(__file__).resolve().parents[2] / "dashboard-app/test/fixtures/condition-kinds.json"
QUERY = """{ segmentConditionKinds { formatVersion aggregators maxDepth maxConditions
  groups { code label }
  kinds { kind label group scope childrenScope applyTo events description
          fields { name type object choices operators { name label } } }
  countries { code label } orderStatuses { code label } } }"""


def test_fixture_is_the_api_answer(db):
    result, status = execute({"query": QUERY}, SegmentsContext(
        requestor=Requestor(kind="app", permissions=frozenset({Permission.MANAGE_USERS}))))
    assert status == 200, result
    live = result["data"]["segmentConditionKinds"]
    fixture = json.loads(FIXTURE.read_text())
    stored = {key: fixture[key] for key in live}
    assert stored == live, ("regenerate dashboard-app/test/fixtures/condition-kinds.json "
                            "(see tests/ui/test_condition_kinds_fixture.py)")


def test_api_trees_fixture_is_what_the_api_returns():
    from .api_trees import FIXTURE, api_trees

    assert json.loads(FIXTURE.read_text()) == api_trees(), (
        "regenerate with: python -m tests.ui.api_trees")
