"""What each document depends on beyond its own text, kept for incremental builds.

Three things are recorded per document in the environment (purged when the
document is re-read or removed, merged from parallel readers):

* **files looked for and not found** (``IMAGE/get-help.md``, ``variant-*.md``,
  ``logo.*``, ``deprecated.md``, ``compose.yaml``, a manifest...). Found files
  are plain Sphinx dependencies (``env.note_dependency``). A missing one
  cannot be: Sphinx counts a dependency that is not a file as changed, so
  the page would be read again in every build. They are checked here
  instead, in ``env-get-outdated``: a document is outdated when one of its
  missing files has appeared. (A found file that disappears is a missing
  dependency to Sphinx, which re-reads the page.)
* **image and tag references** (the ``image`` and ``image-tag`` roles, the
  generated tag index): the keys a document links to, kept by the ``docker``
  domain. When the page that
  documents a key appears, goes or moves, the documents referring to it are
  written again (``env-get-updated``), so a role resolves, or warns, as a
  fresh build would, without ``-E``.
* **input problems with a file and line** (a bad manifest entry, invalid
  YAML...): one warning per problem per build, however many directives and
  pages meet it, located at the problem and naming the pages that use it.
  They are told once reading is done (``env-updated``), for the problems of
  the documents read in this build.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Hashable, Iterable, Set
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

from sphinx_official_images.sources.lookups import Lookups
from sphinx_official_images.sphinx_ext.domain import DOMAIN, OfficialImagesDomain
from sphinx_official_images.sphinx_ext.project import project_state

logger = logging.getLogger(__name__)

_MISSING = "official_images_missing"  # docname -> set of absolute paths
_PROBLEMS = "official_images_problems"  # docname -> set of Problem

# Pages named in a warning about a problem many pages meet.
_MAX_PAGES_NAMED = 5


class Problem(NamedTuple):
    """An input problem one document met: where it is, what it is, for which view.

    ``path``/``line`` None: a problem without a line (a missing file), told at
    the directive, once per document (``where`` is the directive's ``file:line``).
    """

    path: str | None
    line: int | None
    message: str
    subtype: str
    view: str
    where: str = ""


def _table(env: BuildEnvironment, name: str) -> dict[str, set[Any]]:
    table = getattr(env, name, None)
    if not isinstance(table, dict):
        table = {}
        setattr(env, name, table)
    return table


# -- recording, while a document is read ---------------------------------------------------


def note_lookups(env: BuildEnvironment, lookups: Lookups) -> None:
    """Make every file the page looked for a dependency of the current document."""
    for path in lookups.found:
        env.note_dependency(str(path))
    if lookups.missing:
        # interned: the pages of one image look for the same files, and the
        # pickled environment then holds each path once
        _table(env, _MISSING).setdefault(env.docname, set()).update(
            sys.intern(str(path)) for path in lookups.missing
        )


def note_missing(env: BuildEnvironment, paths: Iterable[str]) -> None:
    """Files the current document looked for in vain, as absolute path strings (a
    page's hundreds of repo-info tag files: no :class:`Lookups` of path objects)."""
    table = _table(env, _MISSING).setdefault(env.docname, set())
    table.update(map(sys.intern, paths))


def note_problem(env: BuildEnvironment, problem: Problem) -> bool:
    """Record ``problem`` for the current document; False if it already had it
    (from another directive: the same problem is told once)."""
    problems = _table(env, _PROBLEMS).setdefault(env.docname, set())
    same = problem._replace(where="")
    if any(p._replace(where="") == same for p in problems):
        return False
    problems.add(problem)
    return True


# -- the collector ----------------------------------------------------------------------


@dataclass
class _BuildNotes:
    """What one build remembers between its events (on the environment's state)."""

    resolved: dict[tuple[str, str], tuple[str, str] | None]
    reading: frozenset[str] = frozenset()


def _domain(env: BuildEnvironment) -> OfficialImagesDomain:
    domain = env.get_domain(DOMAIN)
    assert isinstance(domain, OfficialImagesDomain)
    return domain


def _resolution(env: BuildEnvironment) -> dict[tuple[str, str], tuple[str, str] | None]:
    """Where every referenced key resolves now: ``(docname, anchor)`` or None."""
    domain = _domain(env)
    out: dict[tuple[str, str], tuple[str, str] | None] = {}
    for refs in domain.references.values():
        for kind, keys in refs.items():
            for key in keys:
                ref = (kind, key)
                if ref not in out:
                    found = domain.lookup(kind, key)
                    out[ref] = None if found is None else (found[1], found[2])
    return out


def _appeared(missing: dict[str, set[str]]) -> set[str]:
    """The recorded missing paths that are files now.

    Paths are grouped by folder and each folder is listed once: a catalogue
    records tens of thousands of candidate files in a few hundred folders.
    """
    by_folder: dict[str, set[str]] = {}
    for path in set().union(*missing.values()):
        folder, _, name = path.rpartition(os.sep)
        by_folder.setdefault(folder, set()).add(name)
    appeared: set[str] = set()
    for folder, names in by_folder.items():
        try:
            present = set(os.listdir(folder)) & names
        except OSError:
            continue
        for name in present:
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                appeared.add(path)
    return appeared


class InputsCollector(EnvironmentCollector):
    """Missing files, references and problems of each document (module docs)."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        for name in (_MISSING, _PROBLEMS):
            _table(env, name).pop(docname, None)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        for name in (_MISSING, _PROBLEMS):
            mine, theirs = _table(env, name), _table(other, name)
            for docname in docnames:
                if docname in theirs:
                    # the paths interned again: each reader's are its own strings
                    found = (
                        theirs[docname] if name == _PROBLEMS else map(sys.intern, theirs[docname])
                    )
                    mine.setdefault(docname, set()).update(found)
        # The readers forked after this merge inherit the environment and send it
        # all back pickled: shared objects are pickled once.
        share_dependencies(app, env)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass  # everything is recorded while the directives and roles run

    def get_outdated_docs(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        added: Set[str],
        changed: Set[str],
        removed: Set[str],
    ) -> list[str]:
        # Before any document is purged: where references resolve now.
        project_state(env).build_notes = _BuildNotes(_resolution(env))
        missing = _table(env, _MISSING)
        appeared = _appeared(missing)
        if not appeared:
            return []
        return sorted(doc for doc, paths in missing.items() if not paths.isdisjoint(appeared))

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        notes = project_state(env).build_notes
        if not isinstance(notes, _BuildNotes):
            return []
        after = _resolution(env)
        before = notes.resolved
        changed: dict[str, set[str]] = {}
        for (kind, key), where in after.items():
            if before.get((kind, key)) != where:
                changed.setdefault(kind, set()).add(key)
        if not changed:
            return []
        return sorted(
            doc
            for doc, refs in _domain(env).references.items()
            if any(not keys.isdisjoint(changed.get(kind, ())) for kind, keys in refs.items())
        )


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    notes = project_state(env).build_notes
    if isinstance(notes, _BuildNotes):
        notes.reading = frozenset(docnames)
    else:
        project_state(env).build_notes = _BuildNotes({}, frozenset(docnames))


def _pages(docnames: list[str]) -> str:
    shown = ", ".join(docnames[:_MAX_PAGES_NAMED])
    more = len(docnames) - _MAX_PAGES_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def report_problems(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: one warning per located problem met by a document read now."""
    notes = project_state(env).build_notes
    reading = notes.reading if isinstance(notes, _BuildNotes) else frozenset()
    table = _table(env, _PROBLEMS)
    told: dict[tuple[str, int, str, str], tuple[set[str], set[str]]] = {}
    fresh: set[tuple[str, int, str, str]] = set()
    for docname, problems in table.items():
        for p in problems:
            if p.path is None or p.line is None:
                continue
            key = (p.path, p.line, p.message, p.subtype)
            views, docs = told.setdefault(key, (set(), set()))
            views.add(p.view)
            docs.add(docname)
            if docname in reading:
                fresh.add(key)
    for key in sorted(fresh):
        path, line, message, subtype = key
        views, docs = told[key]
        logger.warning(
            "%s (for %s; pages: %s)",
            message,
            ", ".join(sorted(views)),
            _pages(sorted(docs)),
            location=f"{path}:{line}",
            type="official_images",
            subtype=subtype,
        )


def share_dependencies(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: make the equal dependencies of all documents one object each.

    Sphinx keeps each dependency a document notes as an object of its own (a
    path object since Sphinx 8). The catalogue's pages share most of their
    inputs (the templates, the manifests of base images...): the corpus
    catalogue notes 12,900 dependencies on 1,150 files. Pickled apart, they
    were unpickled into 12,900 path objects on every build, each one parsed
    again by ``pathlib`` and then walked by the garbage collector. Equal
    objects that are one object are pickled once, so a rebuild with nothing
    changed takes 3.61 s instead of 4.28 (docs/performance.md). The sets keep the same values
    and type: only their sharing changes. It runs once reading is done, before
    Sphinx pickles the environment, and after each parallel reader's
    environment is merged (the readers forked later send it all back).
    """
    _share(env.dependencies.values())


_Item = TypeVar("_Item", bound=Hashable)


def _share(sets: Iterable[set[_Item]]) -> None:
    """Replace every item of ``sets`` by the first item equal to it."""
    canonical: dict[_Item, _Item] = {}
    for items in sets:
        if items:
            shared = [canonical.setdefault(item, item) for item in items]
            items.clear()
            items.update(shared)


def register(app: Sphinx) -> None:
    app.add_env_collector(InputsCollector)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-updated", report_problems)
    app.connect("env-updated", share_dependencies)
