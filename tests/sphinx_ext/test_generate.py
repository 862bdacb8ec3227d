"""The generated catalogue (issue #5): options, sources, a Sphinx build, search, incremental.

Builds use the repository's ``data/`` sample (python with ten architectures,
debian with nine: about twenty pages, a few seconds), so they need no corpus;
one test checks the plan over the whole corpus when it is there.
"""

from __future__ import annotations

import html as htmllib
import io
import json
import os
import posixpath
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import _searchtools as searchtools
import pytest
import sphinx
from _searchtools import NODE
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace
from sphinx.util.inventory import InventoryFile

from conftest import corpus_conf
from sphinx_official_images.model.names import tag_anchor
from sphinx_official_images.render.prose import ParseCache
from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sphinx_ext.project import project_state

DATA = Path(__file__).resolve().parents[2] / "data"


# -- Sphinx builds -------------------------------------------------------------------


def make_project(
    tmp_path: Path, theme: str = "alabaster", generate: object = True, extra: str = ""
) -> Path:
    """A project over a copy of data/library (so a test may touch a manifest)."""
    shutil.copytree(DATA / "library", tmp_path / "library")
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_official_images"]\n'
        f"official_images_library = {str(tmp_path / 'library')!r}\n"
        f"official_images_docs = {str(DATA / 'docs')!r}\n"
        f"official_images_facts = {str(DATA / 'facts')!r}\n"
        f"official_images_generate = {generate!r}\n"
        f"html_theme = {theme!r}\n{extra}",
        encoding="utf-8",
    )
    (src / "index.md").write_text(
        "# Sample catalogue\n\n```{toctree}\ncatalogue/index\n```\n", encoding="utf-8"
    )
    return src


Built = tuple[Path, list[str], str]


def sphinx_build(
    src: Path,
    out: Path,
    fresh: bool = False,
    parses: list[ParseCache] | None = None,
    handlers: Sequence[tuple[str, Callable[..., Any], int]] = (),
    jobs: int = 1,
) -> Built:
    """Build ``src``; returns (html folder, documents read, warnings).

    ``parses`` receives the build's cache of shared prose parses; ``handlers``
    are connected before the build, as ``(event, callback, priority)``;
    ``jobs`` is ``-j``.
    """
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
            warningiserror=False,
            parallel=jobs,
        )
        app.connect("env-before-read-docs", lambda _a, _e, docs: read.extend(docs))
        for event, callback, priority in handlers:
            app.connect(event, callback, priority=priority)
        app.build()
        if parses is not None:
            parses.append(project_state(app.env).parses)
    return out / "html", sorted(read), warnings.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    tmp = tmp_path_factory.mktemp("catalogue")
    yield sphinx_build(make_project(tmp), tmp / "out")


def _html(html: Path, docname: str) -> str:
    """The page's HTML with character references decoded (Sphinx writes ``@`` as ``&#64;``)."""
    return htmllib.unescape((html / f"{docname}.html").read_text(encoding="utf-8"))


def test_build_is_clean_and_complete(built: Built) -> None:
    html, read, warnings = built
    assert warnings == ""
    assert "catalogue/python" in read and "catalogue/winamd64/python" in read
    assert "catalogue/index" in read and "catalogue/tags" in read
    page = _html(html, "catalogue/winamd64/python")
    headings = re.findall(r"<h([12])>(.*?)<a class=\"headerlink\"", page)
    assert headings[0] == ("1", "winamd64/python")
    assert ("2", "Quick reference") in headings  # the README's sections, one level down
    assert 'id="tag-python__windowsservercore-ltsc2022__windows-amd64"' in page
    assert 'href="../python.html#image__python"' in page


def test_index_links_every_view(built: Built) -> None:
    html, _, _ = built
    index = _html(html, "catalogue/index")
    assert 'href="python.html#image__python"' in index
    assert 'href="winamd64/python.html#image__python__windows-amd64"' in index
    short = (DATA / "docs" / "python" / "README-short.txt").read_text(encoding="utf-8").strip()
    assert short.split()[0] in index


