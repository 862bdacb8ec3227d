"""The Sphinx extension on the project's own sample data (``data/``).

* every directive gives the same doctree from reStructuredText and from MyST;
* the demo site (``docs/``) builds without warnings with every builder;
* roles resolve across pages, unknown targets warn with a location;
* touching one manifest re-reads only the pages that use it;
* a second project links to a tag through the first one's ``objects.inv``;
* ``setup()`` follows Sphinx's conventions.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sphinx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.console import nocolor
from sphinx.util.docutils import docutils_namespace

import sphinx_official_images
from sphinx_official_images.sphinx_ext.directives import DIRECTIVES

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

nocolor()


def write_site(src: Path, pages: dict[str, str], extra_conf: str = "") -> None:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_official_images"]\n'
        f"official_images_library = {str(DATA / 'library')!r}\n"
        f"official_images_docs = {str(DATA / 'docs')!r}\n"
        f"official_images_facts = {str(DATA / 'facts')!r}\n"
        "html_theme = 'basic'\n" + extra_conf,
        encoding="utf-8",
    )
    for name, text in pages.items():
        path = src / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(
    src: Path,
    builder: str = "html",
    out: Path | None = None,
    fresh: bool = True,
    hook: Callable[[Sphinx], None] | None = None,
    **kw: object,
) -> tuple[Sphinx, str]:
    out = out or src / "_build" / builder
    warnings = io.StringIO()
    with docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            str(src / "_build" / "doctrees"),
            builder,
            status=None,
            warning=warnings,
            freshenv=fresh,
            **kw,
        )  # type: ignore[arg-type]
        if hook is not None:
            hook(app)
        app.build()
    return app, warnings.getvalue()


# -- rST and MyST give the same doctree ------------------------------------------------

USAGE_BODY = "docker run --rm %%IMAGE%%:3 python -V"


def _rst(directive: str, args: str) -> str:
    body = f"\n   :caption: Try it\n\n   {USAGE_BODY}\n" if directive == "image-usage" else ""
    return f"Title\n=====\n\n.. {directive}:: {args}{body}\n"


def _myst(directive: str, args: str) -> str:
    body = f":caption: Try it\n\n{USAGE_BODY}\n" if directive == "image-usage" else ""
    return f"# Title\n\n```{{{directive}}} {args}\n{body}```\n"


def _normalised(doctree: nodes.document) -> str:
    for node in doctree.findall(nodes.Element):
        for attr in ("source", "line"):
            node.attributes.pop(attr, None)
        node.line = None
        node.source = None
    section = doctree.next_node(nodes.section)
    assert section is not None
    return "\n".join(child.pformat() for child in section.children[1:])


@pytest.mark.parametrize("directive", sorted(DIRECTIVES))
@pytest.mark.parametrize("args", ["python", "python windows-amd64"])
def test_rst_and_myst_give_the_same_doctree(tmp_path: Path, directive: str, args: str) -> None:
    write_site(
        tmp_path,
        {
            "index.rst": ".. toctree::\n\n   a\n   b\n",
            "a.rst": _rst(directive, args),
            "b.md": _myst(directive, args),
        },
    )
    app, warnings = build(tmp_path)
    assert warnings == ""
    rst = _normalised(app.env.get_doctree("a"))
    myst = _normalised(app.env.get_doctree("b"))
    assert rst == myst
    assert rst.strip(), f"{directive} rendered nothing"


def test_directives_render_what_the_view_says(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "index.rst": (
                "Demo\n====\n\n"
                ".. image-tags:: python windows-amd64\n\n"
                ".. image-usage:: python windows-amd64\n   :language: powershell\n\n"
                "   docker pull %%IMAGE%%:3\n\n"
                ".. toctree::\n\n   matrix\n"
            ),
            "matrix.rst": (
                "Matrix\n======\n\n.. image-matrix:: python\n\n.. image-arches:: python\n"
            ),
        },
    )
    _, warnings = build(tmp_path)
    assert warnings == ""
    html = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    # the per-architecture tag list: only Windows tags, linked to their Dockerfile
    assert "3.14.3-windowsservercore-ltsc2025" in html
    assert "3.14.3-slim-trixie" not in html
    assert "/3.14/windows/windowsservercore-ltsc2025/Dockerfile" in html
    # the usage snippet follows the architecture's namespace
    assert "docker pull winamd64/python:3" in re.sub("<[^>]+>", "", html)
    assert 'class="highlight-powershell' in html
    # the matrix has a column per architecture and links cells to Dockerfiles
    html = (tmp_path / "_build" / "html" / "matrix.html").read_text(encoding="utf-8")
    assert html.count("<th") >= 2 + 10
    assert "3.14.3-slim-trixie" in html
    assert "https://hub.docker.com/r/winamd64/python/" in html


def test_matrix_columns_fit_their_content_in_plain_text(tmp_path: Path) -> None:
    """The text writer sizes columns by the colspecs: names stay whole (and a
    width of 1 hangs Sphinx 7.4's text writer)."""
    write_site(tmp_path, {"index.rst": "Matrix\n======\n\n.. image-matrix:: python\n"})
    _, warnings = build(tmp_path, "text")
    assert warnings == ""
    text = (tmp_path / "_build" / "text" / "index.txt").read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if "Other tags" in line)
    for name in ("Tag", "amd64", "arm64v8", "windows-amd64"):
        assert f" {name} " in header
    assert '"3.14.3-slim-trixie"' in text


