"""The authoring loop with a real client: sphinx-autobuild serves the site, a writer edits.

sphinx-autobuild watches the source folder and the input folders, runs an
incremental ``sphinx-build`` on every change and serves the output on a
loopback port. A small site over a copy of the project's ``data/`` is served;
the test then makes the three kinds of edit a writer makes (a manifest gains
a tag, an image gains its own ``get-help.md``, a variant file goes) and after
each one fetches the page until it shows the change, within a bounded wait.
The server is stopped by the test.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("sphinx_autobuild")

DATA = Path(__file__).resolve().parents[2] / "data"
COMMIT = "0123456789abcdef0123456789abcdef01234567"

# The machine is shared: a first build and a rebuild may take a while.
STARTUP_SECONDS = 180.0
CHANGE_SECONDS = 120.0

CONF = """\
extensions = ["myst_parser", "sphinx_official_images"]
official_images_library = "../data/library"
official_images_docs = "../data/docs"
official_images_facts = "../data/facts"
html_theme = "basic"
"""

INDEX = "# Served\n\n```{toctree}\npython\n```\n"
PYTHON = "# python\n\n```{image-readme} python\n```\n"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body.decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(
    url: str, seen: Callable[[str], bool], seconds: float, server: subprocess.Popen[bytes]
) -> str:
    """The page at ``url`` once ``seen`` is true of it; fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        assert server.poll() is None, "sphinx-autobuild exited"
        last = _fetch(url)
        if last is not None and seen(last):
            return last
        time.sleep(0.5)
    raise AssertionError(f"{url} did not change within {seconds:.0f} s")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "data", symlinks=True)
    src = tmp_path / "site"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text(INDEX, encoding="utf-8")
    (src / "python.md").write_text(PYTHON, encoding="utf-8")
    return tmp_path


@pytest.fixture
def served(site: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    log = (site / "autobuild.log").open("wb")
    command = [
        sys.executable,
        "-m",
        "sphinx_autobuild",
        str(site / "site"),
        str(site / "out"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--watch",
        str(site / "data"),
        "-q",
    ]
    server = subprocess.Popen(
        command, cwd=site, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield f"http://127.0.0.1:{port}/python.html", server
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=20)
        log.close()


def test_autobuild_shows_each_edit(site: Path, served: tuple[str, subprocess.Popen[bytes]]) -> None:
    url, server = served
    data = site / "data"
    first = _wait_for(url, lambda page: "Supported tags" in page, STARTUP_SECONDS, server)
    slim = "The slim flavour drops compilers and headers"
    assert slim in first
    assert "9.99-autobuild" not in first

    # a manifest gains an entry with a new tag
    manifest = data / "library" / "python"
    manifest.write_text(
        manifest.read_text(encoding="utf-8")
        + f"\nTags: 9.99-autobuild\nArchitectures: amd64\nGitCommit: {COMMIT}\n"
        "Directory: 9.99/autobuild\n",
        encoding="utf-8",
    )
    _wait_for(url, lambda page: "9.99-autobuild" in page, CHANGE_SECONDS, server)

    # the image gains its own get-help.md (it used the shared helper's)
    help_mark = "AUTOBUILD-HELP-MARK"
    (data / "docs" / "python" / "get-help.md").write_text(
        f"Ask on the {help_mark} forum", encoding="utf-8"
    )
    _wait_for(url, lambda page: help_mark in page, CHANGE_SECONDS, server)

    # the image's own variant file goes (the shared one is used instead)
    (data / "docs" / "python" / "variant-slim.md").unlink()
    page = _wait_for(url, lambda page: slim not in page, CHANGE_SECONDS, server)
    assert help_mark in page and "9.99-autobuild" in page
