"""A JSON input file's problems are errors at their place, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.sources.facts import load_facts_file
from sphinx_official_images.sources.jsonfile import read_json


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b'{"a": 1}\n', None, None),
        (b'{\n"a": \xff\n}\n', "facts file is not valid UTF-8", 2),
        (b'{\n"a": ,\n}\n', "facts file is not valid JSON: Expecting value", 2),
        (b"[" * 100_000 + b"]" * 100_000, "facts file is nested too deeply", None),
    ],
    ids=["good", "utf-8", "json", "nested"],
)
def test_read_json(tmp_path: Path, data: bytes, message: str | None, line: int | None) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(data)
    if message is None:
        assert read_json(path, "facts file") == ('{"a": 1}\n', {"a": 1})
        return
    with pytest.raises(DocsError) as caught:
        read_json(path, "facts file")
    assert caught.value.message == message
    assert caught.value.path == str(path)
    assert caught.value.line == line


def test_a_deeply_nested_facts_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "python.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(DocsError, match="nested too deeply"):
        load_facts_file(path)


def test_an_unreadable_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DocsError, match="cannot read meta sources file"):
        read_json(tmp_path / "missing.json", "meta sources file")
