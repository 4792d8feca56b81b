import io
import json

import pytest
from django.core.management import CommandError, call_command

from saleor_segments.services.segments import create_segment

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

SHOP = {"conditions": [{"kind": "customer.field", "field": "email", "operator": "contains",
                        "value": "@shop.com"}]}


def run(*args, **kwargs):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **kwargs)
    return out.getvalue(), err.getvalue()


def test_validate_prints_normalised_tree_or_every_problem(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"conditions": [{"kind": "address", "conditions": [
        {"kind": "address.field", "field": "country", "operator": "is", "value": "us"}]}]}))
    out, _ = run("segments_validate", str(good))
    assert json.loads(out)["conditions"][0]["conditions"][0]["value"] == "US"

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"conditions": [{"kind": "cart", "field": "lines",
                                               "operator": "contains", "value": 1},
                                              {"kind": "nope"}]}))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 problem"):
        call_command("segments_validate", str(bad), stderr=err)
    assert "conditions[0].operator" in err.getvalue()
    assert "conditions[1].kind: unknown condition kind 'nope'" in err.getvalue()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("segments_validate", str(tmp_path / "missing.json"))


def test_validate_reads_stdin_and_says_valid(tmp_path):
    tree = json.dumps({"conditions": [{"kind": "cart", "field": "lines", "operator": "gte",
                                       "value": 2}]})
    out, err = run("segments_validate", "-", stdin=io.StringIO(tree))
    assert json.loads(out)["conditions"][0]["value"] == 2
    assert "stdin: valid (1 condition(s), apply to customers)" in err
    path = tmp_path / "tree.json"
    path.write_text(tree)
    _, err = run("segments_validate", str(path), "--apply-to", "visitors")
    assert f"{path}: valid" in err
    with pytest.raises(CommandError, match="cannot read stdin"):
        run("segments_validate", "-", stdin=io.StringIO("{not json"))


def test_validate_from_a_pipe(tmp_path):
    """``cat tree.json | python manage.py segments_validate -`` in a shell."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    from ..integration.conftest import _database_url

    tree = json.dumps({"conditions": [{"kind": "customer.field", "field": "email",
                                       "operator": "contains", "value": "@shop.com"}]})
    done = subprocess.run(
        [sys.executable, "manage.py", "segments_validate", "-"], input=tree, text=True,
        capture_output=True, cwd=Path(__file__).parents[2], timeout=120,
        env=dict(os.environ, DATABASE_URL=_database_url(connection.settings_dict)))
    assert done.returncode == 0, done.stderr
    assert "stdin: valid" in done.stderr and json.loads(done.stdout)["version"] == 1


def test_refresh_and_members(channel):
    users = [UserFactory(email=f"u{i}@shop.com", first_name=f"U{i}") for i in range(3)]
    segment = create_segment(name="shop", channel_id=channel["id"], conditions=SHOP)
    out, _ = run("segments_refresh", segment.pk)
    assert f"segment {segment.pk} (shop): +3 -0" in out
    out, _ = run("segments_refresh", "--all")
    assert f"segment {segment.pk} (shop): +0 -0" in out
    out, _ = run("segments_refresh", "--channel", channel["id"])
    assert "1 segments, +0 -0" in out

    out, _ = run("segments_members", segment.pk, "--first", 2)
    assert users[0]["email"] in out and users[2]["email"] not in out
    cursor = out.split("--after ")[1].strip()
    out, _ = run("segments_members", segment.pk, "--after", cursor)
    assert users[2]["email"] in out and "3 members" in out

    with pytest.raises(CommandError, match="does not exist"):
        run("segments_refresh", 999999)
    with pytest.raises(CommandError, match="does not exist"):
        run("segments_members", 999999)


def test_refresh_arguments_are_checked_and_lines_name_segments(channel):
    UserFactory(email="u@shop.com")
    segment = create_segment(name="Shop people", channel_id=channel["id"], conditions=SHOP)
    out, _ = run("segments_refresh", segment.pk)
    assert f"segment {segment.pk} (Shop people): +1 -0" in out
    out, _ = run("segments_refresh", "--channel", channel["id"])
    assert f"segment {segment.pk} (Shop people): refreshed" in out
    with pytest.raises(CommandError, match="channel 42 does not exist"):
        run("segments_refresh", "--channel", 42)
    for args in (("--all", segment.pk), (segment.pk, "--channel", channel["id"]),
                 ("--all", "--channel", channel["id"]), ()):
        with pytest.raises(CommandError, match="one of them"):
            run("segments_refresh", *args)
    with pytest.raises(CommandError, match="segment 999999 does not exist"):
        run("segments_refresh", segment.pk, 999999)


def test_demo_builds_a_store_and_shows_segments():
    out, _ = run("segments_demo", customers=300, show=2)
    assert "Women in Los Angeles:" in out and "Born in the 1990s:" in out
    assert "joined ['Big carts']" in out
