"""Shared by every test folder; the Saleor contract suite skips itself without Saleor."""
def _saleor_importable() -> bool:
    import importlib.util

    return importlib.util.find_spec("saleor") is not None


if not _saleor_importable():
    collect_ignore = ["saleor_contract"]


def pytest_terminal_summary(terminalreporter):
    if not _saleor_importable():
        terminalreporter.write_line(
            "SKIPPED saleor contract suite: saleor is not importable (run it inside a Saleor "
            "environment, see README)")
