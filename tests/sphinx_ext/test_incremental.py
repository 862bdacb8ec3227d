"""Builds that never go stale: incremental builds after the inputs change.

Each test builds a small site (:mod:`_sites`) with a Sphinx application,
changes an input, and builds again in the same output folders, without
``-E``, as a writer's loop (or sphinx-autobuild) does:

* every file the view model looked for is a dependency, found or not: adding
  ``IMAGE/get-help.md``, ``issues.md``, ``variant-*.md``, ``logo.*``,
  ``deprecated.md``, ``compose.yaml`` or a manifest re-reads the pages that
  now use it, and only those; removing it again re-reads them too; a build
  with nothing changed reads nothing;
* two builds in one process with different inputs each give their own pages;
* a role is re-resolved when the page documenting its target appears or goes;
* a warning about prose is located in the prose file it came from, and a
  problem is told once per build, naming the pages that meet it.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from _sites import COMMIT, GLOBAL, make_site, manifest_text, split_warnings
from sphinx_official_images.model.names import image_anchor, tag_anchor


@dataclass
class Run:
    """What one build read and said."""

    read: list[str]
    warnings: list[str]
    out: Path

    def html(self, docname: str) -> str:
        return (self.out / "html" / f"{docname}.html").read_text(encoding="utf-8")

    def doctree(self, docname: str) -> nodes.document:
        with (self.out / "doctrees" / f"{docname}.doctree").open("rb") as f:
            tree: nodes.document = pickle.load(f)
        return tree


_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def run(src: Path, out: Path, *, fresh: bool = False, jobs: int = 1) -> Run:
    """Build ``src`` into ``out`` (kept between runs: an incremental build)."""
    warnings = io.StringIO()
    read: list[str] = []
    with docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(out / "html"),
            str(out / "doctrees"),
            "html",
            status=None,
            warning=warnings,
            freshenv=fresh,
            parallel=jobs,
        )
        app.connect("env-before-read-docs", lambda _a, _e, docs: read.extend(docs))
        app.build()
    text = _COLOUR.sub("", warnings.getvalue())
    return Run(sorted(read), split_warnings(text), out)


def _touch(path: Path) -> None:
    """Give ``path`` the mtime of now: after the last build read it."""
    os.utime(path)


PAGES = {
    "index.rst": "Site\n====\n\n.. toctree::\n\n   good\n   bad\n   other\n",
    "good.rst": "Good\n====\n\n.. image-readme:: widget\n",
    "other.rst": "Other\n=====\n\nNo image here.\n",
}

# (file added under docs/ or library/, its text, what the page then shows)
NEW_FILES = [
    ("docs/widget/get-help.md", "the WIDGET-HELP-MARK forum", "WIDGET-HELP-MARK"),
    ("docs/widget/issues.md", "file them at WIDGET-ISSUES-MARK", "WIDGET-ISSUES-MARK"),
    (
        "docs/widget/variant-slim.md",
        "## `%%IMAGE%%:slim`\n\nWIDGET-VARIANT-MARK",
        "WIDGET-VARIANT-MARK",
    ),
    ("docs/widget/logo.png", "\x89PNG fake", "widget/logo.png"),
    ("docs/widget/deprecated.md", "WIDGET-DEPRECATED-MARK: use another image", "WIDGET-DEPRECATED"),
    ("docs/widget/compose.yaml", "services:\n  mark:\n    image: WIDGET-COMPOSE-MARK\n", "COMPOSE"),
    (
        "facts/widget.json",
        '{"logo": {"file": "logo.svg", "commit": "f00d"}, "buildpack_deps_based": false}\n',
        "f00d/widget",
    ),
]


@pytest.mark.parametrize(("rel", "text", "mark"), NEW_FILES, ids=[n[0] for n in NEW_FILES])
def test_a_new_file_rereads_the_pages_that_use_it(
    tmp_path: Path, rel: str, text: str, mark: str
) -> None:
    # compose.yaml (and, for its case, the facts file) are part of the standard
    # site: start without them
    no_facts = rel.startswith("facts/")
    facts: dict[str, str | bytes | None] = {"unused.json": "{}\n"}
    if no_facts:
        facts["widget.json"] = None
    src = make_site(tmp_path, PAGES, docs={"widget/compose.yaml": None}, facts=facts)
    out = tmp_path / "out"
    first = run(src, out, fresh=True)
    # without its facts file, widget's variants lack the buildpack-deps fact, and say so
    assert all("buildpack-deps" in w for w in first.warnings)
    assert bool(first.warnings) == no_facts
    assert mark not in first.html("good")

    again = run(src, out)
    assert again.read == []  # a missing file is no reason to read a page every time

    path = tmp_path / rel
    path.write_text(text, encoding="utf-8")
    added = run(src, out)
    assert added.read == ["good"]
    assert mark in added.html("good")

    path.unlink()
    removed = run(src, out)
    assert removed.read == ["good"]
    assert mark not in removed.html("good")


@pytest.mark.parametrize("jobs", [1, 2])
def test_pages_sharing_an_input_share_one_dependency_object(tmp_path: Path, jobs: int) -> None:
    """Equal dependencies are pickled once (collector.share_dependencies), and an
    input the pages share still re-reads every one of them."""
    pages = {
        **PAGES,
        **{f"copy{i}.rst": f"Copy {i}\n======\n\n.. image-readme:: widget\n" for i in range(6)},
    }
    pages["index.rst"] += "".join(f"   copy{i}\n" for i in range(6))
    src = make_site(tmp_path, pages)
    out = tmp_path / "out"
    run(src, out, fresh=True, jobs=jobs)
    with (out / "doctrees" / "environment.pickle").open("rb") as f:
        env = pickle.load(f)
    readers = ["good", *(f"copy{i}" for i in range(6))]
    deps = {doc: {str(d): d for d in env.dependencies[doc]} for doc in readers}
    assert deps["good"] and all(deps[doc].keys() == deps["good"].keys() for doc in readers)
    for path, dep in deps["good"].items():
        assert all(deps[doc][path] is dep for doc in readers), path

    _touch(tmp_path / "library" / "widget")
    assert run(src, out, jobs=jobs).read == sorted(readers)
    assert run(src, out, jobs=jobs).read == []


def test_a_new_manifest_brings_its_page(tmp_path: Path) -> None:
    pages = {**PAGES, "bad.rst": "Bad\n===\n\n.. image-tags:: gadget\n"}
    src = make_site(tmp_path, pages)
    out = tmp_path / "out"
    first = run(src, out, fresh=True)
    assert [w for w in first.warnings if "unknown image 'gadget'" in w]
    for rel in ("content.md", "github-repo", "maintainer.md"):
        shutil.copy(tmp_path / "docs" / "widget" / rel, tmp_path / "docs" / rel)
    shutil.copytree(tmp_path / "docs" / "widget", tmp_path / "docs" / "gadget")
    (tmp_path / "library" / "gadget").write_text(
        GLOBAL + f"\nTags: 7.7-gadget\nGitCommit: {COMMIT}\n", encoding="utf-8"
    )
    second = run(src, out)
    assert second.read == ["bad"]
    assert second.warnings == []
    assert "7.7-gadget" in second.html("bad")


# -- two builds in one process ------------------------------------------------------------


def _inputs(root: Path, mark: str) -> None:
    """Rewrite the widget's prose and manifest with ``mark`` (same sizes, same mtimes)."""
    content = root / "docs" / "widget" / "content.md"
    content.write_text(f"# What is widget?\n\nThe {mark} widget.\n", encoding="utf-8")
    manifest = root / "library" / "widget"
    manifest.write_text(manifest_text().replace("Tags: 1.0,", f"Tags: {mark},"), "utf-8")
    for path in (content, manifest):
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))


