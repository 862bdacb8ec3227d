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
from collections.abc import Iterator
from pathlib import Path

import pytest
import sphinx
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace
from sphinx.util.inventory import InventoryFile

from conftest import corpus_conf
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
    src: Path, out: Path, fresh: bool = False, parses: list[ParseCache] | None = None
) -> Built:
    """Build ``src``; returns (html folder, documents read, warnings).

    ``parses`` receives the build's cache of shared prose parses.
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
        )
        app.connect("env-before-read-docs", lambda _a, _e, docs: read.extend(docs))
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


def test_search_finds_pages_by_tag(built: Built) -> None:
    """What Sphinx's searchtools.js looks at for the queries ``3.14-slim`` and
    ``windowsservercore-ltsc2022``: the words (it splits on non-word
    characters and drops numbers), the domain objects and the index entries."""
    html, _, _ = built
    index = _search_index(html)
    docnames = index["docnames"]
    assert isinstance(docnames, list)
    python = docnames.index("catalogue/python")
    windows = docnames.index("catalogue/winamd64/python")
    terms, titleterms = index["terms"], index["titleterms"]
    assert isinstance(terms, dict) and isinstance(titleterms, dict)
    for word in ("slim", "windowsservercor", "ltsc2022"):  # stemmed as the JS stems them
        found: list[int] = []
        for table in (terms, titleterms):
            docs = table.get(word, [])
            found += docs if isinstance(docs, list) else [docs]
        assert python in found
        if sphinx.version_info >= (8,):  # Sphinx honours no-search from version 8
            # the architecture page leaves its tags to the default view too
            assert windows not in found
    objects = index["objects"]
    assert isinstance(objects, dict)
    # searchtools.js joins an object's prefix (the name up to its last dot) and name
    names = {
        (f"{prefix}.{entry[4]}" if prefix else entry[4], entry[0])
        for prefix, entries in objects.items()
        for entry in entries
    }
    # A tag is found through its index entry (below): its object would list the
    # same entry a second time, so tags are for the roles and intersphinx only.
    assert not any(":" in name for name, _ in names)
    # an image view's result names the view
    assert ("python", python) in names
    assert ("python (windows-amd64)", windows) in names
    inventory = InventoryFile.load(
        io.BytesIO((html / "objects.inv").read_bytes()), "", posixpath.join
    )
    assert "python:windowsservercore-ltsc2022@windows-amd64" in inventory["docker:tag"]
    entries = index["indexentries"]
    assert isinstance(entries, dict)
    # a tag's index entry is on its default view (a main one); architecture
    # pages keep the anchors but add no entries
    assert [(doc, main) for doc, _, main in entries["3.14-slim"]] == [(python, 1)]
    # every tag of one list entry points at the entry itself (its first id), so
    # a query matching several of its tags lists it once
    page = _html(html, "catalogue/python")
    item = re.search(r'<li id="([^"]+)">(?:(?!</li>).)*?id="tag-python__3_14-slim"', page, re.S)
    assert item is not None
    assert entries["3.14-slim"][0][1] == item.group(1)
    assert {anchor for _, anchor, _ in entries["slim"]} == {item.group(1)}
    assert "winamd64/python" not in entries


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


def test_shared_parse_warns_once_in_every_build(tmp_path: Path) -> None:
    """A prose warning is told once per build, however many views show the prose (and
    whichever view's parse the others share), and again in the next build."""

    docs = tmp_path / "docs"
    shutil.copytree(DATA / "docs", docs)
    content = docs / "python" / "content.md"
    content.write_text(
        content.read_text(encoding="utf-8") + "\n\n# Jump\n\n### Two levels down\n",
        encoding="utf-8",
    )
    # two architectures with the same variant sections: their views share a parse
    generate = {"images": ["python"], "arches": ["arm64v8", "ppc64le"]}
    src = make_project(tmp_path, generate=generate)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(str(DATA / "docs"), str(docs)),
        encoding="utf-8",
    )
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
