"""``benchmarks/fuzz.py`` keeps working: a few hundred cases, no foreign exception.

The full run (``python benchmarks/fuzz.py`` = 100,000 cases) is a benchmark,
not a test; this runs the same code on a small, fixed set of cases. The
hypothesis property test of the parser is ``test_manifest_property.py``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

FUZZ = Path(__file__).resolve().parents[2] / "benchmarks" / "fuzz.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("oi_fuzz", FUZZ)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_fuzzer_runs_without_foreign_exceptions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fuzz = _load()
    status = fuzz.main(["400", "--seed", "7", "--save", str(tmp_path / "failures")])
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "400 cases, 0 foreign exceptions"
    assert status == 0
    assert not (tmp_path / "failures").exists()
    # the cases reach the view model, not only the parser's errors
    assert " ok " in out and "ManifestError" in out


def test_a_foreign_exception_is_saved_with_its_reproducer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fuzz = _load()

    def broken(loader: object, data: bytes) -> str:
        raise KeyError("boom")

    monkeypatch.setattr(fuzz, "run_case", broken)
    status = fuzz.main(["3", "--save", str(tmp_path / "failures")])
    assert status == 1
    assert capsys.readouterr().out.splitlines()[-1] == "3 cases, 3 foreign exceptions"
    saved = sorted(p.name for p in (tmp_path / "failures").iterdir())
    assert saved == [f"case-{n}.{ext}" for n in range(3) for ext in ("manifest", "txt")]
    assert "KeyError: 'boom'" in (tmp_path / "failures" / "case-0.txt").read_text()