def test_tags_get_anchors_and_index_entries(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "index.rst": "Python\n======\n\n.. image-readme:: python\n\n.. toctree::\n\n   other\n",
            "other.md": (
                "# Other\n\n{image-tag}`python:3.14-slim` and {image}`python` and "
                "{image-tag}`python:3.14@windows-amd64`.\n\n"
                "```{image-readme} python windows-amd64\n```\n"
            ),
        },
    )
    _, warnings = build(tmp_path)
    assert warnings == ""
    out = tmp_path / "_build" / "html"
    other = (out / "other.html").read_text(encoding="utf-8")
    # ids are CSS identifiers (Sphinx's search selects them as they are)
    assert 'href="index.html#tag-python__3_14-slim"' in other
    assert 'href="index.html#image__python"' in other
    assert 'href="#tag-python__3_14__windows-amd64"' in other
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="tag-python__3_14-slim"' in index
    genindex = (out / "genindex.html").read_text(encoding="utf-8")
    assert "3.14-slim" in genindex


def test_unknown_targets_and_arguments_warn_with_location(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "index.rst": (
                "Demo\n====\n\n"
                ":image-tag:`python:nope` :image:`nothing`\n\n"
                ".. image-tags:: pyton\n\n"
                ".. image-tags:: python sparc\n\n"
                ".. image-arches:: ../etc/passwd\n\n"
                ".. image-tags:: python\n"
            ),
        },
    )
    _, warnings = build(tmp_path)
    index = tmp_path / "index.rst"
    assert f"{index}:4: WARNING: unknown image tag 'python:nope'" in warnings
    assert f"{index}:4: WARNING: unknown image 'nothing'" in warnings
    assert (
        f"{index}:6: WARNING: image-tags: unknown image 'pyton': did you mean 'python'?" in warnings
    )
    assert f"{index}:8: WARNING: image-tags: unknown architecture 'sparc'" in warnings
    assert f"{index}:10: WARNING: image-arches: invalid image name '../etc/passwd'" in warnings
    if sphinx.version_info >= (8,):  # Sphinx 8 shows the warning type
        assert "[official_images.image]" in warnings
    # the rest of the page still builds
    html = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "3.14.3-slim-trixie" in html


def test_warnings_can_be_suppressed(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {"index.rst": "Demo\n====\n\n.. image-tags:: pyton\n"},
        extra_conf="suppress_warnings = ['official_images.image']\n",
    )
    _, warnings = build(tmp_path)
    assert warnings == ""


# -- builders ----------------------------------------------------------------------------

BUILDERS = ["html", "dirhtml", "singlehtml", "latex", "text", "man", "epub", "dockerhub"]


@pytest.mark.parametrize("builder", BUILDERS)
def test_demo_site_builds_with_every_builder(tmp_path: Path, builder: str) -> None:
    src = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", src, ignore=shutil.ignore_patterns("_build"))
    shutil.copytree(DATA, tmp_path / "data")
    _, warnings = build(src, builder)
    assert warnings == ""