def test_tag_index_links_each_tag_to_its_entry(built: Built) -> None:
    html, _, _ = built
    tags = _html(html, "catalogue/tags")
    assert 'href="python.html#tag-python__3_14-slim"' in tags
    # each entry names the architectures that have it; the list is not searched
    assert re.search(r"windowsservercore-ltsc2022</span></code></a> \(windows-amd64\)", tags)
    assert 'class="official-images-tag-index no-search' in tags


def _search_index(html: Path) -> dict[str, object]:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    loaded = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    assert isinstance(loaded, dict)
    return loaded


def _entry_holding(html: Path, tag: str) -> str:
    """The id of the tag list entry (``<li>``) of python's default view holding ``tag``."""
    page = _html(html, "catalogue/python")
    anchor = tag_anchor("python", tag, None)
    item = re.search(rf'<li id="([^"]+)">(?:(?!</li>).)*?id="{anchor}"', page, re.S)
    if item is None:  # the tag is the entry's first
        item = re.search(rf'<li id="({anchor})"', page)
    assert item is not None, tag
    return item.group(1)


def _sphinx_matches(entries: dict[str, list[list[object]]], query: str) -> dict[str, int]:
    """The index entries Sphinx's search matches for ``query``, with their scores.

    searchtools.js (7.4, 8, 9): an entry (each level of one) matches a query
    it contains when the query is at least half as long, and scores
    ``round(100 * len(query) / len(entry))``, so a match scores 50 or more
    and an exact one 100; no other kind of result scores more than 26.
    """
    q = query.lower().strip()
    return {
        entry: int(100 * len(q) / len(entry) + 0.5)
        for entry in entries
        if q in entry and len(q) >= len(entry) / 2
    }


TAG_QUERIES = ("3.14-slim", "python:3.14-slim", "windowsservercore-ltsc2022")


def test_search_index_finds_the_tag_first(built: Built) -> None:
    """What Sphinx's search index holds for a tag (sphinx_ext/search.py): the tag
    and its full name are index entries of their own, main ones, pointing at
    the tag's list entry on its default view; the image's name is an entry of
    the image only; the tags are no objects of the search, the image views are."""
    html, _, _ = built
    index = _search_index(html)
    docnames = index["docnames"]
    assert isinstance(docnames, list)
    python = docnames.index("catalogue/python")
    windows = docnames.index("catalogue/winamd64/python")
    entries = index["indexentries"]
    assert isinstance(entries, dict)
    for query in TAG_QUERIES:
        tag = query.partition(":")[2] or query
        matches = _sphinx_matches(entries, query)
        # the exact match is the tag's own entry, on its default view (a main
        # entry: architecture pages keep the anchors but add no entries)
        assert entries[query] == [[python, _entry_holding(html, tag), True]], query
        assert matches[query] == 100
        # every other match is a longer entry (it scores less) on a page of
        # the catalogue (the page's script lists each of those once)
        assert all(score < 100 for entry, score in matches.items() if entry != query)
        assert all(
            docnames[doc].startswith("catalogue/")
            for entry in matches
            for doc, _, _ in entries[entry]
        )
    # every tag of one list entry points at the entry itself (its first id)
    item = _entry_holding(html, "3.14-slim")
    assert {anchor for _, anchor, _ in entries["slim"]} == {item}
    assert {anchor for _, anchor, _ in entries["python:slim"]} == {item}
    # The image's name is the image's own entry, at the start of its default
    # view (the view's first section: the search shows its text), not a level
    # of every tag's entry as in the general index.
    assert entries["python"] == [[python, "quick-reference", True]]
    # (the view's target is at the same place: an empty span)
    assert '<section id="quick-reference">\n<span id="image__python"></span>' in _html(
        html, "catalogue/python"
    )
    # a query for python matches no tag of debian's and no tag entry of
    # python's above the image's own
    matches = _sphinx_matches(entries, "python")
    assert matches["python"] == 100
    assert {doc for entry in matches for doc, _, _ in entries[entry]} == {python}
    assert "winamd64/python" not in entries and not any("@" in e for e in entries)

    objects = index["objects"]
    assert isinstance(objects, dict)
    # searchtools.js joins an object's prefix (the name up to its last dot) and name
    names = {
        (f"{prefix}.{entry[4]}" if prefix else entry[4], entry[0], entry[2])
        for prefix, entries_ in objects.items()
        for entry in entries_
    }
    # The tags are for the roles and intersphinx only: as objects they would
    # match every query for one of their words, and every python:... a query
    # for python.
    assert not any(":" in name for name, _, _ in names)
    # every image view is an important object (priority 0), its result naming the view
    assert ("python", python, 0) in names
    assert ("python (windows-amd64)", windows, 0) in names
    inventory = InventoryFile.load(
        io.BytesIO((html / "objects.inv").read_bytes()), "", posixpath.join
    )
    assert "python:windowsservercore-ltsc2022@windows-amd64" in inventory["docker:tag"]

    terms, titleterms = index["terms"], index["titleterms"]
    assert isinstance(terms, dict) and isinstance(titleterms, dict)
    # The tag lists stay in the word index (a word of a tag, as ltsc2022, finds
    # the default view), not the architecture pages' copies (no-search, from
    # Sphinx 8).
    for word in ("slim", "windowsservercor", "ltsc2022"):  # stemmed as the JS stems them
        found: list[int] = []
        for table in (terms, titleterms):
            docs = table.get(word, [])
            found += docs if isinstance(docs, list) else [docs]
        assert python in found
        if sphinx.version_info >= (8,):
            assert windows not in found


