"""The built sites in a real browser: headless Chromium driven by selenium.

Two sites are built per theme (alabaster and furo): the project's own docs
(its demo pages) and the sample catalogue (``data/``: python with ten
architectures, debian). Each is served over http on 127.0.0.1 (Sphinx's
search loads its index with a request, which ``file://`` pages may not make)
and walked the way a reader does, at 1280 and at 390 px wide:

- no page scrolls sideways (``scrollWidth <= clientWidth``): the demo pages,
  python's catalogue page, its ``windows-amd64`` page, the tag index;
- the filter box narrows the tag list (and the tag index);
- a copy button puts the entry's ``docker pull`` command on the clipboard,
  or, where headless Chromium has no clipboard, hands it to the page's copy
  event;
- a search for a tag (``3.14-slim``, ``python:3.14-slim``,
  ``windowsservercore-ltsc2022``) lists that tag's entry first and every
  page once; a search for the image (``python``) lists its default view
  first, then its architecture views, and none of its tag entries; an image
  view's result names the view (``python (windows-amd64)``); what the page
  lists is what the site's search computes under Node.js (``_searchtools.py``,
  which the non-browser tests use);
- a link to a tag's old id (``#python:3.14-slim``) lands on its entry;
- the browser console stays free of errors.

A third site, a catalogue of corpus images with repo-info and meta on, shows
python's sizes and debian's "Used as a base by" on screen, fitting at both
widths, with no console error.

A screenshot of every step is saved in the test's tmp folder. The browser is
the system's ``chromium`` with its ``chromedriver`` (never one selenium
downloads: ``SE_OFFLINE``); the test skips, saying which of selenium,
chromium and chromedriver is missing (``.ci/run`` installs both programs).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import _searchtools as searchtools
import pytest
import sphinx
from test_generate import DATA, make_project, sphinx_build

from conftest import CORPUS, corpus_conf

pytestmark = pytest.mark.browser

try:
    from selenium import webdriver
    from selenium.common.exceptions import JavascriptException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - depends on the environment
    pytest.skip("selenium is not installed (pip install -e '.[test]')", allow_module_level=True)

CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").is_file() else None
)
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)
if CHROMEDRIVER is None:
    pytest.skip(
        "chromedriver is not installed (apt-get install chromium-driver)",
        allow_module_level=True,
    )

DOCS = Path(__file__).resolve().parents[2] / "docs"
THEMES = ("alabaster", "furo")
# where the pages must fit too (the whole walk runs in THEMES)
MORE_THEMES = ("pydata_sphinx_theme", "sphinx_rtd_theme")
WIDTHS = (1280, 390)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        # The browser asks every site for one; a 404 would be a console error.
        if self.path == "/favicon.ico":
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()


class _Site(str):
    """A served site's URL that knows the folder it serves (``html``)."""

    html: Path


