"""The built catalogue in a real browser: headless Chromium driven through chromedriver.

The test builds the sample catalogue (``data/``: python with ten architectures,
debian), serves it over http on 127.0.0.1 (Sphinx's search loads its index
with a request, which ``file://`` pages may not make), and walks it the way a
reader does: the image index, python's page, its ``windows-amd64`` page, a
link of the tag index to its anchor, a search for a tag. The browser console
must stay free of errors; a screenshot of every step is saved in the test's
tmp folder.

It speaks the W3C WebDriver protocol (plain JSON over HTTP) to
``chromedriver`` with ``urllib``: no client library is needed. It skips, with
the reason, when ``chromium`` or ``chromedriver`` is not installed
(``.ci/run`` installs both).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from test_generate import make_project, sphinx_build

pytestmark = pytest.mark.browser

CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
CHROMEDRIVER = shutil.which("chromedriver")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C element reference key
T = TypeVar("T")

if CHROMIUM is None or CHROMEDRIVER is None:
    pytest.skip(
        "headless Chromium is not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class WebDriver:
    """The few WebDriver commands the test needs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = ""

    def call(self, method: str, path: str, body: object = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as err:
            raise AssertionError(f"{method} {path}: {err.read().decode()}") from None

    def command(self, method: str, path: str, body: object = None) -> Any:
        return self.call(method, f"/session/{self.session}{path}", body)

    def start(self, capabilities: dict[str, object]) -> None:
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = value["sessionId"]

    def get(self, url: str) -> None:
        self.command("POST", "/url", {"url": url})

    def script(self, source: str, *args: object) -> Any:
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def find(self, css: str) -> str:
        return str(
            self.command("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]
        )

    def link(self, text: str, within: str = "body") -> str:
        """The first link under ``within`` whose text is exactly ``text``."""
        found = self.script(
            "for (const a of document.querySelectorAll(arguments[0] + ' a')) {"
            "  if (a.textContent.trim() === arguments[1]) return a; }"
            "return null;",
            within,
            text,
        )
        assert found is not None, f"no link {text!r} in {within}"
        return str(found[ELEMENT])

    def click(self, element: str) -> None:
        self.command("POST", f"/element/{element}/click", {})

    def current_url(self) -> str:
        return str(self.command("GET", "/url"))

    def screenshot(self, path: Path) -> None:
        path.write_bytes(base64.b64decode(self.command("GET", "/screenshot")))

    def console(self) -> list[dict[str, Any]]:
        """Browser log entries since the last call (chromedriver's log endpoint)."""
        entries: list[dict[str, Any]] = self.command("POST", "/se/log", {"type": "browser"})
        return entries

    def wait(self, condition: Callable[[], T | None], what: str, timeout: float = 30) -> T:
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.1)


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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample catalogue, built and served on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("browser-site")
    html, _, warnings = sphinx_build(make_project(tmp), tmp / "out")
    assert warnings == ""
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    assert CHROMIUM is not None and CHROMEDRIVER is not None
    port = _free_port()
    driver_log = tmp_path / "chromedriver.log"
    process = subprocess.Popen(
        [CHROMEDRIVER, f"--port={port}", f"--log-path={driver_log}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    driver = WebDriver(f"http://127.0.0.1:{port}")
    try:
        driver.wait(lambda: _ready(driver), "chromedriver to listen", timeout=30)
        driver.start(
            {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--no-first-run",
                        "--disable-component-update",
                        "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}",
                        "--window-size=1280,900",
                    ],
                },
                "goog:loggingPrefs": {"browser": "ALL"},
            }
        )
        yield driver
    finally:
        if driver.session:
            with contextlib.suppress(AssertionError, OSError):
                driver.command("DELETE", "")
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ready(driver: WebDriver) -> bool:
    try:
        return bool(driver.call("GET", "/status")["ready"])
    except (OSError, AssertionError):
        return False


def _errors(entries: list[dict[str, Any]]) -> list[str]:
    return [str(e.get("message")) for e in entries if e.get("level") == "SEVERE"]


def _loaded(driver: WebDriver, path_end: str) -> Callable[[], bool]:
    def check() -> bool:
        url = driver.current_url().split("#")[0]
        state = driver.script("return document.readyState")
        return url.endswith(path_end) and state == "complete"

    return check


def test_reader_walks_the_catalogue(site: str, browser: WebDriver, tmp_path: Path) -> None:
    shots = tmp_path / "screenshots"
    shots.mkdir()
    console: list[dict[str, Any]] = []

    # the image index
    browser.get(site + "catalogue/index.html")
    browser.wait(_loaded(browser, "catalogue/index.html"), "the image index")
    browser.screenshot(shots / "1-index.png")
    assert browser.script("return document.querySelector('h1').textContent").startswith(
        "Image catalogue"
    )

    # -> python's page (the default view)
    browser.click(browser.link("python", "table"))
    browser.wait(_loaded(browser, "catalogue/python.html"), "python's page")
    browser.screenshot(shots / "2-python.png")
    assert browser.script("return document.querySelector('h1').textContent").startswith("python")

    # -> its windows-amd64 page
    browser.click(browser.link("windows-amd64"))
    browser.wait(_loaded(browser, "catalogue/winamd64/python.html"), "python's windows page")
    browser.screenshot(shots / "3-winamd64-python.png")
    title = browser.script("return document.querySelector('h1').textContent")
    assert title.startswith("winamd64/python")
    body = browser.script("return document.body.textContent")
    assert "windowsservercore-ltsc2022" in body
    console += browser.console()

    # a tag of the tag index -> its entry on the page, scrolled to
    browser.get(site + "catalogue/tags.html")
    browser.wait(_loaded(browser, "catalogue/tags.html"), "the tag index")
    browser.click(browser.link("3.14-slim"))
    browser.wait(_loaded(browser, "catalogue/python.html"), "the tag's page")
    url = browser.current_url()
    assert url.endswith("#python:3.14-slim"), url
    # the anchor is the tag's list entry (or an id of it: every tag of the entry has one)
    position = browser.script(
        "const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));"
        "return el ? [el.closest('li') !== null, Math.round(el.getBoundingClientRect().top)]"
        " : null;"
    )
    assert position is not None and position[0], position
    assert -5 <= position[1] < 200, position  # the entry is at the top of the window
    browser.screenshot(shots / "4-tag-anchor.png")
    console += browser.console()

    # a search for a tag: the page that has it comes first
    for query, page, anchor in (
        ("3.14-slim", "catalogue/python.html", "#python:3.14-slim"),
        ("windowsservercore-ltsc2022", "catalogue/", "windowsservercore-ltsc2022"),
    ):
        browser.get(site + "search.html?q=" + query)
        first = browser.wait(
            lambda: browser.script(
                "const a = document.querySelector('#search-results ul.search li a');"
                "return a ? a.getAttribute('href') : null;"
            ),
            f"search results for {query}",
        )
        assert page in first and anchor in first, (query, first)
        browser.screenshot(shots / f"5-search-{query}.png")
        console += browser.console()

    assert _errors(console) == []
    assert len(list(shots.glob("*.png"))) == 6
