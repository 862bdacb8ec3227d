"""The prose parses of a parallel build, shared by its reading processes.

An image's prose is parsed once per build and copied for each of its views
(``render.prose``). With ``-j N`` Sphinx reads the pages in forked
processes, in chunks of consecutive docnames, and an image's views are far
apart in that order (``catalogue/python``, ``catalogue/amd64/python``...):
every reader kept its own cache and parsed the text again. On the corpus
catalogue with ``-j 2`` that was 1,556 parses instead of 487, 15 CPU seconds
instead of 4.5.

So a parallel build gets a folder of its own, made in the main process
before the readers are forked (``env-before-read-docs``) and removed once
they are done (``env-updated``; ``build-finished`` if the build failed
before). Each parse is a file named by the hash of its key, written to a
temporary name and renamed into place, so a reader sees a whole parse or
none. The file holds the key itself, checked on reading. A reader about to
parse a text first claims it (a file made with ``O_EXCL``); a reader that
needs a text another one claimed waits for its parse, so each text is
parsed once. A parse whose warnings cannot be pickled, or that failed, is
not shared: its claim is dropped and the next reader parses it itself.

Serial builds do not use it: their one process keeps every parse in memory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from sphinx_official_images.render.prose import Parsed, ParseKey
from sphinx_official_images.sphinx_ext.project import project_state


class FolderParses:
    """:class:`render.prose.SharedParses` in a folder the readers of one build share.

    ``HASH.parse`` holds a parse, ``HASH.claim`` says a reader is making it:
    the others wait for it (at most ``wait`` seconds) instead of making it
    too, so a parallel build parses each text once, as a serial one does.
    """

    def __init__(self, folder: Path, wait: float = 30.0) -> None:
        self.folder = folder
        self.wait = wait
        self._claimed: set[Path] = set()

    def _path(self, key: ParseKey) -> Path:
        digest = hashlib.sha256(pickle.dumps(key, pickle.HIGHEST_PROTOCOL)).hexdigest()
        return self.folder / f"{digest}.parse"

    def _read(self, path: Path, key: ParseKey) -> Parsed | None:
        try:
            stored_key, parsed = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            return None
        return parsed if stored_key == key else None

    def get(self, key: ParseKey) -> Parsed | None:
        path = self._path(key)
        claim = path.with_suffix(".claim")
        deadline = time.monotonic() + self.wait
        while (parsed := self._read(path, key)) is None:
            try:
                os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                if time.monotonic() > deadline:
                    return None  # its reader is gone: parse here, unclaimed
                time.sleep(0.002)
                continue
            self._claimed.add(claim)
            # stored between the first look and the claim
            parsed = self._read(path, key)
            if parsed is not None:
                self._release(claim)
            return parsed
        return parsed

    def done(self, key: ParseKey, parsed: Parsed | None) -> None:
        path = self._path(key)
        try:
            if parsed is not None:
                self._write(path, key, parsed)
        finally:
            self._release(path.with_suffix(".claim"))

    def _write(self, path: Path, key: ParseKey, parsed: Parsed) -> None:
        try:
            data = pickle.dumps((key, parsed), pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            return  # a warning holding something unpicklable: not shared
        fd, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)

    def _release(self, claim: Path) -> None:
        if claim in self._claimed:
            self._claimed.discard(claim)
            claim.unlink(missing_ok=True)


_PREFIX = "official-images-parses-"


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _remove(app)
    doctrees = Path(app.doctreedir)
    # what a build stopped before build-finished (killed) left behind
    for stale in doctrees.glob(_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    # With -j N (N > 1) Sphinx may still read serially (few documents, an
    # extension not parallel-safe); the store then only costs a file per parse.
    if app.parallel <= 1:
        return
    doctrees.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=doctrees))
    project_state(env).parses.store = FolderParses(folder)


def _remove(app: Sphinx) -> None:
    state = project_state(app.env)
    store = state.parses.store
    if isinstance(store, FolderParses):
        shutil.rmtree(store.folder, ignore_errors=True)
        # the parses in memory stay until the next build, as in a serial one
        state.parses.store = None


def _after_read(app: Sphinx, env: BuildEnvironment) -> None:
    _remove(app)


def _finished(app: Sphinx, exception: BaseException | None) -> None:
    _remove(app)


def register(app: Sphinx) -> None:
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-updated", _after_read)
    app.connect("build-finished", _finished)