def _serve(html: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = _Site(f"http://127.0.0.1:{server.server_address[1]}/")
    url.html = html
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def _docs_project(tmp: Path, theme: str) -> Path:
    """A copy of the project's docs, with its inputs where the copy can find them."""
    src = tmp / "docs"
    shutil.copytree(DOCS, src, ignore=shutil.ignore_patterns("_build"))
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(
            f"\nofficial_images_library = {str(DATA / 'library')!r}\n"
            f"official_images_docs = {str(DATA / 'docs')!r}\n"
            f"official_images_facts = {str(DATA / 'facts')!r}\n"
            f"html_theme = {theme!r}\n"
        )
    return src


def _sites(theme: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(theme, docs URL, catalogue URL): both sites built and served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp(f"browser-{theme}")
    # a project name as short as a real one (the theme's header shows it)
    project = make_project(tmp / "catalogue", theme, extra='project = html_title = "Catalogue"\n')
    catalogue, _, warnings = sphinx_build(project, tmp / "out")
    assert warnings == ""
    docs, _, warnings = sphinx_build(_docs_project(tmp, theme), tmp / "docs-out")
    assert warnings == ""
    docs_url = _serve(docs)
    catalogue_url = _serve(catalogue)
    try:
        yield theme, next(docs_url), next(catalogue_url)
    finally:
        for served in (docs_url, catalogue_url):
            next(served, None)


@pytest.fixture(scope="module", params=THEMES)
def sites(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, str]]:
    yield from _sites(str(request.param), tmp_path_factory)


def _facts_site(theme: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A catalogue of corpus images with every facts source on: repo-info's sizes
    and digests (``../shared/corpus/repo-info``), meta's base images
    (``../shared/meta-sample``). Served on 127.0.0.1; its URL."""
    meta = CORPUS.parent / "meta-sample"
    if not CORPUS.is_dir() or not meta.is_dir():
        pytest.skip("../shared/corpus or ../shared/meta-sample is absent")
    src = tmp_path_factory.mktemp(f"browser-facts-{theme}") / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        corpus_conf(
            'project = html_title = "Facts"\n'
            f"official_images_repo_info = {str(CORPUS / 'repo-info')!r}\n"
            f"official_images_meta = {str(meta)!r}\n"
            "official_images_generate = {'images': ['python', 'debian', 'haproxy', "
            "'hello-world'], 'arches': ['arm64v8']}\n"
            f"html_theme = {theme!r}\n"
        ),
        encoding="utf-8",
    )
    (src / "index.md").write_text("# Facts\n\n```{toctree}\ncatalogue/index\n```\n")
    html, _, warnings = sphinx_build(src, src.parent / "out")
    assert warnings == ""
    served = _serve(html)
    try:
        yield next(served)
    finally:
        next(served, None)


@pytest.fixture(scope="module", params=THEMES)
def facts_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    theme = str(request.param)
    for url in _facts_site(theme, tmp_path_factory):
        yield theme, url


@pytest.fixture(scope="module", params=MORE_THEMES)
def more_sites(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str, str]]:
    theme = str(request.param)
    pytest.importorskip(theme, reason=f"{theme} is not installed (pip install -e '.[test]')")
    yield from _sites(theme, tmp_path_factory)


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[webdriver.Chrome]:
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    monkeypatch.setenv("SE_OFFLINE", "1")  # never let Selenium Manager fetch a driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,900",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(
        executable_path=CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log")
    )
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


class Reader:
    """One reader's session: pages visited, screenshots kept, console collected."""

    def __init__(self, driver: webdriver.Chrome, shots: Path, theme: str) -> None:
        self.driver = driver
        self.shots = shots
        self.theme = theme
        self.errors: list[str] = []
        self.count = 0
        # query -> the hrefs the search page listed
        self.searched: dict[str, list[str]] = {}

    def width(self, px: int) -> None:
        # the window is a little wider than its viewport: set the viewport itself
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": px, "height": 900, "deviceScaleFactor": 1, "mobile": px < 600},
        )

    def open(self, url: str) -> None:
        self.driver.get(url)
        WebDriverWait(self.driver, 30).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )
        self.collect()

    def js(self, source: str, *args: object) -> Any:
        return self.driver.execute_script(source, *args)

    def shot(self, name: str) -> None:
        self.count += 1
        self.driver.save_screenshot(str(self.shots / f"{self.count:02d}-{self.theme}-{name}.png"))

    def collect(self) -> None:
        for entry in self.driver.get_log("browser"):
            if entry.get("level") == "SEVERE":
                self.errors.append(str(entry.get("message")))

    def assert_fits(self, what: str) -> None:
        sizes = self.js(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];"
        )
        assert sizes[0] <= sizes[1], f"{what} scrolls sideways ({self.theme}): {sizes}"


def _visible_items(reader: Reader, selector: str) -> int:
    return int(
        reader.js(
            "return [...document.querySelectorAll(arguments[0])]"
            ".filter(li => li.offsetParent !== null).length;",
            selector,
        )
    )


def _filter(reader: Reader, query: str, items: str) -> tuple[int, int]:
    """Type ``query`` into the first filter box: (items before, items after)."""
    before = _visible_items(reader, items)
    box = reader.driver.find_element(By.CSS_SELECTOR, ".official-images-filter input")
    box.clear()
    box.send_keys(query)
    with contextlib.suppress(TimeoutException):
        WebDriverWait(reader.driver, 10).until(lambda _: _visible_items(reader, items) < before)
    return before, _visible_items(reader, items)


_CAPTURE_COPY = """
window.__copied = [];
document.addEventListener('copy', (event) => {
  const t = event.target;
  const text = t && typeof t.value === 'string'
    ? t.value.substring(t.selectionStart, t.selectionEnd)
    : String(document.getSelection());
  window.__copied.push(text);
}, true);
"""