def test_two_builds_in_one_process_each_see_their_inputs(tmp_path: Path) -> None:
    """Files of the same size and mtime: only a cache that outlived a build would
    mistake one for the other."""
    src = make_site(tmp_path, PAGES)
    _inputs(tmp_path, "AAAA")
    first = run(src, tmp_path / "first", fresh=True)
    assert "AAAA" in first.html("good")
    _inputs(tmp_path, "BBBB")
    second = run(src, tmp_path / "second", fresh=True)
    page = second.html("good")
    assert "BBBB" in page
    assert "AAAA" not in page


def test_shared_tags_sentence_carries_no_other_image_source(tmp_path: Path) -> None:
    """The FAQ sentence of the shared-tag list is parsed once per build and copied:
    no copy may say it came from the first image's prose."""
    pages = {**PAGES, "bad.rst": "Bad\n===\n\n.. image-readme:: bad\n"}
    src = make_site(tmp_path, pages)
    for out in ("one", "two"):  # and not across builds either
        result = run(src, tmp_path / out, fresh=True)
        for docname, image, other in (("good", "widget", "bad"), ("bad", "bad", "widget")):
            tree = result.doctree(docname)
            faq = [n for n in tree.findall(nodes.reference) if "docker-library/faq" in n["refuri"]]
            assert faq, docname
            sources = {str(n.source) for n in tree.findall(nodes.Element) if n.source}
            assert not [s for s in sources if f"/docs/{other}/" in s], (docname, image)


# -- references re-resolved ------------------------------------------------------------------

REFS = "Refs\n====\n\nSee :image:`bad` and :image-tag:`bad:1.0-slim`.\n"


