"""The shipped bundle (saleor_segments/dashboard_app/static, committed) is the build of the
committed source: `npm ci && npm run build` from a copy of dashboard-app/ gives the same files."""

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard-app"
STATIC = ROOT / "saleor_segments" / "dashboard_app" / "static"


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is missing: bundle rebuild not checked")
def test_shipped_bundle_is_the_build_of_the_source(tmp_path):
    source = tmp_path / "dashboard-app"
    shutil.copytree(APP, source, ignore=shutil.ignore_patterns("node_modules", "dist"))
    out = tmp_path / "out"
    env = {"PATH": __import__("os").environ["PATH"], "HOME": str(tmp_path),
           "APP_OUT_DIR": str(out), "npm_config_cache": str(Path.home() / ".npm")}
    for command in (["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"],
                    ["npm", "run", "build"]):
        done = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert files(out) == files(STATIC), "run `make app` and commit the bundle"
    changed = [name for name in files(out)
               if not filecmp.cmp(out / name, STATIC / name, shallow=False)]
    assert changed == [], "run `make app` and commit the bundle"


def test_bundle_is_shipped_small_and_without_source_maps():
    shipped = files(STATIC)
    assert "index.html" in shipped
    assert not [f for f in shipped if f.endswith(".map")]
    assert sum((STATIC / f).stat().st_size for f in shipped) < 2_000_000


def test_every_bundle_file_is_package_data():
    """`pip install` ships the bundle: setup.cfg's package data covers every file of it."""
    import configparser
    import fnmatch

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    patterns = [p.strip() for p in config["options.package_data"]
                ["saleor_segments.dashboard_app"].split(",")]
    unshipped = [name for name in files(STATIC)
                 if not any(fnmatch.fnmatch(f"static/{name}", p) for p in patterns)]
    assert unshipped == []
