"""Facts the incumbent gets from git or the network, resolved locally.

docker-library/docs' ``update.sh`` needs two things its input files do not
hold:

* **the logo's commit**: the logo URL is
  ``https://raw.githubusercontent.com/docker-library/docs/COMMIT/IMAGE/logo.EXT``
  where ``COMMIT`` is ``git log -1 --format=%H -- IMAGE/logo.EXT`` in the docs
  checkout (``master`` when git has no answer);
* **whether an image is buildpack-deps based**: ``variant.sh`` adds the
  ``variant-default-buildpack-deps.md`` paragraph when the last-stage ``FROM``
  of some entry (its first architecture) is ``buildpack-deps:SUITE`` with no
  ``-`` in ``SUITE``.  The incumbent fetches every Dockerfile to learn this.

This module never touches the network.  It resolves the logo (and stack)
commits, in order:

1. from git, when the docs folder is a git checkout: one image costs one
   ``git log -1 -- IMAGE/logo.EXT`` (:func:`git_last_commit`, what
   ``update.sh`` runs); a run over many images walks the history once for
   all of them (:func:`git_commit_table`), and the result, a
   :class:`CommitTable` keyed by the checkout's HEAD, can be kept between
   runs (the Sphinx environment) and handed back with
   :meth:`FactsResolver.use_commit_table`;
2. from a **facts folder** holding one ``IMAGE.json`` per image (first, when
   the ``facts`` command wrote it at the checkout's current HEAD: then it
   is git's answer, pinned, and no history is walked);
3. else the way ``update.sh`` falls back: logo commit ``master``.

The buildpack-deps fact comes from the facts folder, then a
docker-library/meta checkout (:mod:`sphinx_official_images.sources.meta`,
asked by :meth:`Loader.buildpack_deps
<sphinx_official_images.sources.loader.Loader.buildpack_deps>`), else it
is unknown: no paragraph, as a failed ``bashbrew cat`` gives, and the view
model says so.

Facts folder format
-------------------

``FACTS/IMAGE.json`` is a JSON object.  These keys are read; every other key
is ignored (so the files of ``../shared/corpus/current/facts/`` work as they
are)::

    {
      "logo": {"file": "logo.png", "commit": "01c1265..."},
      "buildpack_deps_based": true,
      "suite_manifests": {"debian": "library/debian", "ubuntu": "library/ubuntu"}
    }

* ``logo.commit``: the logo file's last docs commit (40 hex digits, or any
  plain ref name).
* ``logo.file``: ``logo.png`` or ``logo.svg``; lets a logo that exists
  upstream but was not copied into the docs folder still be linked.
* ``buildpack_deps_based``: ``true``, ``false`` or ``null`` (unknown).
* ``stack.commit``: for docs revisions of 2017-2023, whose ``update.sh``
  links ``IMAGE/stack.yml`` at its last commit the way it links the logo.
* ``suite_manifests``: where to read the Debian and Ubuntu suite names for
  this image instead of ``LIBRARY/debian`` and ``LIBRARY/ubuntu``; a relative
  path is looked up from the facts folder's parent, then from the library
  folder's parent (the corpus layout); when neither exists the library's own
  ``debian``/``ubuntu`` are used.

Missing keys mean "unknown" and fall through to the next source.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_official_images.model.architectures import is_plain_name
from sphinx_official_images.model.errors import DocsError
from sphinx_official_images.sources.jsonfile import read_json
from sphinx_official_images.sources.stamps import StampCache, stamp_of

__all__ = [
    "FALLBACK_LOGO_COMMIT",
    "CommitTable",
    "FactsResolver",
    "ImageFacts",
    "git_commit_table",
    "git_head",
    "git_last_commit",
    "git_last_commits",
    "load_facts_file",
]

# What update.sh uses when ``git log`` has no answer.
FALLBACK_LOGO_COMMIT = "master"

_REF_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._/-]{0,254}")
_LOGO_FILES = ("logo.png", "logo.svg")
# Files whose last commit update.sh puts in a URL.
_COMMIT_FILES = (*_LOGO_FILES, "stack.yml")
_GIT_TIMEOUT = 60.0


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What a facts file says about one image (None: unknown)."""

    logo_file: str | None = None
    logo_commit: str | None = None
    buildpack_deps_based: bool | None = None
    stack_commit: str | None = None
    suite_manifests: Mapping[str, str] = field(default_factory=dict)
    path: Path | None = None
    docs_head: str | None = None


def _key_line(text: str, keys: tuple[str, ...]) -> int:
    """The line of the (nested) key ``keys`` in a JSON text; 1 if it is not found."""
    pos = 0
    for key in keys:
        found = text.find(json.dumps(key), pos)
        if found < 0:
            break
        pos = found
    return text.count("\n", 0, pos) + 1


