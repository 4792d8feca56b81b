import pytest

from saleor_segments.conditions import ConditionValidationError
from saleor_segments.models import CustomerField, Segment
from saleor_segments.services.segments import create_segment, update_segment


@pytest.mark.django_db
def test_services_save_nothing_on_error(channel):
    bad = {"conditions": [{"kind": "customer.metadata", "key": "gender", "type": "string",
                           "operator": "is", "value": "f"}]}
    with pytest.raises(ConditionValidationError, match="not declared"):
        create_segment(name="S", channel_id=channel["id"], conditions=bad)
    with pytest.raises(ConditionValidationError, match="name"):
        create_segment(name=" ", channel_id=channel["id"], conditions={"conditions": []})
    assert not Segment.objects.exists()

    CustomerField.objects.create(source="metadata", key="gender", value_type="string")
    segment = create_segment(name="S", channel_id=channel["id"], conditions=bad)
    with pytest.raises(ConditionValidationError, match="apply_to"):
        update_segment(segment, apply_to="visitors")
    with pytest.raises(ConditionValidationError):
        update_segment(segment, name="renamed", conditions={"conditions": [{"kind": "x"}]})
    segment.refresh_from_db()
    assert (segment.name, segment.definition_version) == ("S", 1)


@pytest.mark.django_db
def test_segment_conditions_refuse_cycles_and_unknown_segments(channel):
    a = create_segment(name="A", channel_id=channel["id"], conditions={"conditions": []})
    b = create_segment(name="B", channel_id=channel["id"], conditions={"conditions": [
        {"kind": "segment", "operator": "is", "value": a.pk}]})
    with pytest.raises(ConditionValidationError, match="cycle"):
        update_segment(a, conditions={"conditions": [
            {"kind": "segment", "operator": "in", "value": [b.pk]}]})
    with pytest.raises(ConditionValidationError, match="does not exist"):
        create_segment(name="C", channel_id=channel["id"], conditions={"conditions": [
            {"kind": "segment", "operator": "is", "value": 99999}]})
