"""Sizes, digests and base images on the pages (issue 16), over the real samples.

* repo-info (``../shared/corpus/repo-info``): sizes under each tag entry, in
  the matrix cells, the ``image-sizes`` table, with the exact byte count as
  the tooltip; malformed files are warnings at file:line; the files are
  dependencies of exactly the pages that show them;
* meta (``../shared/meta-sample``): a base-image link from haproxy to
  debian's tag entry and its reverse on debian's page, the parents graph.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace

from conftest import CORPUS, corpus_conf
from sphinx_official_images.model.names import image_anchor, tag_anchor

META_SAMPLE = CORPUS.parent / "meta-sample"

nocolor()


def build(
    src: Path,
    builder: str = "html",
    fresh: bool = True,
    hook: Callable[[Sphinx], None] | None = None,
    conf: dict[str, object] | None = None,
    parallel: int = 0,
) -> tuple[Sphinx, str]:
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(src / "_build" / builder),
            str(src / "_build" / "doctrees"),
            builder,
            confoverrides=conf or {},
            status=None,
            warning=warnings,
            freshenv=fresh,
            parallel=parallel,
        )
        if hook is not None:
            hook(app)
        app.build()
    return app, warnings.getvalue()


def write(src: Path, conf: str, pages: dict[str, str]) -> Path:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in pages.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


SIZES_PAGES = {
    "index.rst": "Index\n=====\n\n.. toctree::\n\n   python\n   debian\n   plain\n",
    "python.rst": (
        "Python\n======\n\n.. image-readme:: python\n\n"
        "Sizes\n-----\n\n.. image-sizes:: python\n\nMatrix\n------\n\n.. image-matrix:: python\n"
    ),
    "debian.md": (
        "# Debian\n\n```{image-sizes} debian arm64v8\n```\n\n```{image-tags} debian\n```\n"
    ),
    "plain.md": "# Plain\n\n```{image-arches} python\n```\n",
}


@pytest.fixture
def sizes_site(corpus: Path, tmp_path: Path) -> Path:
    repo_info = tmp_path / "repo-info"
    shutil.copytree(corpus / "repo-info", repo_info)
    conf = corpus_conf(f"official_images_repo_info = {str(repo_info)!r}\nhtml_theme = 'basic'\n")
    return write(tmp_path / "src", conf, SIZES_PAGES)


def _abbr(size_text: str, exact: str) -> str:
    return f'<abbr title="{exact}">{size_text}</abbr>'


def test_tag_entries_show_platforms_sizes_and_digests(sizes_site: Path) -> None:
    app, warnings = build(sizes_site)
    assert warnings == ""
    html = (sizes_site / "_build/html/python.html").read_text(encoding="utf-8")
    doctree = app.env.get_doctree("python")
    # the 3.14.7-slim-trixie entry (file 3.14-slim.md): eight platforms
    item = next(
        n
        for n in doctree.findall(nodes.list_item)
        if tag_anchor("python", "3.14.7-slim-trixie", None) in n["ids"]
    )
    (figures,) = [
        p for p in item.findall(nodes.paragraph) if "official-images-sizes" in p["classes"]
    ]
    arches = [lit.astext() for lit in figures.children if isinstance(lit, nodes.literal)]
    assert arches == [
        "amd64", "arm32v5", "arm32v7", "arm64v8", "i386", "ppc64le", "riscv64", "s390x",
    ]  # fmt: skip
    abbrs = list(figures.findall(nodes.abbreviation))
    assert (abbrs[0].astext(), abbrs[0]["explanation"]) == ("43.4 MB", "43,437,809 bytes")
    assert abbrs[1]["explanation"] == (
        "sha256:d6e0850f13fda0e2305d4c3c1c2f7930fe1042d34ddd958e49bba6ef685d0bb2"
    )
    assert abbrs[1].astext() == "sha256:d6e0850f13fd"
    assert _abbr("43.4 MB", "43,437,809 bytes") in html
    assert _abbr("2.5 GB", "2,526,983,573 bytes") in html  # the ltsc2025 entry
    # an entry whose figures come from a shared tag says so
    trixie = next(
        n
        for n in doctree.findall(nodes.list_item)
        if tag_anchor("python", "3.14.7-trixie", None) in n["ids"]
    )
    assert "as published under latest" in trixie.astext()


def _table(doctree: nodes.document, cls: str) -> list[list[str]]:
    table = next(t for t in doctree.findall(nodes.table) if cls in t["classes"])
    return [[e.astext() for e in row.findall(nodes.entry)] for row in table.findall(nodes.row)]


def test_matrix_cells_and_the_sizes_table(sizes_site: Path) -> None:
    app, _ = build(sizes_site)
    doctree = app.env.get_doctree("python")
    matrix = _table(doctree, "official-images-matrix")
    head = matrix[0]
    slim = next(row for row in matrix if row[0] == "3.14.7-slim-trixie")
    assert slim[head.index("amd64")] == "✓ 43.4 MB"
    assert slim[head.index("arm64v8")] == "✓ 43.7 MB"
    assert slim[head.index("arm32v6")] == ""  # not built there
    no_file = next(row for row in matrix if row[0] == "3.15.0rc1-trixie")
    assert no_file[head.index("amd64")] == "✓"  # no repo-info file: no figure
    sizes = _table(doctree, "official-images-sizes")
    assert sizes[0][:3] == ["Tag", "amd64", "arm32v5"]
    row = next(r for r in sizes if r[0] == "3.14.7-alpine3.24")
    assert row[1] == "17.8 MB\n\nsha256:4677924bcc0e"
    # per-architecture view: one column
    debian = _table(app.env.get_doctree("debian"), "official-images-sizes")
    assert debian[0] == ["Tag", "arm64v8"]
    assert debian[1] == ["trixie", "49.7 MB\n\nsha256:5beecfe41dbb"]


def test_text_builder_writes_the_exact_bytes(sizes_site: Path) -> None:
    _, warnings = build(sizes_site, "text")
    assert warnings == ""
    text = (sizes_site / "_build/text/python.txt").read_text(encoding="utf-8")
    assert "43.4 MB (43,437,809 bytes)" in text


def test_rst_and_myst_give_the_same_table(sizes_site: Path) -> None:
    (sizes_site / "rst.rst").write_text(":orphan:\n\nT\n=\n\n.. image-sizes:: python\n")
    (sizes_site / "myst.md").write_text(
        "---\norphan: true\n---\n# T\n\n```{image-sizes} python\n```\n"
    )
    app, warnings = build(sizes_site)
    assert warnings == ""

    def table(doc: str) -> str:
        found = next(app.env.get_doctree(doc).findall(nodes.table))
        return re.sub(r' (source|line)="[^"]*"', "", found.pformat())

    assert table("rst") == table("myst")


def test_repo_info_files_are_dependencies_of_the_pages_that_show_them(sizes_site: Path) -> None:
    app, _ = build(sizes_site)
    deps = {
        Path(doc).stem: {
            Path(d).name
            for d in app.env.dependencies.get(Path(doc).stem, ())
            if "repo-info" in str(d)
        }
        for doc in SIZES_PAGES
    }
    assert {"3.14-slim.md", "latest.md", "3-alpine.md"} <= deps["python"]
    assert "3.14-slim.md" not in deps["debian"] and "trixie.md" in deps["debian"]
    assert deps["plain"] == set()  # image-arches shows no figures

    read: list[str] = []

    def record(app: Sphinx) -> None:
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))

    repo_info = Path(app.config.official_images_repo_info)
    slim = repo_info / "repos/python/remote/3.14-slim.md"
    slim.write_text(slim.read_text(encoding="utf-8"), encoding="utf-8")  # a new mtime
    _, warnings = build(sizes_site, fresh=False, hook=record)
    assert warnings == ""
    assert read == ["python"]


def test_malformed_files_are_warnings_at_their_line(sizes_site: Path) -> None:
    conf = (sizes_site / "conf.py").read_text(encoding="utf-8")
    repo_info = Path(re.findall(r"official_images_repo_info = '([^']+)'", conf)[0])
    slim = repo_info / "repos/python/remote/3.14-slim.md"
    text = slim.read_text(encoding="utf-8")
    slim.write_text(text.replace("**43.4 MB (43437809 bytes)**", "**43.4 MB (lots)**", 1))
    alpine = repo_info / "repos/python/remote/3-alpine.md"
    alpine.write_text("\n".join(alpine.read_text(encoding="utf-8").split("\n")[:60]))
    _, warnings = build(sizes_site)
    lines = warnings.strip().split("\n")
    assert f"{slim}:33: WARNING: size '**43.4 MB (lots)**' does not parse" in warnings
    assert any(line.startswith(f"{alpine}:") for line in lines)
    # told once per build, though the page has three directives reading the file
    assert sum(f"{slim}:33:" in line for line in lines) == 1
    assert "Traceback" not in warnings
    # the rest still shows
    html = (sizes_site / "_build/html/python.html").read_text(encoding="utf-8")
    assert _abbr("43.7 MB", "43,689,870 bytes") in html
    assert _abbr("43.4 MB", "43,437,809 bytes") not in html


def test_no_setting_no_figures_and_a_warning_for_image_sizes(corpus: Path, tmp_path: Path) -> None:
    src = write(tmp_path / "src", corpus_conf("html_theme = 'basic'\n"), SIZES_PAGES)
    _, warnings = build(src)
    assert "image-sizes: official_images_repo_info is not set" in warnings
    assert "<abbr" not in (src / "_build/html/python.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("theme", ["alabaster", "furo"])
def test_catalogue_with_all_sources_is_warning_free(
    corpus: Path, tmp_path: Path, theme: str
) -> None:
    conf = corpus_conf(
        f"official_images_repo_info = {str(corpus / 'repo-info')!r}\n"
        f"official_images_meta = {str(META_SAMPLE)!r}\n"
        "official_images_generate = "
        "{'images': ['python', 'hello-world', 'debian', 'adminer'], 'arches': ['arm64v8']}\n"
        f"html_theme = {theme!r}\n"
    )
    src = write(
        tmp_path / "src", conf, {"index.md": "# Site\n\n```{toctree}\ncatalogue/index\n```\n"}
    )
    _, warnings = build(src)
    assert warnings == ""
    page = (src / "catalogue/python.rst").read_text(encoding="utf-8")
    assert ".. image-sizes:: python" in page
    assert ".. image-bases:: python" in page
    # an image neither source knows gets no empty sections
    adminer = (src / "catalogue/adminer.rst").read_text(encoding="utf-8")
    assert "image-sizes" not in adminer and "image-bases" not in adminer
    debian = (src / "_build/html/catalogue/debian.html").read_text(encoding="utf-8")
    used = debian[debian.index("Used as a base by") :]
    assert '<span class="pre">haproxy</span>' in used  # not documented here: text
    html = (src / "_build/html/catalogue/arm64v8/python.html").read_text(encoding="utf-8")
    assert _abbr("43.7 MB", "43,689,870 bytes") in html


# -- base images (meta) -------------------------------------------------------------


@pytest.fixture
def meta_site(corpus: Path, tmp_path: Path) -> Path:
    if not META_SAMPLE.is_dir():
        pytest.skip("../shared/meta-sample is absent")
    docs = tmp_path / "docs"
    for part in (".template-helpers", ".common-templates", "haproxy"):
        shutil.copytree(META_SAMPLE / "docs" / part, docs / part)
    # debian is not in meta's subset: its prose comes from the corpus
    shutil.copytree(corpus / "current" / "docs" / "debian", docs / "debian")
    meta = tmp_path / "meta"
    meta.mkdir()
    shutil.copy(META_SAMPLE / "sources.json", meta / "sources.json")
    # the buildpack-deps fact pinned (meta does not know debian): the pages'
    # only use of sources.json is then image-bases
    facts = tmp_path / "facts"
    facts.mkdir()
    for image in ("debian", "haproxy"):
        (facts / f"{image}.json").write_text('{"buildpack_deps_based": false}\n')
    conf = (
        'extensions = ["myst_parser", "sphinx_official_images"]\n'
        f"official_images_library = {str(META_SAMPLE / 'library')!r}\n"
        f"official_images_docs = {str(docs)!r}\n"
        f"official_images_facts = {str(facts)!r}\n"
        f"official_images_meta = {str(meta)!r}\n"
        "html_theme = 'basic'\n"
    )
    pages = {
        "index.rst": (
            "Index\n=====\n\n.. toctree::\n\n   debian\n   haproxy\n   plain\n   arches\n"
        ),
        "debian.rst": "Debian\n======\n\n.. image-readme:: debian\n\n.. image-bases:: debian\n",
        "haproxy.md": (
            "# HAProxy\n\n```{image-readme} haproxy\n```\n\n```{image-bases} haproxy\n```\n"
        ),
        "plain.md": "# Plain\n\n```{image-tags} haproxy\n```\n",
        "arches.md": "# Arches\n\n```{image-arches} haproxy\n```\n",
    }
    return write(tmp_path / "src", conf, pages)


def test_base_image_link_and_its_reverse(meta_site: Path) -> None:
    app, warnings = build(meta_site)
    assert warnings == ""
    haproxy = (meta_site / "_build/html/haproxy.html").read_text(encoding="utf-8")
    debian = (meta_site / "_build/html/debian.html").read_text(encoding="utf-8")
    bases = _table(app.env.get_doctree("haproxy"), "official-images-bases")
    assert bases[0] == ["Tag", "Built FROM", "Other FROM lines (multi-stage build)"]
    assert ["2.9.6", "debian:bookworm-slim", ""] in bases
    assert ["2.9.6-alpine", "alpine:3.19", ""] in bases
    # debian:bookworm-slim is documented here: a link to its entry; alpine is not: text
    link = re.search(
        r'<a class="reference internal" href="debian.html#'
        + re.escape(tag_anchor("debian", "bookworm-slim", None))
        + '"',
        haproxy,
    )
    assert link is not None
    assert 'href="#alpine' not in haproxy and "alpine.html" not in haproxy
    # the reverse, on debian's page: haproxy linked, redis (not documented) as text
    used = debian[debian.index("Used as a base by") :]
    assert re.search(
        rf'href="haproxy.html#{image_anchor("haproxy", None)}"[^>]*><code[^>]*>'
        r'<span class="pre">haproxy',
        used,
    )
    assert '<span class="pre">redis</span>' in used and "redis.html" not in used


def test_parents_graph_without_graphviz_is_a_nested_list(meta_site: Path) -> None:
    app, warnings = build(meta_site, conf={"graphviz_dot": "no-such-dot-program"})
    assert warnings == ""
    doctree = app.env.get_doctree("haproxy")
    lists = [
        b for b in doctree.findall(nodes.bullet_list) if "official-images-bases" in b["classes"]
    ]
    parents = lists[-1]
    assert parents.astext().startswith("haproxy")
    nested = [p.astext() for p in parents.findall(nodes.paragraph)]
    assert nested[0] == "haproxy" and "debian:bookworm-slim" in nested and "alpine:3.19" in nested


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_parents_graph_with_graphviz(meta_site: Path) -> None:
    from sphinx.ext.graphviz import graphviz

    app, warnings = build(meta_site)
    assert warnings == ""
    (graph,) = app.env.get_doctree("haproxy").findall(graphviz)
    assert '"haproxy" -> "debian:bookworm-slim";' in graph["code"]
    assert list((meta_site / "_build/html/_images").glob("graphviz-*.png"))


def test_sources_json_is_a_dependency_and_its_errors_have_a_line(meta_site: Path) -> None:
    app, _ = build(meta_site)
    meta = Path(app.config.official_images_meta) / "sources.json"
    assert str(meta) in {str(d) for d in app.env.dependencies["debian"]}
    # the tag list shows each entry's base; the architectures list shows none
    assert str(meta) in {str(d) for d in app.env.dependencies["plain"]}
    assert str(meta) not in {str(d) for d in app.env.dependencies.get("arches", ())}
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated
    read: list[str] = []

    def record(app: Sphinx) -> None:
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))

    _, warnings = build(meta_site, fresh=False, hook=record)
    assert sorted(read) == ["debian", "haproxy", "plain"]
    assert re.search(
        rf"{re.escape(str(meta))}:\d+: WARNING: meta sources file is not valid JSON",
        warnings,
    )
    assert "Traceback" not in warnings


def test_parallel_build_gives_the_same_pages(meta_site: Path) -> None:
    build(meta_site)
    serial = {p.name: p.read_bytes() for p in (meta_site / "_build/html").glob("*.html")}
    shutil.rmtree(meta_site / "_build")
    _, warnings = build(meta_site, parallel=2)
    assert warnings == ""
    parallel = {p.name: p.read_bytes() for p in (meta_site / "_build/html").glob("*.html")}
    assert parallel == serial


def _entry(doctree: nodes.document, image: str, tag: str) -> nodes.list_item:
    return next(
        n for n in doctree.findall(nodes.list_item) if tag_anchor(image, tag, None) in n["ids"]
    )


def _bases_line(item: nodes.list_item) -> str:
    (line,) = [p for p in item.findall(nodes.paragraph) if "official-images-bases" in p["classes"]]
    return line.astext()


def test_tag_entries_name_their_base_image(meta_site: Path) -> None:
    app, warnings = build(meta_site)
    assert warnings == ""
    for doc in ("haproxy", "plain"):  # image-readme and image-tags alike
        doctree = app.env.get_doctree(doc)
        assert _bases_line(_entry(doctree, "haproxy", "2.9.6")) == "Built FROM debian:bookworm-slim"
        assert _bases_line(_entry(doctree, "haproxy", "2.9.6-alpine")) == "Built FROM alpine:3.19"
    # debian:bookworm-slim is documented (debian's page): a link to its entry; alpine: text
    html = (meta_site / "_build/html/plain.html").read_text(encoding="utf-8")
    start = html.index(f'id="{tag_anchor("haproxy", "2.9.6", None)}"')
    entry = html[start : html.index("</li>", start)]
    assert re.search(
        r'Built FROM <a class="reference internal" href="debian.html#'
        + re.escape(tag_anchor("debian", "bookworm-slim", None))
        + r'"[^>]*><code[^>]*><span class="pre">debian:bookworm-slim</span>',
        entry,
    )
    alpine_start = html.index(f'id="{tag_anchor("haproxy", "2.9.6-alpine", None)}"')
    alpine = html[alpine_start : html.index("</li>", alpine_start)]
    assert (
        'Built FROM <code class="docutils literal notranslate"><span class="pre">alpine:3.19'
        in alpine
    )
    # meta has no build of debian's entries (not in its subset): no line, not an empty one
    item = _entry(app.env.get_doctree("debian"), "debian", "bookworm-slim")
    assert "Built FROM" not in item.astext()


def test_tag_entries_without_meta_are_unchanged(meta_site: Path) -> None:
    app, warnings = build(meta_site, conf={"official_images_meta": ""})
    assert "official_images_meta is not set" in warnings  # the image-bases directives
    for doc in ("haproxy", "plain"):
        doctree = app.env.get_doctree(doc)
        assert not any(
            "official-images-bases" in p["classes"] for p in doctree.findall(nodes.paragraph)
        )


def test_a_base_documented_later_becomes_a_link(meta_site: Path) -> None:
    # plain.md names debian:bookworm-slim; debian's page goes, then comes back
    debian = (meta_site / "debian.rst").read_text(encoding="utf-8")
    (meta_site / "debian.rst").write_text("Debian\n======\n\nNot documented here.\n")
    build(meta_site)
    html = (meta_site / "_build/html/plain.html").read_text(encoding="utf-8")
    assert "debian.html#" not in html and "debian:bookworm-slim" in html
    (meta_site / "debian.rst").write_text(debian, encoding="utf-8")
    read: list[str] = []

    def record(app: Sphinx) -> None:
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))

    _, warnings = build(meta_site, fresh=False, hook=record)
    assert warnings == "" and read == ["debian"]  # plain is written again, not read
    html = (meta_site / "_build/html/plain.html").read_text(encoding="utf-8")
    assert "debian.html#" + tag_anchor("debian", "bookworm-slim", None) in html