def test_general_index_groups_the_tags_under_their_image(built: Built) -> None:
    """The general index is not what the search matches: python, linked to its
    default view, with its tags under it, each linked to its entry."""
    html, _, _ = built
    genindex = _html(html, "genindex")
    image = genindex.index(
        '<li><a href="catalogue/python.html#quick-reference"><strong>python</strong></a>'
    )
    tag = genindex.index(
        f'<li><a href="catalogue/python.html#{_entry_holding(html, "3.14-slim")}">'
        "<strong>3.14-slim</strong></a>"
    )
    debian = genindex.index("<strong>debian</strong>")
    assert debian < image < tag  # under python, in the P group
    assert "python:3.14-slim" not in genindex


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed (apt-get install nodejs)")
def test_search_lists_the_tag_entry_first_once_per_page(built: Built) -> None:
    """The site's own searchtools.js and official-images.js, run under Node.js
    (tests/sphinx_ext/_searchtools.py): what the browser test sees."""
    html, _, _ = built
    found = searchtools.search(html, [*TAG_QUERIES, "python"])
    alone = searchtools.search(html, [*TAG_QUERIES, "python"], script=False)
    for query in TAG_QUERIES:
        tag = query.partition(":")[2] or query
        entry = f"catalogue/python.html#{_entry_holding(html, tag)}"
        # Sphinx ranks the tag's entry first; the page's script keeps it there
        # and lists every other page once
        assert alone[query][0].href == entry, query
        assert found[query][0].href == entry, query
        pages = [result.page for result in found[query]]
        assert len(pages) == len(set(pages)), (query, pages)
        # the other pages are kept (the script folds, it does not filter)
        assert set(pages) == {result.page for result in alone[query]}
    # python: its default view first, then its architecture views, named so; no tag entry
    results = found["python"]
    assert results[0].page == "catalogue/python.html" and results[0].title == "python"
    assert alone["python"][0] == results[0]
    assert not [result for result in results if result.anchor.startswith("#tag")]
    views = [result.title for result in results[1 : 1 + 10]]
    assert views == sorted(views) and "python (windows-amd64)" in views
    assert all(re.fullmatch(r"python \([a-z0-9-]+\)", view) for view in views)
    pages = [result.page for result in results]
    assert len(pages) == len(set(pages)), pages