def test_only_html_search_gets_the_search_entries(tmp_path: Path) -> None:
    """A tag's index entries: grouped under the image for every index (the
    general index, LaTeX's), the tag and its full name for HTML's search only
    (sphinx_ext/search.py)."""
    write_site(tmp_path, {"index.rst": "Python\n======\n\n.. image-readme:: python\n"})
    _, warnings = build(tmp_path, "latex")
    assert warnings == ""
    tex = next((tmp_path / "_build" / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert "\\index{python@\\spxentry{python}!3.14\\sphinxhyphen{}slim@" in tex
    assert "\\index{python:" not in tex and "\\index{3.14" not in tex
    _, warnings = build(tmp_path, "html")
    assert warnings == ""
    html = tmp_path / "_build" / "html"
    search = (html / "searchindex.js").read_text(encoding="utf-8")
    assert '"python:3.14-slim":' in search
    genindex = (html / "genindex.html").read_text(encoding="utf-8")
    assert "<strong>3.14-slim</strong>" in genindex and "python:3.14-slim" not in genindex


def test_dockerhub_builder_writes_readmes(tmp_path: Path) -> None:
    from sphinx_official_images.render.markdown import render_readme
    from sphinx_official_images.sources.loader import Loader
    from sphinx_official_images.view.page import build_page

    write_site(
        tmp_path,
        {
            "index.rst": "Python\n======\n\n.. image-readme:: python\n\n.. toctree::\n\n   win\n",
            "win.rst": "Windows\n=======\n\n.. image-readme:: python windows-amd64\n",
        },
    )
    _, warnings = build(tmp_path, "dockerhub")
    assert warnings == ""
    out = tmp_path / "_build" / "dockerhub"
    loader = Loader(DATA / "library", DATA / "docs", DATA / "facts")
    assert (out / "python.md").read_text(encoding="utf-8") == render_readme(
        build_page(loader, "python")
    )
    assert (out / "winamd64" / "python.md").read_text(encoding="utf-8") == render_readme(
        build_page(loader, "python", "windows-amd64")
    )
    hub = (out / "hub" / "python.md").read_text(encoding="utf-8")
    assert not hub.startswith("<!--")


# -- incremental builds ---------------------------------------------------------------------


def test_touching_a_manifest_rereads_only_its_pages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    src = tmp_path / "src"
    write_site(
        src,
        {
            "index.rst": ".. toctree::\n\n   python\n   debian\n   plain\n",
            "python.md": "# Python\n\n```{image-tags} python\n```\n",
            "debian.md": "# Debian\n\n```{image-arches} debian\n```\n",
            "plain.md": "# Plain\n\nNo image here.\n",
        },
    )
    conf = (src / "conf.py").read_text(encoding="utf-8").replace(str(DATA), str(data))
    (src / "conf.py").write_text(conf, encoding="utf-8")
    build(src)

    manifest = data / "library" / "debian"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    read: list[str] = []

    def record(app: Sphinx) -> None:
        app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))

    _, warnings = build(src, fresh=False, hook=record)
    assert warnings == ""
    # python's variant sentence reads library/debian for the suite names, so it
    # depends on it too; the plain page and the index do not.
    assert sorted(read) == ["debian", "python"]

    # prose: only the pages of that image
    read.clear()
    python = data / "docs" / "python" / "content.md"
    python.write_text(python.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    build(src, fresh=False, hook=record)
    assert read == ["python"]


# -- intersphinx -------------------------------------------------------------------------


def test_other_projects_link_to_tags_through_intersphinx(tmp_path: Path) -> None:
    first = tmp_path / "first"
    write_site(first, {"index.rst": "Python\n======\n\n.. image-readme:: python\n"})
    _, warnings = build(first)
    assert warnings == ""
    inventory = first / "_build" / "html" / "objects.inv"
    assert inventory.is_file()

    second = tmp_path / "second"
    second.mkdir()
    (second / "conf.py").write_text(
        'extensions = ["sphinx.ext.intersphinx", "sphinx_official_images"]\n'
        f"intersphinx_mapping = {{'images': ('https://images.example.org/', "
        f"{str(inventory)!r})}}\n",
        encoding="utf-8",
    )
    (second / "index.rst").write_text(
        "Second\n======\n\nSee :image-tag:`python:3.14-slim` on :image:`python`.\n",
        encoding="utf-8",
    )
    _, warnings = build(second)
    assert warnings == ""
    html = (second / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://images.example.org/index.html#tag-python__3_14-slim"' in html
    assert 'href="https://images.example.org/index.html#image__python"' in html


# -- conventions -----------------------------------------------------------------------------


def test_setup_metadata(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.rst": "Empty\n=====\n"})
    app, _ = build(tmp_path)
    ext = app.extensions["sphinx_official_images"]
    assert ext.version == sphinx_official_images.__version__
    assert ext.parallel_read_safe is True
    assert ext.parallel_write_safe is True
    assert ext.metadata["env_version"] >= 1
    for name in ("library", "docs", "facts", "arch_namespaces", "logo_url", "generate", "raw_html"):
        assert f"official_images_{name}" in app.config


# -- the tag browser and the matrix in HTML (issue 15) -------------------------------------


def test_tag_lists_carry_pull_snippets_in_html_only(tmp_path: Path) -> None:
    """HTML: a ``docker pull`` per entry (with sphinx-copybutton and the
    extension's static files); other builders: the plain list."""
    write_site(tmp_path, {"index.rst": "Tags\n====\n\n.. image-tags:: python windows-amd64\n"})
    _, warnings = build(tmp_path)
    assert warnings == ""
    out = tmp_path / "_build" / "html"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'class="official-images-tags official-images-tags-start' in html
    pulls = [
        p.strip() for p in re.findall(r"<pre>(?:<span></span>)?(docker pull [^<]+)</pre>", html)
    ]
    assert "docker pull winamd64/python:3.14.3-windowsservercore-ltsc2025" in pulls
    # one per simple line and one per shared group
    assert len(pulls) == html.count('<li id="tag-')
    for static in ("official-images.css", "official-images.js", "copybutton.js"):
        assert (out / "_static" / static).is_file()
        assert f"_static/{static}" in html
    assert not (out / "_static" / "official-images-search.js").exists()

    for builder, suffix in (("text", "txt"), ("latex", "tex"), ("man", "1"), ("texinfo", "texi")):
        _, warnings = build(tmp_path, builder)
        assert warnings == ""
        written = next((tmp_path / "_build" / builder).glob(f"*.{suffix}"))
        text = written.read_text(encoding="utf-8")
        # LaTeX writes a tag's hyphens as \sphinxhyphen{}, man as \-
        plain = text.replace("\\sphinxhyphen{}", "-").replace("\\-", "-")
        assert "3.14.3-windowsservercore-ltsc2025" in plain, builder
        assert "docker pull" not in text, builder


_OWN_TRANSLATOR = """
from sphinx.writers.html5 import HTML5Translator


class CodeBlocksAsSphinx(HTML5Translator):
    def visit_literal_block(self, node):
        super().visit_literal_block(node)


def setup(app):
    app.set_translator("html", CodeBlocksAsSphinx)
"""


def test_pull_snippets_written_as_sphinx_writes_code_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snippets' HTML is made once per page, not highlighted one by one, and is
    byte for byte what Sphinx writes; a translator that writes code blocks its own
    way writes the snippets too."""
    from sphinx.highlighting import PygmentsBridge

    calls: list[str] = []
    highlight = PygmentsBridge.highlight_block

    def counted(self: PygmentsBridge, source: str, *args: object, **kw: object) -> str:
        calls.append(source)
        return highlight(self, source, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(PygmentsBridge, "highlight_block", counted)
    page = {"index.rst": "Tags\n====\n\n.. image-tags:: python windows-amd64\n"}
    fast, slow = tmp_path / "fast", tmp_path / "slow"
    write_site(fast, page)
    write_site(slow, page, _OWN_TRANSLATOR)
    assert build(fast)[1] == ""
    fast_calls = [c for c in calls if c.startswith("docker pull")]
    calls.clear()
    assert build(slow)[1] == ""
    slow_calls = [c for c in calls if c.startswith("docker pull")]
    html = (fast / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert html == (slow / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert len(slow_calls) == html.count('<li id="tag-') > 10
    assert fast_calls == []


def test_matrix_scrolls_in_its_own_box(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.rst": "Matrix\n======\n\n.. image-matrix:: python\n"})
    _, warnings = build(tmp_path)
    assert warnings == ""
    html = (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<div class="official-images-matrix-scroll[^"]*">\s*<table', html)
    header = re.search(r"<thead>(.*?)</thead>", html, re.S)
    assert header is not None
    titles = re.findall(r"<p>([^<]+)</p>", header.group(1))
    # the tag, the architectures (compact headers), then the other tags
    assert titles[0] == "Tag" and titles[-1] == "Other tags"
    assert "windows-amd64" in titles[1:-1]
    assert header.group(1).count(" official-images-arch") == len(titles) - 2