def _copy(reader: Reader, snippet: str) -> str:
    """Click the copy button of the first pull snippet under ``snippet``; what was copied."""
    reader.js(_CAPTURE_COPY)
    block = reader.driver.find_element(By.CSS_SELECTOR, f"{snippet} div.official-images-pull")
    expected = block.find_element(By.TAG_NAME, "pre").text.strip()
    assert re.fullmatch(r"docker pull \S+:\S+", expected), expected
    reader.js("arguments[0].scrollIntoView({block: 'center'});", block)
    button = WebDriverWait(reader.driver, 10).until(
        lambda _: block.find_element(By.CSS_SELECTOR, "button.copybtn")
    )
    button.click()
    copied = WebDriverWait(reader.driver, 10).until(
        lambda _: reader.js("return window.__copied.length ? window.__copied : null;")
    )
    try:
        clipboard = reader.driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "navigator.clipboard.readText().then(done, () => done(null));"
        )
    except JavascriptException:
        clipboard = None
    texts = [str(t).strip() for t in copied] + ([str(clipboard).strip()] if clipboard else [])
    assert expected in texts, (expected, texts)
    return expected


def _search(reader: Reader, site: str, query: str) -> list[str]:
    """The hrefs of the search page's results for ``query``, once it has listed them all."""
    reader.open(site + "search.html?q=" + urllib.parse.quote(query))
    hrefs: list[str] = WebDriverWait(reader.driver, 30).until(
        lambda _: reader.js(
            "const links = [...document.querySelectorAll('#search-results ul.search li a')];"
            "const done = document.querySelector('#search-results p.search-summary');"
            "return links.length && done && done.textContent"
            "  ? links.map(a => a.getAttribute('href')) : null;"
        )
    )
    reader.searched[query] = hrefs
    return hrefs


def _pages(docs: str, site: str) -> dict[str, str]:
    return {
        "demo-python": docs + "demo/python.html",
        "demo-winamd64-python": docs + "demo/winamd64-python.html",
        "demo-debian": docs + "demo/debian.html",
        "directives": docs + "directives.html",
        "python": site + "catalogue/python.html",
        "winamd64-python": site + "catalogue/winamd64/python.html",
        "tag-index": site + "catalogue/tags.html",
        "image-index": site + "catalogue/index.html",
    }


def _fit(reader: Reader, pages: dict[str, str]) -> None:
    """Nothing scrolls sideways, at either width."""
    for width in WIDTHS:
        reader.width(width)
        for name, url in pages.items():
            reader.open(url)
            reader.shot(f"{name}-{width}")
            reader.assert_fits(f"{name} at {width} px")
    reader.width(1280)


def test_pages_fit_in_more_themes(
    more_sites: tuple[str, str, str], browser: webdriver.Chrome, tmp_path: Path
) -> None:
    theme, docs, site = more_sites
    shots = tmp_path / "screenshots"
    shots.mkdir()
    reader = Reader(browser, shots, theme)
    # (the console is the themes' own business here: pydata-sphinx-theme logs
    # an error of its own for a fresh profile's empty colour mode)
    _fit(reader, _pages(docs, site))


_IN_VIEW = (
    "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
    "return r.top >= -2 && r.top < window.innerHeight;"
)


