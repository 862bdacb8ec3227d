"""The prose parses a parallel build's readers share (``sphinx_ext.shared_parses``).

With ``-j 2`` every reader used to parse each image's prose again for the
views in its chunk. The readers now share one folder of parses: a parallel
build parses each shared text as often as a serial build does, writes the
same pages, tells a prose warning once, and leaves no folder behind.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

import pytest
from test_generate import (
    _all_html,
    make_project,
    make_project_with_a_heading_jump,
    sphinx_build,
)

from sphinx_official_images.render import prose
from sphinx_official_images.render.prose import ParseKey
from sphinx_official_images.sphinx_ext.shared_parses import FolderParses

pytestmark = pytest.mark.skipif(
    sys.platform == "win32", reason="Sphinx reads in parallel with fork only"
)

KEY: ParseKey = ("# Text %%IMAGE%%\n", "python/content.md", False, (("a.md", "x"),))


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("sphinx.x", logging.WARNING, "p", 1, message, None, None)
    record.__dict__.update(extra)
    return record


# -- the folder ---------------------------------------------------------------------------


def test_a_parse_done_is_what_another_reader_gets(tmp_path: Path) -> None:
    mine, theirs = FolderParses(tmp_path), FolderParses(tmp_path)  # two processes
    assert mine.get(KEY) is None  # mine makes it
    mine.done(KEY, (b"nodes", [_record("H1 to H3", location="python/content.md:4")]))
    got = theirs.get(KEY)
    assert got is not None
    assert got[0] == b"nodes"
    assert [(r.getMessage(), getattr(r, "location", None)) for r in got[1]] == [
        ("H1 to H3", "python/content.md:4")
    ]
    assert [p.suffix for p in tmp_path.iterdir()] == [".parse"]  # no claim or temporary left


def test_a_reader_waits_for_the_parse_another_one_claimed(tmp_path: Path) -> None:
    mine, theirs = FolderParses(tmp_path), FolderParses(tmp_path, wait=0.5)
    assert mine.get(KEY) is None
    started = time.monotonic()
    threading.Timer(0.1, mine.done, (KEY, (b"nodes", []))).start()
    got = theirs.get(KEY)
    assert got is not None and got[0] == b"nodes"
    assert 0.1 <= time.monotonic() - started < 0.5


def test_a_reader_gives_up_waiting_for_a_claim_never_done(tmp_path: Path) -> None:
    FolderParses(tmp_path).get(KEY)  # claimed by a reader that is gone
    theirs = FolderParses(tmp_path, wait=0.05)
    assert theirs.get(KEY) is None  # parses it itself, unclaimed
    theirs.done(KEY, (b"nodes", []))
    assert FolderParses(tmp_path).get(KEY) == (b"nodes", [])
    assert (tmp_path / theirs._path(KEY).with_suffix(".claim").name).exists()  # not its claim


def test_a_failed_parse_lets_the_next_reader_make_it(tmp_path: Path) -> None:
    mine, theirs = FolderParses(tmp_path), FolderParses(tmp_path, wait=0.05)
    assert mine.get(KEY) is None
    mine.done(KEY, None)
    assert list(tmp_path.iterdir()) == []
    assert theirs.get(KEY) is None  # claimed by the next one, without waiting
    assert theirs._path(KEY).with_suffix(".claim").exists()


def test_nothing_stored_is_none_and_claimed(tmp_path: Path) -> None:
    store = FolderParses(tmp_path)
    assert store.get(KEY) is None
    assert [p.suffix for p in tmp_path.iterdir()] == [".claim"]


def test_a_file_of_another_key_is_not_taken(tmp_path: Path) -> None:
    store = FolderParses(tmp_path)
    other: ParseKey = (KEY[0] + "more", KEY[1], KEY[2], KEY[3])
    store.get(other)
    store.done(other, (b"other", []))
    # as if the two keys had the same hash
    os.replace(store._path(other), store._path(KEY))
    assert store.get(KEY) is None


def test_a_damaged_file_is_not_taken(tmp_path: Path) -> None:
    store = FolderParses(tmp_path)
    store.get(KEY)
    store.done(KEY, (b"nodes", []))
    path = store._path(KEY)
    path.write_bytes(path.read_bytes()[:10])
    assert store.get(KEY) is None


def test_a_parse_with_an_unpicklable_warning_is_not_shared(tmp_path: Path) -> None:
    store = FolderParses(tmp_path)
    store.get(KEY)
    store.done(KEY, (b"nodes", [_record("odd", location=lambda: None)]))
    assert list(tmp_path.iterdir()) == []  # not stored, claim dropped


# -- a parallel build ------------------------------------------------------------------


def _count_parses(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Append a line to ``log`` for every parse, in whichever process makes it."""
    parse = prose._parse

    def counted(*args: object, **kwargs: object) -> object:
        with log.open("a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return parse(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(prose, "_parse", counted)


def _parses(log: Path) -> tuple[int, int]:
    """(parses, processes that parsed)."""
    pids = log.read_text(encoding="utf-8").split()
    return len(pids), len(set(pids))


def test_parallel_readers_parse_each_shared_text_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = make_project(tmp_path)
    serial_log, parallel_log = tmp_path / "serial.log", tmp_path / "parallel.log"
    _count_parses(monkeypatch, serial_log)
    serial, read, warnings = sphinx_build(src, tmp_path / "serial", fresh=True)
    assert warnings == ""
    monkeypatch.undo()
    _count_parses(monkeypatch, parallel_log)
    parallel, _, warnings = sphinx_build(src, tmp_path / "parallel", fresh=True, jobs=2)
    assert warnings == ""

    serial_parses, _ = _parses(serial_log)
    parallel_parses, processes = _parses(parallel_log)
    assert processes >= 2  # the pages were read by forked readers
    assert len(read) > serial_parses  # views shared parses
    assert parallel_parses == serial_parses
    assert _all_html(parallel) == _all_html(serial)
    # the folder lasted as long as the reading
    doctrees = tmp_path / "parallel" / "doctrees"
    assert not [p for p in doctrees.iterdir() if p.name.startswith("official-images-parses")]


def test_parallel_build_tells_a_prose_warning_once(tmp_path: Path) -> None:
    src, content = make_project_with_a_heading_jump(tmp_path)
    _, read, warnings = sphinx_build(src, tmp_path / "out", fresh=True, jobs=2)
    jumps = [line for line in warnings.splitlines() if "H1 to H3" in line]
    assert len([doc for doc in read if doc.endswith("python")]) > 2
    assert len(jumps) == 1, warnings
    assert str(content) in jumps[0]


def test_a_folder_left_by_a_killed_build_is_removed(tmp_path: Path) -> None:
    src = make_project(tmp_path, generate={"images": ["python"], "arches": []})
    stale = tmp_path / "out" / "doctrees" / "official-images-parses-x1y2"
    stale.mkdir(parents=True)
    (stale / "0.claim").touch()
    sphinx_build(src, tmp_path / "out", fresh=True)
    assert not stale.exists()


def test_a_serial_build_makes_no_folder(tmp_path: Path) -> None:
    src = make_project(tmp_path, generate={"images": ["python"], "arches": []})
    seen: list[object] = []

    def note(app: object, env: object, docnames: object) -> None:
        from sphinx_official_images.sphinx_ext.project import project_state

        seen.append(project_state(env).parses.store)  # type: ignore[arg-type]

    sphinx_build(src, tmp_path / "out", fresh=True, handlers=[("env-before-read-docs", note, 900)])
    assert seen == [None]
