"""``segments_validate`` reads the segment query language too (a file of text, or stdin)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from saleor_segments.models import CustomerField

from .test_commands import run

pytestmark = pytest.mark.django_db

TEXT = """# women in Los Angeles
customer.metadata(gender) is "female"
address(any) where { city contains "Los Angeles"; country is "us" }
"""


def test_a_text_file_is_validated_and_printed_as_json_or_text(tmp_path):
    CustomerField.objects.create(source="metadata", key="gender", value_type="string")
    path = tmp_path / "women.segment"
    path.write_text(TEXT)
    out, err = run("segments_validate", str(path))
    data = json.loads(out)
    assert data["conditions"][0]["key"] == "gender"
    assert data["conditions"][1]["conditions"][1]["value"] == "US"  # normalised
    assert f"{path}: valid (4 condition(s), apply to customers)" in err
    out, _ = run("segments_validate", str(path), "--output", "text")
    assert out == ('all {\n  customer.metadata(gender) is "female"\n  address(any) where {\n'
                   '    city contains "Los Angeles"\n    country is "US"\n  }\n}\n')
    again, _ = run("segments_validate", "-", "--format", "text", stdin=io.StringIO(out))
    assert json.loads(again) == data


def test_every_problem_of_a_text_names_its_line_and_column(tmp_path):
    path = tmp_path / "bad.segment"
    path.write_text('customer.metadata(gender) is "female"\ncart.lines contains 1\n')
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("segments_validate", str(path), stderr=err)
    assert "line 1, column 19: conditions[0].key: 'gender' is not declared" in err.getvalue()
    assert "line 2, column 12: conditions[1].operator" in err.getvalue()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("segments_validate", "-", stdin=io.StringIO("cart.lines >"), stderr=err)
    assert "line 1, column 13: unexpected end of the text, expected" in err.getvalue()
    with pytest.raises(CommandError, match="cannot read"):  # --format json: no text reading
        call_command("segments_validate", "-", "--format", "json",
                     stdin=io.StringIO("cart.lines > 1"))
