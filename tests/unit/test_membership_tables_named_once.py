"""One module owns the membership tables: ``membership/tables.py`` names them, every other
module takes the names (and ``end_memberships``) from there. Migrations and models, which
define the tables, are the only other places allowed to spell them."""

import pathlib
import re

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "saleor_segments"
NAMES = re.compile(r"saleor_segments_(customermembership|visitormembership|membershiplog)")
OWNERS = {"membership/tables.py", "models.py"}


def naming_files(package: pathlib.Path) -> list[str]:
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative in OWNERS or relative.startswith("migrations/"):
            continue
        found += [f"{relative}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1)
                  if NAMES.search(line)]
    return found


def test_only_membership_tables_names_the_membership_tables():
    assert naming_files(PACKAGE) == []


def test_the_check_sees_a_table_named_elsewhere(tmp_path):
    (tmp_path / "membership").mkdir()
    (tmp_path / "membership" / "tables.py").write_text('LOG = "saleor_segments_membershiplog"')
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "0001.py").write_text('"saleor_segments_visitormembership"')
    assert naming_files(tmp_path) == []
    (tmp_path / "reports.py").write_text('\nsql = "SELECT 1 FROM saleor_segments_customermembership"')
    assert naming_files(tmp_path) == ["reports.py:2"]