@pytest.mark.skipif(
    sphinx.version_info < (8,), reason="Sphinx honours the no-search class from version 8"
)
def test_architecture_pages_leave_their_prose_to_the_default_view(built: Built) -> None:
    """An architecture page repeats its default view's prose: only the default
    view is in the word index for it, so a search for words of the prose
    lists one page, not one per architecture; so does a search for a tag (see
    test_search_finds_pages_by_tag)."""
    html, _, _ = built
    index = _search_index(html)
    docnames = index["docnames"]
    terms, titleterms = index["terms"], index["titleterms"]
    assert isinstance(docnames, list) and isinstance(terms, dict) and isinstance(titleterms, dict)

    def pages(word: str) -> set[str]:
        found: set[str] = set()
        for table in (terms, titleterms):
            docs = table.get(word, [])
            found |= {docnames[d] for d in (docs if isinstance(docs, list) else [docs])}
        return found

    # "favours" and "readabl(e)" are in data/docs/python/content.md only; the
    # tags are the default view's too (windows-amd64's are in its list)
    for word in ("favour", "readabl", "windowsservercor", "ltsc2025"):
        assert pages(word) == {"catalogue/python"}, word
    # the architecture page is still found by its title
    assert "catalogue/winamd64/python" in pages("winamd64")
    page = _html(html, "catalogue/winamd64/python")
    assert '<section class="no-search" id="what-is-python">' in page
    assert re.search(r'<section class="no-search" id="supported-tags[^"]*">', page)
    # the default view leaves nothing out but its docker pull snippets
    default = re.sub(r'class="[^"]*official-images-pull[^"]*"', "", _html(html, "catalogue/python"))
    assert "no-search" not in default


def test_build_with_furo_and_markdown_only(tmp_path: Path) -> None:
    """furo, and a project that reads no reStructuredText: the views are MyST pages."""
    pytest.importorskip("furo")
    generate = {"images": ["python"], "arches": ["windows-amd64"]}
    extra = 'source_suffix = {".md": "markdown"}\n'
    src = make_project(tmp_path, "furo", generate, extra)
    html, _, warnings = sphinx_build(src, tmp_path / "out")
    assert warnings == ""
    assert (src / "catalogue" / "winamd64" / "python.md").is_file()
    assert not (src / "catalogue" / "winamd64" / "python.rst").exists()
    assert "winamd64/python" in _html(html, "catalogue/winamd64/python")


def test_touching_a_manifest_rereads_only_its_pages(tmp_path: Path) -> None:
    src = make_project(tmp_path)
    out = tmp_path / "out"
    _, first, _ = sphinx_build(src, out)
    python_pages = sorted(d for d in first if d.endswith("/python") or d == "catalogue/python")
    assert len(python_pages) == 1 + len(
        Loader(DATA / "library", DATA / "docs").manifest("python").architectures()
    )

    _, again, warnings = sphinx_build(src, out)
    assert (again, warnings) == ([], "")

    manifest = tmp_path / "library" / "python"
    later = time.time() + 5
    os.utime(manifest, (later, later))
    _, touched, warnings = sphinx_build(src, out)
    assert touched == python_pages
    assert warnings == ""


def test_removed_image_loses_its_pages(tmp_path: Path) -> None:
    src = make_project(tmp_path, generate={"images": ["python", "debian"], "arches": []})
    out = tmp_path / "out"
    sphinx_build(src, out)
    assert (src / "catalogue" / "debian.rst").is_file()  # .rst: the project reads it
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace("'python', 'debian'", "'python'"), encoding="utf-8"
    )
    html, _, warnings = sphinx_build(src, out)
    assert warnings == ""
    assert not (src / "catalogue" / "debian.rst").exists()
    assert "debian" not in _html(html, "catalogue/index")