def test_reader_walks_the_sites(
    sites: tuple[str, str, str], browser: webdriver.Chrome, tmp_path: Path
) -> None:
    theme, docs, site = sites
    shots = tmp_path / "screenshots"
    shots.mkdir()
    reader = Reader(browser, shots, theme)
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    pages = _pages(docs, site)
    _fit(reader, pages)
    # the project's docs use MyST definition lists: they render as such
    reader.open(pages["directives"])
    assert "no-index" in reader.js("return document.querySelector('dl dt').textContent")

    # the matrix: one line per entry at 1280 px (a tag longer than most of a
    # phone's width may wrap at its hyphens at 390 px, once)
    for width, lines in ((1280, 1), (390, 2)):
        reader.width(width)
        reader.open(pages["directives"])
        heights = reader.js(
            "return [...document.querySelectorAll('.official-images-matrix-scroll tbody tr')]"
            ".map(r => r.getBoundingClientRect().height);"
        )
        line = reader.js(
            "const c = document.querySelector('.official-images-matrix-scroll tbody td');"
            "return parseFloat(getComputedStyle(c).lineHeight) || 20;"
        )
        assert heights and max(heights) < (lines + 0.9) * line + 12, (width, heights, line)

    # the matrix scrolls in its own box, the tag column kept in view
    reader.width(390)
    reader.open(pages["directives"])
    box = browser.find_element(By.CSS_SELECTOR, ".official-images-matrix-scroll")
    reader.js("arguments[0].scrollIntoView(); arguments[0].scrollLeft = 10000;", box)
    reader.js("arguments[0].scrollLeft = arguments[0].scrollLeft / 2;", box)
    sticky = reader.js(
        "const box = arguments[0]; const cell = box.querySelector('tbody td');"
        "return [box.scrollLeft > 0, Math.round(cell.getBoundingClientRect().left"
        " - box.getBoundingClientRect().left)];",
        box,
    )
    reader.shot("matrix-scrolled-390")
    assert sticky[0] and abs(sticky[1]) <= 2, sticky
    reader.width(1280)

    # the filter narrows a page's tag list, and the tag index
    reader.open(pages["python"])
    before, after = _filter(reader, "3.14-slim", "ul.official-images-tags > li")
    assert 0 < after < before, (before, after)
    reader.shot("python-filtered")
    reader.open(pages["tag-index"])
    before, after = _filter(reader, "python:3.14", ".official-images-tag-index li")
    assert 0 < after < before, (before, after)
    reader.shot("tag-index-filtered")

    # a copy button copies the entry's docker pull command
    reader.open(pages["winamd64-python"])
    assert _copy(reader, "ul.official-images-tags").startswith("docker pull winamd64/python:")
    reader.shot("winamd64-python-copied")
    reader.open(pages["tag-index"])
    _copy(reader, ".official-images-tag-index")

    # a search for a tag (or its full name, as docker pull takes it): its own
    # entry first, and every page once, anchor or not
    for query in ("3.14-slim", "python:3.14-slim", "windowsservercore-ltsc2022"):
        tag = query.partition(":")[2] or query
        hrefs = _search(reader, site, query)
        first = hrefs[0]
        assert first.startswith("catalogue/python.html#tag-python__"), (query, first)
        entry = reader.js(
            "return fetch(arguments[0]).then(r => r.text()).then(t => {"
            "  const doc = new DOMParser().parseFromString(t, 'text/html');"
            "  const el = doc.getElementById(arguments[1]);"
            "  return el ? [...el.querySelectorAll('code.literal')].map(c => c.textContent) : null;"
            "});",
            site + "catalogue/python.html",
            first.partition("#")[2],
        )
        assert entry is not None and tag in entry, (query, entry)
        listed = [href.partition("#")[0] for href in hrefs]
        assert len(listed) == len(set(listed)), hrefs
        # the image is listed once, not once more per architecture page (Sphinx
        # honours the no-search class, which keeps those out, from version 8)
        if sphinx.version_info >= (8,):
            assert not [h for h in hrefs if re.match(r"catalogue/[^/]+/", h)], hrefs
        # the summary under the result is the entry's text (Sphinx found its id)
        summary: str = WebDriverWait(browser, 30).until(
            lambda _: reader.js(
                "const p = document.querySelector('#search-results ul.search li p.context');"
                "return p ? p.textContent : null;"
            )
        )
        assert tag in summary, summary
        reader.shot(f"search-{query.replace(':', '_')}")

    # a search for the image: its default view first, its architecture views,
    # none of its tag entries, every page once
    hrefs = _search(reader, site, "python")
    assert hrefs[0].partition("#")[0] == "catalogue/python.html", hrefs
    assert not [h for h in hrefs if "#tag-" in h], hrefs
    assert "catalogue/winamd64/python.html#image__python__windows-amd64" in hrefs
    listed = [href.partition("#")[0] for href in hrefs]
    assert len(listed) == len(set(listed)), hrefs
    reader.shot("search-python")

    # an image view's result names the view
    _search(reader, site, "windows-amd64")
    titles = reader.js(
        "return [...document.querySelectorAll('#search-results ul.search li a')]"
        ".map(a => [a.textContent, a.getAttribute('href')]);"
    )
    assert [
        "python (windows-amd64)",
        "catalogue/winamd64/python.html#image__python__windows-amd64",
    ] in titles, titles

    # what the browser listed is what the site's search computes under Node.js
    # (_searchtools.py: the non-browser tests in test_generate.py run it)
    if searchtools.NODE is not None:
        assert isinstance(site, _Site)
        computed = searchtools.search(site.html, list(reader.searched))
        for query, shown in reader.searched.items():
            assert [result.href for result in computed[query]] == shown, query

    # a link saved to a tag's old id (before the ids were CSS identifiers)
    # lands on the tag's entry: the page's script sends it on to the new id
    for old, new in (
        ("python:3.14-slim", "tag-python__3_14-slim"),
        ("image:python", "image__python"),
    ):
        reader.open(pages["python"] + "#" + old)
        WebDriverWait(browser, 10).until(
            lambda _, new=new: reader.js("return location.hash") == "#" + new
        )
        # in view once the theme's smooth scrolling has settled (to the pixel)
        WebDriverWait(browser, 10).until(lambda _, new=new: reader.js(_IN_VIEW, new))
        reader.shot(f"old-anchor-{new}")
    reader.open(pages["winamd64-python"] + "#python:3.14@windows-amd64")
    WebDriverWait(browser, 10).until(
        lambda _: reader.js("return location.hash") == "#tag-python__3_14__windows-amd64"
    )

    reader.collect()
    assert reader.errors == []
    assert len(list(shots.glob("*.png"))) == reader.count