def test_roles_are_resolved_when_their_target_page_appears_and_goes(tmp_path: Path) -> None:
    pages = {**PAGES, "other.rst": REFS, "bad.rst": "Bad\n===\n\nNothing yet.\n"}
    src = make_site(tmp_path, pages)
    out = tmp_path / "out"
    first = run(src, out, fresh=True)
    assert len([w for w in first.warnings if "unknown image 'bad'" in w]) == 1
    assert len([w for w in first.warnings if "unknown image tag 'bad:1.0-slim'" in w]) == 1
    assert 'href="bad.html#' not in first.html("other")

    (src / "bad.rst").write_text("Bad\n===\n\n.. image-readme:: bad\n", encoding="utf-8")
    _touch(src / "bad.rst")
    documented = run(src, out)
    assert documented.read == ["bad"]  # the refs page is written again, not read
    assert documented.warnings == []
    html = documented.html("other")
    assert f'href="bad.html#{image_anchor("bad", None)}"' in html
    assert f'href="bad.html#{tag_anchor("bad", "1.0-slim", None)}"' in html

    (src / "bad.rst").write_text("Bad\n===\n\nGone again.\n", encoding="utf-8")
    _touch(src / "bad.rst")
    gone = run(src, out)
    assert gone.read == ["bad"]
    assert 'href="bad.html#' not in gone.html("other")
    assert len([w for w in gone.warnings if "unknown image 'bad'" in w]) == 1


# -- warnings where the problem is ---------------------------------------------------------


def test_a_prose_link_is_located_in_its_prose_file(tmp_path: Path) -> None:
    """A link in content.md whose target is missing: the warning is at content.md's line,
    not at the helper text that comes last on the page."""
    content = (
        "# What is bad?\n\nSee [the settings](#NO-SUCH-SETTING) for more.\n\n"
        "# How to use this image\n\nRun it.\n"
    )
    pages = {**PAGES, "bad.rst": "Bad\n===\n\n.. image-readme:: bad\n"}
    src = make_site(tmp_path, pages, docs={"bad/content.md": content})
    result = run(src, tmp_path / "out", fresh=True)
    missing = [w for w in result.warnings if "NO-SUCH-SETTING" in w]
    assert len(missing) == 1
    # (myst-parser 3, for Sphinx 7, also puts the warning type in the message)
    assert missing[0].startswith(
        f"{tmp_path}/docs/bad/content.md:3: WARNING: 'myst' cross-reference target not found:"
        " 'NO-SUCH-SETTING' [myst.xref_missing]"
    )


SIX = (
    "".join(
        f".. {name}:: bad\n\n"
        for name in (
            "image-tags",
            "image-variants",
            "image-arches",
            "image-quickref",
            "image-license",
        )
    )
    + ".. image-readme:: bad\n"
)

# a third entry repeats the first entry's tag: bashbrew refuses the manifest
BROKEN = manifest_text("bad") + f"\nTags: 1.0\nGitCommit: {COMMIT}\n"


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_problem_is_told_once_naming_its_pages(tmp_path: Path, jobs: int) -> None:
    pages = {
        **PAGES,
        "bad.rst": "Bad\n===\n\n" + SIX,
        "other.rst": "Other\n=====\n\n.. image-tags:: bad windows-amd64\n",
    }
    src = make_site(tmp_path, pages, library={"bad": BROKEN})
    out = tmp_path / "out"
    first = run(src, out, fresh=True, jobs=jobs)
    told = [w for w in first.warnings if "official_images.input" in w]
    assert len(told) == 1, first.warnings
    assert told[0].startswith(f"{tmp_path}/library/bad:")
    assert told[0].endswith(
        "(for bad, bad@windows-amd64; pages: bad, other) [official_images.input]"
    )

    # an incremental build that reads one of the pages tells it again, naming both
    _touch(src / "other.rst")
    second = run(src, out, jobs=jobs)
    assert second.read == ["other"]
    assert [w for w in second.warnings if "official_images.input" in w] == told

    # a missing file (no line) is told at the page's first directive that meets it, once
    (tmp_path / "library" / "bad").write_text(manifest_text("bad"), encoding="utf-8")
    (tmp_path / "docs" / "bad" / "github-repo").unlink()
    third = run(src, out, jobs=jobs)
    missing = [w for w in third.warnings if "github-repo: required file is missing" in w]
    assert [w.split(": WARNING")[0] for w in missing] == [
        f"{src}/bad.rst:4",
        f"{src}/other.rst:4",
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_prose_warning_is_told_once_for_all_the_pages_showing_it(
    tmp_path: Path, jobs: int
) -> None:
    content = "# What is bad?\n\nText.\n\n### Two levels down\n\nMore.\n"
    pages = {
        **PAGES,
        "bad.rst": "Bad\n===\n\n.. image-readme:: bad\n",
        "other.rst": "Other\n=====\n\n.. image-readme:: bad windows-amd64\n\n"
        ".. image-content:: bad\n",
    }
    src = make_site(tmp_path, pages, docs={"bad/content.md": content})
    result = run(src, tmp_path / "out", fresh=True, jobs=jobs)
    jumps = [w for w in result.warnings if "H1 to H3" in w]
    assert [w.split(": WARNING")[0] for w in jumps] == [f"{tmp_path}/docs/bad/content.md:5"]