def _found(value: object) -> str:
    shown = json.dumps(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


# Makes the error for a bad value: the message and the keys leading to it.
_Bad = Callable[..., DocsError]


def _ref(value: object, name: str, bad: _Bad, *keys: str, found: object = None) -> str:
    """``value`` if it is a commit id or ref name, else the error for ``name``."""
    if not isinstance(value, str) or not _REF_RE.fullmatch(value):
        shown = _found(value if found is None else found)
        raise bad(f'"{name}" must be a commit id or ref name (found {shown})', *keys)
    return value


def _logo_facts(logo: object, bad: _Bad) -> tuple[str | None, str | None]:
    """``(file, commit)`` of the ``"logo"`` object (each None when not given)."""
    if logo is None:
        return None, None
    if not isinstance(logo, dict):
        raise bad(f'"logo" must be an object or null (found {_found(logo)})', "logo")
    logo_file = logo.get("file")
    if logo_file is not None and logo_file not in _LOGO_FILES:
        raise bad(
            f'"logo.file" must be "logo.png" or "logo.svg" (found {_found(logo_file)})',
            "logo",
            "file",
        )
    commit = logo.get("commit")
    if commit is not None:
        commit = _ref(commit, "logo.commit", bad, "logo", "commit")
    return logo_file, commit


def _stack_commit(stack: object, bad: _Bad) -> str | None:
    """``"stack": {"commit": ...}``: the last commit of ``stack.yml``."""
    if stack is None:
        return None
    raw = stack.get("commit") if isinstance(stack, dict) else None
    return _ref(raw, "stack.commit", bad, "stack", "commit", found=stack)


def _buildpack_deps_based(value: object, bad: _Bad) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise bad(
            f'"buildpack_deps_based" must be true, false or null (found {_found(value)})',
            "buildpack_deps_based",
        )
    return value


def _docs_head(sources: object) -> str | None:
    """``sources.docs_head``, the docs HEAD a ``facts`` run pinned its commits at
    (anything else in ``sources`` is ignored)."""
    if not isinstance(sources, dict):
        return None
    raw = sources.get("docs_head")
    return raw if isinstance(raw, str) and _REF_RE.fullmatch(raw) else None


def _suite_manifests(raw: object, bad: _Bad) -> dict[str, str]:
    """``"suite_manifests"``: where the debian and ubuntu manifests of the image's
    docs revision are (relative paths)."""
    suites: dict[str, str] = {}
    if raw is None:
        return suites
    if not isinstance(raw, dict):
        raise bad(
            f'"suite_manifests" must be an object or null (found {_found(raw)})',
            "suite_manifests",
        )
    for name in ("debian", "ubuntu"):
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise bad(
                f'"suite_manifests.{name}" must be a path (found {_found(value)})',
                "suite_manifests",
                name,
            )
        suites[name] = value
    return suites


def load_facts_file(path: str | os.PathLike[str]) -> ImageFacts:
    """Read one ``IMAGE.json`` facts file (see the module documentation).

    Errors carry the file and the line of the offending key.
    """
    p = Path(path)
    text, data = read_json(p, "facts file")

    def bad(message: str, *keys: str) -> DocsError:
        return DocsError(message, str(p), _key_line(text, keys))

    if not isinstance(data, dict):
        raise bad(f"facts file must hold a JSON object (found {_found(data)})")
    logo_file, logo_commit = _logo_facts(data.get("logo"), bad)
    stack_commit = _stack_commit(data.get("stack"), bad)
    buildpack_deps = _buildpack_deps_based(data.get("buildpack_deps_based"), bad)
    suites = _suite_manifests(data.get("suite_manifests"), bad)
    docs_head = _docs_head(data.get("sources"))
    return ImageFacts(logo_file, logo_commit, buildpack_deps, stack_commit, suites, p, docs_head)


def _git_checkout(folder: Path) -> bool:
    """True if ``folder`` is the top of a git work tree (it has its own ``.git``).

    A docs folder that merely sits inside some other repository (a project's
    sample data, say) is not a docs checkout: its git history says nothing
    about docker-library/docs commits.
    """
    return (folder / ".git").exists()


def _run_git(folder: Path, *args: str) -> str | None:
    """``git ARGS`` in ``folder``: its output, or None when git is missing or fails.

    Local only (``log`` and ``rev-parse`` never contact a remote); no prompt,
    no lock taken, the caller's ``GIT_*`` variables ignored.
    """
    git = shutil.which("git")
    if git is None:
        return None
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_OPTIONAL_LOCKS"] = "0"
    try:
        proc = subprocess.run(
            [git, "-c", "core.quotePath=false", *args],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    return proc.stdout.decode("utf-8", "replace")


def git_head(folder: Path) -> str | None:
    """The commit the docs checkout is at (None: not a checkout, or no commit yet)."""
    if not _git_checkout(folder):
        return None
    out = _run_git(folder, "rev-parse", "--verify", "--quiet", "HEAD")
    head = None if out is None else out.strip()
    return head if head and _REF_RE.fullmatch(head) else None


def git_last_commit(folder: Path, path: str) -> str | None:
    """``git log -1 --format=%H -- PATH``, exactly what ``update.sh`` runs for a logo.

    The cost is one history walk limited to ``PATH`` (git prunes every commit
    whose tree does not touch it), the least a single image can cost.
    """
    if not _git_checkout(folder):
        return None
    out = _run_git(folder, "log", "-1", "--format=%H", "--", path)
    commit = None if out is None else out.strip()
    return commit or None


def _parse_name_log(text: str, wanted: Iterable[str] | None = None) -> dict[str, str]:
    """The newest commit naming each path in ``git log --name-only --format=%x00%H``."""
    keep = None if wanted is None else set(wanted)
    found: dict[str, str] = {}
    commit = ""
    for line in text.splitlines():
        if line.startswith("\0"):
            commit = line[1:].strip()
            continue
        name = line.strip()
        if name and commit and name not in found and (keep is None or name in keep):
            found[name] = commit
    return found


def git_last_commits(folder: Path, pathspecs: Iterable[str]) -> dict[str, str]:
    """``git log -1 --format=%H -- PATH`` for many paths, with one git run.

    Paths are relative to ``folder``.  One ``git log --name-only`` over the
    union of the paths lists every commit touching any of them, newest first;
    the first commit naming a path is that path's last commit (the answer of
    ``git log -1`` except for history-simplification corner cases at merges).
    Returns ``{}`` when ``folder`` is not a git checkout, git is missing or
    fails.  Git matches each commit against every path given, so for many
    paths :func:`git_commit_table` (three patterns) is much faster.
    """
    wanted = sorted(set(pathspecs))
    if not wanted or not _git_checkout(folder):
        return {}
    out = _run_git(
        folder, "log", "--no-renames", "--relative", "--name-only", "--format=%x00%H", "--", *wanted
    )
    return {} if out is None else _parse_name_log(out, wanted)


@dataclass(frozen=True, slots=True)
class CommitTable:
    """The last commit of every ``IMAGE/logo.png|svg`` and ``IMAGE/stack.yml`` at one HEAD.

    ``head`` is the docs checkout's commit the table was read at: the table
    answers for that HEAD only, so a caller that keeps it between runs (the
    Sphinx environment does) compares ``head`` with :func:`git_head` first
    (:meth:`FactsResolver.use_commit_table` does).  A path missing from
    ``commits`` has no commit (update.sh's ``master``).  Plain data: it
    pickles with the environment.
    """

    head: str
    commits: Mapping[str, str]

    def get(self, path: str) -> str | None:
        return self.commits.get(path)


# The files whose commit update.sh puts in a URL, as git pathspec patterns
# (``*`` does not match ``/`` in glob magic: top-level image folders only).
_COMMIT_PATTERNS = tuple(f":(glob)*/{name}" for name in _COMMIT_FILES)


def git_commit_table(folder: Path) -> CommitTable | None:
    """Every image's logo and stack commits with one history walk (None: not a checkout).

    One ``git log --name-only`` limited to three glob patterns costs about
    what one ``git log -1 -- PATH`` does (git walks the commits once either
    way), where listing hundreds of literal paths costs ten times more.  The
    answer per path is the newest commit naming it, which is ``git log -1``'s
    answer except in history-simplification corner cases at merges.
    """
    head = git_head(folder)
    if head is None:
        return None
    out = _run_git(
        folder,
        "log",
        "--no-renames",
        "--name-only",
        "--format=%x00%H",
        head,
        "--",
        *_COMMIT_PATTERNS,
    )
    if out is None:
        return None
    names = set(_COMMIT_FILES)
    found = {
        path: commit
        for path, commit in _parse_name_log(out).items()
        if path.count("/") == 1 and path.split("/")[1] in names
    }
    return CommitTable(head, found)


class FactsResolver:
    """Answers the network facts for the images of one docs folder.

    Logo and stack commits come from git when the docs folder is a checkout:
    the first path asked walks only that path's history (``readme`` of one
    image); from the second path on, or once :meth:`load_commit_table` was
    called or :meth:`use_commit_table` given a table kept from an earlier run
    at the same HEAD, a :class:`CommitTable` answers for every image with one
    walk (``update``, ``facts``, a Sphinx build).  Answers are kept for the
    resolver's life: make a new one (a new :class:`Loader`), or call
    :meth:`load_commit_table` again, after the checkout moves.
    """

    def __init__(self, docs_root: Path, facts_dir: Path | None = None) -> None:
        if facts_dir is not None and not facts_dir.is_dir():
            raise DocsError("facts folder does not exist or is not a folder", str(facts_dir))
        self.docs_root = docs_root
        self.facts_dir = facts_dir
        self._files: StampCache[str, ImageFacts] = StampCache()
        self._table: CommitTable | None = None
        self._commits: dict[str, str | None] = {}
        self._known_head: tuple[str] | None = None

    def facts_path(self, image: str) -> Path | None:
        """The facts file for ``image`` if the facts folder has one."""
        if self.facts_dir is None or not is_plain_name(image):
            return None
        path = self.facts_dir / f"{image}.json"
        return path if path.is_file() else None

    def image_facts(self, image: str) -> ImageFacts:
        """The facts file's content for ``image`` (empty facts if none)."""
        path = self.facts_path(image)
        if path is None:
            return ImageFacts()
        return self._files.get(image, stamp_of(path.stat()), lambda: load_facts_file(path))

    # -- git ---------------------------------------------------------------

    def git_head(self) -> str | None:
        """The docs checkout's HEAD commit (None when the folder is not a checkout)."""
        return git_head(self.docs_root)

    @property
    def commit_table(self) -> CommitTable | None:
        """The table in use (None: git is asked one path at a time)."""
        return self._table

    def load_commit_table(self) -> CommitTable | None:
        """Walk the checkout's history once for every image and use the result.

        Returns the table so a caller can keep it (keyed by its ``head``)
        and hand it to :meth:`use_commit_table` next time; None when the
        docs folder is not a git checkout.
        """
        self._table = git_commit_table(self.docs_root)
        return self._table

    def use_commit_table(self, table: CommitTable | None, head: str | None = None) -> bool:
        """Use a table kept from an earlier run if it was read at the checkout's HEAD.

        ``head`` is the current HEAD when the caller knows it (saves a git
        run).  Returns whether the table is used.
        """
        if table is None:
            return False
        current = self.git_head() if head is None else head
        if current != table.head:
            return False
        self._table = table
        return True

    def _git_commit(self, relpath: str) -> str | None:
        if self._table is None and self._commits and relpath not in self._commits:
            # A second path: this run wants more than one image, and one walk
            # for all costs about what one path does.
            self.load_commit_table()
        if self._table is not None:
            return self._table.get(relpath)
        if relpath not in self._commits:
            self._commits[relpath] = git_last_commit(self.docs_root, relpath)
        return self._commits[relpath]

    def git_commit(self, image: str, name: str) -> str | None:
        """What git says is the last commit of ``IMAGE/name`` (None: not a checkout, or none)."""
        if not is_plain_name(image) or name not in _COMMIT_FILES:
            return None
        if not _git_checkout(self.docs_root):
            return None
        return self._git_commit(f"{image}/{name}")

    def _head(self) -> str | None:
        if self._known_head is None:
            self._known_head = (self.git_head() or "",)
        return self._known_head[0] or None

    def file_commit(self, image: str, name: str) -> str:
        """The last docs commit of ``IMAGE/name``: git, then facts, then ``master``.

        A facts file written by ``facts`` at the checkout's current HEAD
        (``sources.docs_head``) answers first: it is git's answer, pinned,
        and costs no history walk.  After the checkout moves, git answers
        again until the facts are written anew.
        """
        facts = self.image_facts(image)
        pinned: str | None = None
        if name in _LOGO_FILES:
            if facts.logo_commit and (facts.logo_file is None or facts.logo_file == name):
                pinned = facts.logo_commit
        elif name == "stack.yml" and facts.stack_commit:
            pinned = facts.stack_commit
        if pinned and facts.docs_head is not None and facts.docs_head == self._head():
            return pinned
        commit = self.git_commit(image, name)
        if commit:
            return commit
        return pinned or FALLBACK_LOGO_COMMIT

    def logo_commit(self, image: str, logo_file: str) -> str:
        """The commit to put in ``image``'s logo URL (git, facts, then ``master``)."""
        return self.file_commit(image, logo_file)

    def buildpack_deps_based(self, image: str) -> bool:
        """What the facts folder says about the buildpack-deps paragraph (default False).

        ``Loader.buildpack_deps`` also asks meta and says where the answer
        came from.
        """
        return bool(self.image_facts(image).buildpack_deps_based)
