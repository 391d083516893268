"""The shape the docs promise, checked: no module of src/ past 600 lines (STYLE.md: a module
grows into a package past ~500), and the floors of the apps as import-linter checks them (run
here too, so a plain `pytest` catches an upward import, not only `make test`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "lianluo"
MAX_LINES = 600


def test_no_module_is_longer_than_600_lines():
    long = {
        str(path.relative_to(SRC)): n
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_app_imports_a_floor_above_it():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=SRC.parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
