"""The HTML of an ``image-readme`` page says what the incumbent's README says.

One Sphinx project holds, for every matched corpus image, a page with
``image-readme IMAGE`` and a page with the expected ``README.md`` as plain MyST
Markdown. Both are rendered in the same build and compared: the same headings,
the same (link text, href) pairs and the same code blocks, in the same order,
leaving out the elements the extension marks as its additions (``ADDED``: a
``docker pull`` snippet per tag-list entry).
The seed (python, ``windows-amd64``) is checked the same way in its
per-architecture view.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace

from conftest import CORPUS, CORPUS_ABSENT, matched_images
from sphinx_official_images.render.browse import ADDED

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (CORPUS / "index.json").is_file(), reason=CORPUS_ABSENT),
]
_matched = matched_images


@dataclass(frozen=True)
class PageFacts:
    headings: list[str]
    links: list[tuple[str, str]]
    code: list[str]


def _norm(text: str) -> str:
    return " ".join(text.replace("¶", "").split())


def page_facts(html: str) -> PageFacts:
    soup = BeautifulSoup(html, "html.parser")
    body = soup.select_one("div.body") or soup.select_one('[role="main"]')
    assert body is not None
    # What the extension adds to the README for a browser (the docker pull
    # snippet of each tag-list entry) is marked as such: the README has none.
    for added in body.select(f".{ADDED}"):
        added.decompose()
    headings = [_norm(h.get_text()) for h in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    links = [
        (_norm(a.get_text()), str(a.get("href")))
        for a in body.find_all("a")
        if a.get("href") is not None and "headerlink" not in (a.get("class") or [])
    ]
    code = [pre.get_text() for pre in body.find_all("pre")]
    return PageFacts(headings, links, code)


def _write_conf(src: Path, library: Path, docs: Path, facts: Path | None) -> None:
    lines = [
        'extensions = ["myst_parser", "sphinx_official_images"]',
        f"official_images_library = {str(library)!r}",
        f"official_images_docs = {str(docs)!r}",
        # Compare with what MyST makes of the same Markdown, raw HTML included.
        "official_images_raw_html = True",
        "suppress_warnings = ['myst', 'toc.not_included', 'ref']",
        "html_theme = 'basic'",
    ]
    if facts is not None:
        lines.append(f"official_images_facts = {str(facts)!r}")
    (src / "conf.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "index.md").write_text("# Index\n", encoding="utf-8")


def _build(src: Path, out: Path) -> str:
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            str(out / ".doctrees"),
            "html",
            status=None,
            warning=warnings,
            freshenv=True,
        )
        app.build()
    return warnings.getvalue()


def _pair(src: Path, name: str, directive: str, expected: str) -> None:
    (src / "ours").mkdir(exist_ok=True)
    (src / "expected").mkdir(exist_ok=True)
    (src / "ours" / f"{name}.md").write_text(
        f"---\norphan: true\n---\n\n```{{image-readme}} {directive}\n```\n", encoding="utf-8"
    )
    (src / "expected" / f"{name}.md").write_text(
        "---\norphan: true\n---\n\n" + expected, encoding="utf-8"
    )


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    src = tmp_path_factory.mktemp("equivalence")
    current = CORPUS / "current"
    _write_conf(src, current / "library", current / "docs", current / "facts")
    for image in _matched():
        expected = (current / "docs" / image / "README.md").read_text(encoding="utf-8")
        _pair(src, image, image, expected)
    _build(src, src / "_build")
    yield src / "_build"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    src = tmp_path_factory.mktemp("seed")
    seed = CORPUS / "seed"
    facts = src / "facts"
    facts.mkdir()
    (facts / "python.json").write_bytes((seed / "facts.json").read_bytes())
    _write_conf(src, seed / "library", seed / "docs", facts)
    expected = (seed / "winamd64-python.md").read_text(encoding="utf-8")
    _pair(src, "winamd64-python", "python windows-amd64", expected)
    _build(src, src / "_build")
    yield src / "_build"


@functools.cache
def _myst_escapes_destinations() -> bool:
    """myst-parser before 5.2 HTML-escapes link URLs (``&`` shows as ``&amp;``
    in the browser; MyST-Parser issues 760, 1028, 1116). The product undoes it
    in the prose it parses (``tests/sphinx_ext/test_prose_links.py``); the
    expected page is plain MyST, so its links carry the escape."""
    from docutils.core import publish_doctree
    from docutils.nodes import reference
    from myst_parser.parsers.docutils_ import Parser

    tree = publish_doctree("[a](https://h.invalid/?a&b)\n", parser=Parser())
    return any(ref["refuri"].endswith("&amp;b") for ref in tree.findall(reference))


def _facts(out: Path, name: str) -> tuple[PageFacts, PageFacts]:
    ours = page_facts((out / "ours" / f"{name}.html").read_text(encoding="utf-8"))
    expected = page_facts((out / "expected" / f"{name}.html").read_text(encoding="utf-8"))
    if _myst_escapes_destinations():
        links = [(text, href.replace("&amp;", "&")) for text, href in expected.links]
        expected = PageFacts(expected.headings, links, expected.code)
    return ours, expected


@pytest.fixture(scope="module")
def corpus_facts(corpus_site: Path) -> dict[str, tuple[PageFacts, PageFacts]]:
    return {image: _facts(corpus_site, image) for image in _matched()}


def _compare(ours: PageFacts, expected: PageFacts) -> None:
    assert expected.headings, "the expected page has headings"
    assert ours.headings == expected.headings
    assert ours.links == expected.links
    assert ours.code == expected.code


@pytest.mark.parametrize("image", _matched())
def test_image_readme_matches_expected(
    corpus_facts: dict[str, tuple[PageFacts, PageFacts]], image: str
) -> None:
    _compare(*corpus_facts[image])


def test_seed_per_architecture_page(seed_site: Path) -> None:
    _compare(*_facts(seed_site, "winamd64-python"))


def test_equivalence_score(
    corpus_facts: dict[str, tuple[PageFacts, PageFacts]], capsys: pytest.CaptureFixture[str]
) -> None:
    same = sum(ours == expected for ours, expected in corpus_facts.values())
    with capsys.disabled():
        print(f"\nhtml equivalence: {same}/{len(corpus_facts)} images")
    assert same == len(corpus_facts)
