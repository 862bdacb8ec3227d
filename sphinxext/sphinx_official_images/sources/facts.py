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

This module never touches the network.  It resolves the facts, in order:

1. from git, when the docs folder is a git checkout (logo commits only: one
   local ``git log`` for all logos of the folder, run once per
   :class:`FactsResolver`);
2. from a **facts folder** holding one ``IMAGE.json`` per image;
3. else the way ``update.sh`` falls back: logo commit ``master``, and no
   buildpack-deps paragraph (a failed ``bashbrew cat`` prints nothing).

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
from sphinx_official_images.sources.stamps import StampCache, stamp_of

__all__ = [
    "FALLBACK_LOGO_COMMIT",
    "FactsResolver",
    "ImageFacts",
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


def _read_json(p: Path) -> tuple[str, object]:
    """The text of a facts file and its JSON value."""
    try:
        raw_bytes = p.read_bytes()
    except OSError as exc:
        raise DocsError(f"cannot read facts file: {exc.strerror or exc}", str(p)) from None
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw_bytes.count(b"\n", 0, exc.start) + 1
        raise DocsError("facts file is not valid UTF-8", str(p), line) from None
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as exc:
        raise DocsError(f"facts file is not valid JSON: {exc.msg}", str(p), exc.lineno) from None


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
    text, data = _read_json(p)

    def bad(message: str, *keys: str) -> DocsError:
        return DocsError(message, str(p), _key_line(text, keys))

    if not isinstance(data, dict):
        raise bad(f"facts file must hold a JSON object (found {_found(data)})")
    logo_file, logo_commit = _logo_facts(data.get("logo"), bad)
    stack_commit = _stack_commit(data.get("stack"), bad)
    buildpack_deps = _buildpack_deps_based(data.get("buildpack_deps_based"), bad)
    suites = _suite_manifests(data.get("suite_manifests"), bad)
    return ImageFacts(logo_file, logo_commit, buildpack_deps, stack_commit, suites, p)


def _git_checkout(folder: Path) -> bool:
    """True if ``folder`` is the top of a git work tree (it has its own ``.git``).

    A docs folder that merely sits inside some other repository (a project's
    sample data, say) is not a docs checkout: its git history says nothing
    about docker-library/docs commits.
    """
    return (folder / ".git").exists()


def git_last_commits(folder: Path, pathspecs: Iterable[str]) -> dict[str, str]:
    """``git log -1 --format=%H -- PATH`` for many paths, with one git run.

    Paths are relative to ``folder``.  One ``git log --name-only`` over the
    union of the paths lists every commit touching any of them, newest first;
    the first commit naming a path is that path's last commit (the answer of
    ``git log -1`` except for history-simplification corner cases at merges).
    Returns ``{}`` when ``folder`` is not a git checkout, git is missing or
    fails.  Local only: ``log`` never contacts a remote.
    """
    wanted = sorted(set(pathspecs))
    if not wanted or not _git_checkout(folder):
        return {}
    git = shutil.which("git")
    if git is None:
        return {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_OPTIONAL_LOCKS"] = "0"
    try:
        proc = subprocess.run(
            [
                git,
                "-c",
                "core.quotePath=false",
                "log",
                "--no-renames",
                "--relative",
                "--name-only",
                "--format=%x00%H",
                "--",
                *wanted,
            ],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    remaining = set(wanted)
    found: dict[str, str] = {}
    commit = ""
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("\0"):
            commit = line[1:].strip()
            continue
        name = line.strip()
        if name in remaining and commit:
            found[name] = commit
            remaining.discard(name)
            if not remaining:
                break
    return found


class FactsResolver:
    """Answers the two network facts for the images of one docs folder."""

    def __init__(self, docs_root: Path, facts_dir: Path | None = None) -> None:
        if facts_dir is not None and not facts_dir.is_dir():
            raise DocsError("facts folder does not exist or is not a folder", str(facts_dir))
        self.docs_root = docs_root
        self.facts_dir = facts_dir
        self._files: StampCache[str, ImageFacts] = StampCache()
        self._git: dict[str, str] | None = None
        self._git_logos: tuple[str, ...] = ()

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

    def _git_commits(self) -> dict[str, str]:
        if self._git is None:
            logos: list[str] = []
            try:
                with os.scandir(self.docs_root) as it:
                    for item in it:
                        if item.name.startswith(".") or not item.is_dir():
                            continue
                        logos.extend(f"{item.name}/{name}" for name in _COMMIT_FILES)
            except OSError:
                logos = []
            self._git = git_last_commits(self.docs_root, logos)
        return self._git

    def file_commit(self, image: str, name: str) -> str:
        """The last docs commit of ``IMAGE/name`` (git, then facts, then ``master``)."""
        commit = self._git_commits().get(f"{image}/{name}")
        if commit:
            return commit
        facts = self.image_facts(image)
        if name in _LOGO_FILES:
            if facts.logo_commit and (facts.logo_file is None or facts.logo_file == name):
                return facts.logo_commit
        elif name == "stack.yml" and facts.stack_commit:
            return facts.stack_commit
        return FALLBACK_LOGO_COMMIT

    def logo_commit(self, image: str, logo_file: str) -> str:
        """The commit to put in ``image``'s logo URL (git, facts, then ``master``)."""
        return self.file_commit(image, logo_file)

    def buildpack_deps_based(self, image: str) -> bool:
        """Whether ``variant.sh`` would add the buildpack-deps paragraph (default False)."""
        return bool(self.image_facts(image).buildpack_deps_based)