# What a reader looks at on the facts pages: (page, section heading, the
# figures under it that must be on screen when the section is scrolled to).
_FACTS = (
    ("python", "Compressed sizes and digests", "table.official-images-sizes abbr[title$=bytes]"),
    ("python", "Supported tags", "p.official-images-sizes abbr[title$=bytes]"),
    ("debian", "Used as a base by", "ul.official-images-bases li"),
)


def _on_screen(reader: Reader, selector: str) -> list[float] | None:
    """The first element matching ``selector`` scrolled to: its box, if it is visible."""
    return reader.js(  # type: ignore[no-any-return]
        "const el = document.querySelector(arguments[0]);"
        "if (!el || el.offsetParent === null) return null;"
        "el.scrollIntoView({block: 'center', behavior: 'instant'});"
        "const r = el.getBoundingClientRect();"
        "const visible = r.width > 0 && r.height > 0 && r.top >= 0"
        "  && r.bottom <= window.innerHeight && r.left < window.innerWidth && r.right > 0;"
        "return visible ? [r.left, r.top, r.width, r.height] : null;",
        selector,
    )


def test_facts_pages_show_their_figures(
    facts_site: tuple[str, str], browser: webdriver.Chrome, tmp_path: Path
) -> None:
    """python's sizes (its table and the figures under each tag entry) and debian's
    "Used as a base by": visible, fitting, no console error, at both widths."""
    theme, site = facts_site
    shots = tmp_path / "screenshots"
    shots.mkdir()
    reader = Reader(browser, shots, theme)
    for width in WIDTHS:
        reader.width(width)
        for page, heading, selector in _FACTS:
            reader.open(f"{site}catalogue/{page}.html")
            reader.shot(f"{page}-top-{width}")
            reader.assert_fits(f"{page} at {width} px")
            assert heading in reader.js("return document.body.innerText"), (page, heading)
            box = _on_screen(reader, selector)
            reader.shot(f"{page}-{heading.split()[0].lower()}-{width}")
            assert box is not None, (page, selector, width)
            reader.assert_fits(f"{page} at {width} px, scrolled to {selector}")
    # an image built on debian that the catalogue documents is a link to its page
    reader.width(1280)
    reader.open(f"{site}catalogue/debian.html")
    href = reader.js(
        "const a = document.querySelector('ul.official-images-bases a[href^=\"haproxy.html\"]');"
        "return a ? a.getAttribute('href') : null;"
    )
    assert href is not None, "haproxy is not linked from debian's Used as a base by"
    reader.open(f"{site}catalogue/{href}")
    assert reader.js("return document.title").startswith("haproxy"), href
    reader.shot("debian-user-followed-1280")
    reader.collect()
    # The corpus prose's logos are remote (raw.githubusercontent.com): without
    # a network they cannot load, which is no fault of the pages. Any other
    # error counts, every failure of the site's own files included.
    remote = re.compile(r"https?://(?!127\.0\.0\.1[:/])\S+ - Failed to load resource: net::ERR_")
    assert [e for e in reader.errors if not remote.match(e)] == []
