"""Every SEGMENTS_* Django setting has one home (saleor_segments.conf) with its default."""

import re
import subprocess
from pathlib import Path

import pytest
from django.test import override_settings

from saleor_segments.conf import DEFAULTS, app_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "saleor_segments"


def package_modules() -> list[Path]:
    """The package's committed modules (work in progress joins when it is committed)."""
    try:
        listed = subprocess.run(["git", "ls-files", "saleor_segments"], cwd=ROOT, text=True,
                                capture_output=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: every module
        return list(PACKAGE.rglob("*.py"))
    return [ROOT / name for name in listed if name.endswith(".py") and (ROOT / name).exists()]


def test_no_module_reads_a_segments_setting_on_its_own():
    ad_hoc = [f"{path.relative_to(ROOT)}" for path in package_modules()
              if path.name != "conf.py" and "standalone" not in path.parts
              and re.search(r"getattr\(\s*settings\s*,\s*[\"']SEGMENTS_", path.read_text())]
    assert ad_hoc == []


def test_every_setting_used_is_declared_and_documented():
    used = set()
    for path in package_modules():
        if path.name != "conf.py":
            used |= set(re.findall(r"app_settings\.([A-Z_]+)", path.read_text()))
    assert used and used <= set(DEFAULTS)
    readme = (ROOT / "README.md").read_text()
    assert [name for name in DEFAULTS if f"`SEGMENTS_{name}` (Django setting)" not in readme] == []


def test_a_setting_is_read_at_use_with_its_default():
    assert app_settings.REFRESH_PARTS == 4
    with override_settings(SEGMENTS_REFRESH_PARTS=7):
        assert app_settings.REFRESH_PARTS == 7
    with pytest.raises(AttributeError):
        app_settings.NOT_A_SETTING  # noqa: B018