def test_bad_setting_is_a_warning(tmp_path: Path) -> None:
    src = make_project(tmp_path, generate={"dir": "../elsewhere"})
    (src / "index.md").write_text("# Nothing generated\n", encoding="utf-8")
    _, _, warnings = sphinx_build(src, tmp_path / "out")
    assert "official_images_generate: dir must be a folder inside the source directory" in warnings
    assert not (tmp_path / "elsewhere").exists()


# -- one parse per image (prose.SHARING) ------------------------------------------------


def _all_html(html: Path) -> dict[str, str]:
    return {
        path.relative_to(html).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(html.rglob("*.html"))
    }


def _compare_sharing(tmp_path: Path, src: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    from sphinx_official_images.render import prose

    parses: list[ParseCache] = []
    shared, read, warnings = sphinx_build(src, tmp_path / "shared", fresh=True, parses=parses)
    assert warnings == ""
    views = [doc for doc in read if doc.count("/") >= 1 and not doc.endswith(("index", "tags"))]
    assert 0 < len(parses[0].shared) < len(views)  # views of one image shared a parse
    monkeypatch.setattr(prose, "SHARING", False)
    plain, _, warnings = sphinx_build(src, tmp_path / "plain", fresh=True)
    assert warnings == ""
    got, expected = _all_html(shared), _all_html(plain)
    assert got.keys() == expected.keys()
    for name in expected:
        assert got[name] == expected[name], name
    return len(expected)


def test_shared_parse_gives_the_same_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every view parsed from one shared text is the page a parse of its own gives."""
    assert _compare_sharing(tmp_path, make_project(tmp_path), monkeypatch) > 20


@pytest.mark.corpus
def test_shared_parse_gives_the_same_pages_for_corpus_images(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # windows-only variants, arch-specific variant sections, no tags at all,
    # a deprecation notice, a compose example
    images = ["hello-world", "python", "mongo-express", "openjdk", "adminer"]
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        corpus_conf(
            f"official_images_generate = {{'images': {images!r}}}\n"
            "suppress_warnings = ['myst.header', 'misc.highlighting_failure']\n"
        ),
        encoding="utf-8",
    )
    (src / "index.md").write_text("# Corpus\n\n```{toctree}\ncatalogue/index\n```\n")
    assert _compare_sharing(tmp_path, src, monkeypatch) > 30


def make_project_with_a_heading_jump(tmp_path: Path, generate: object = True) -> tuple[Path, Path]:
    """A project over a copy of data/docs whose python prose skips a heading level
    (a MyST warning): its source folder, and the prose file that warns."""
    docs = tmp_path / "docs"
    shutil.copytree(DATA / "docs", docs)
    content = docs / "python" / "content.md"
    content.write_text(
        content.read_text(encoding="utf-8") + "\n\n# Jump\n\n### Two levels down\n",
        encoding="utf-8",
    )
    src = make_project(tmp_path, generate=generate)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(str(DATA / "docs"), str(docs)),
        encoding="utf-8",
    )
    return src, content


def test_shared_parse_warns_once_in_every_build(tmp_path: Path) -> None:
    """A prose warning is told once per build, however many views show the prose (and
    whichever view's parse the others share), and again in the next build."""
    # two architectures with the same variant sections: their views share a parse
    generate = {"images": ["python"], "arches": ["arm64v8", "ppc64le"]}
    src, content = make_project_with_a_heading_jump(tmp_path, generate)
    for run in ("first", "second"):
        parses: list[ParseCache] = []
        _, read, warnings = sphinx_build(src, tmp_path / run, fresh=True, parses=parses)
        jumps = [line for line in warnings.splitlines() if "H1 to H3" in line]
        views = [doc for doc in read if doc.endswith("python")]
        assert len(views) == 3
        assert len(jumps) == 1, (run, warnings)
        assert all(str(content) in line for line in jumps)
        bodies = [key for key in parses[0].shared if "# Quick reference" in str(key[0])]
        assert len(bodies) == 2  # the default view's, and one for both architectures
