"""Content blocks and related product rules are validated by services (the API only decodes
IDs): a rule stores its product trees normalised, as segments store theirs."""

import datetime as dt

import pytest

from saleor_segments.conditions import ConditionValidationError
from saleor_segments.models import ContentBlock, RelatedProductRule
from saleor_segments.targeting import content, related

pytestmark = pytest.mark.django_db

RED = {"conditions": [{"kind": "product.attribute", "attribute": "color", "operator": "is",
                       "value": "Red"}]}


def test_a_rule_stores_its_trees_normalised():
    rule = related.save_rule(RelatedProductRule(), name="Reds", channel_id=1, applies_to=RED,
                             show=RED, limit=4)
    rule.refresh_from_db()
    assert rule.applies_to == {"version": 1, "aggregator": "all", "expected": True,
                               "conditions": RED["conditions"]}
    assert rule.show == rule.applies_to


def test_a_rule_with_a_bad_tree_reports_its_path_and_saves_nothing():
    bad = {"conditions": [{"kind": "product.price", "operator": "gt", "value": "x"}]}
    with pytest.raises(ConditionValidationError) as caught:
        related.save_rule(RelatedProductRule(), name="Bad", channel_id=1, applies_to=bad)
    assert [e.path for e in caught.value.errors] == ["applies_to.conditions[0].value"]
    assert not RelatedProductRule.objects.exists()


def test_a_block_is_checked_whole_before_saving():
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with pytest.raises(ConditionValidationError) as caught:
        content.save_block(ContentBlock(), name="Hero", placement="home-hero", starts_at=now,
                           ends_at=now)
    assert [e.path for e in caught.value.errors] == ["ends_at"]
    with pytest.raises(ConditionValidationError):
        content.save_block(ContentBlock(), name=" ", placement="home-hero")
    assert not ContentBlock.objects.exists()
    block = content.save_block(ContentBlock(), [], name="Hero", placement="home-hero")
    assert block.pk and list(block.segments.all()) == []
