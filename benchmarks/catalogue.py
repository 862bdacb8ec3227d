"""Time the generated catalogue against the same pages as plain MyST Markdown.

Usage::

    python benchmarks/catalogue.py [--corpus PATH] [--theme alabaster|furo]
                                   [--jobs N] [--repeat N] [--no-scaling]
                                   [--no-incremental] [--keep DIR]

It builds, in one run and with the same ``conf.py`` and theme:

(a) the **catalogue**: ``official_images_generate = True`` over the corpus
    (``../shared/corpus/current`` or ``OFFICIAL_IMAGES_CORPUS``): every
    image's default view and one page per architecture it supports, the
    image index and the tag index, built with ``-W``;
(b) the **static baseline**: the same pages as plain MyST Markdown, each the
    corpus' expected ``README.md`` of the image (copied once per architecture
    page, under its namespace), ``orphan`` like the generated pages, and an
    index page linking every page (the same navigation as (a), so neither
    pays for a global toctree);

and (a) again over ¼ and ½ of the images (every 4th, every 2nd) for the
scaling. It prints the wall time and peak memory (max RSS of the build
process and its workers) of (a) and (b), the scaling, an incremental rebuild
of (a) after touching ``library/python`` (time and documents re-read), and
last the ratio (a)/(b). ``--repeat N`` runs N rounds of every build and keeps
each build's fastest round: the machine may be shared, and other processes
only ever make a build slower. Every build runs in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sphinx_official_images.sources.loader import Loader
from sphinx_official_images.sphinx_ext.generate import GenerateOptions, plan_catalogue

# Runs one sphinx-build in a fresh interpreter and reports its own peak memory
# (ru_maxrss of the process and of its -j workers, KiB on Linux).
_RUNNER = """
import json, resource, sys
from sphinx.cmd.build import build_main
rc = build_main(sys.argv[1:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.stderr.write("@@BENCH@@" + json.dumps({"rc": rc, "peak_kib": peak}) + "\\n")
sys.exit(rc)
"""

_CONF = """\
extensions = ["myst_parser", "sphinx_official_images"]
project = "catalogue benchmark"
exclude_patterns = ["_build"]
html_theme = {theme!r}
official_images_library = {library!r}
official_images_docs = {docs!r}
official_images_facts = {facts!r}
# The corpus prose (docker-library/docs) skips heading levels, has snippets
# Pygments cannot lex (nginx, console) and two links to anchors that do not
# exist (bonita). They render as on the Hub; these keep -W for everything else.
suppress_warnings = ["myst.header", "misc.highlighting_failure"]
nitpick_ignore = [("myst", "MONITORING_USERNAME"), ("myst", "MONITORING_PASSWORD")]
{extra}
"""

_UPDATED = re.compile(
    r"updating environment: (?:\[[^\]]*\] )?(\d+) added, (\d+) changed, (\d+) removed"
)


def _default_corpus() -> Path:
    env = os.environ.get("OFFICIAL_IMAGES_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "corpus"


@dataclass
class Build:
    """One sphinx-build run."""

    seconds: float
    peak_mib: float
    returncode: int
    warnings: int
    added: int
    changed: int
    removed: int
    reread: list[str]


def sphinx_build(src: Path, out: Path, jobs: int, strict: bool) -> Build:
    args = [sys.executable, "-c", _RUNNER, "-b", "html", "-d", str(out / ".doctrees")]
    args += ["-j", str(jobs)] if jobs > 1 else []
    args += ["-W", "--keep-going"] if strict else []
    args += [str(src), str(out / "html")]
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    report = {"rc": proc.returncode, "peak_kib": 0}
    for line in proc.stderr.splitlines():
        if line.startswith("@@BENCH@@"):
            report = json.loads(line[len("@@BENCH@@") :])
    warnings = sum(1 for line in proc.stderr.splitlines() if "WARNING" in line)
    found = _UPDATED.search(proc.stdout)
    added, changed, removed = (int(g) for g in found.groups()) if found else (0, 0, 0)
    reread = re.findall(r"reading sources\.\.\. \[[ \d]+%\] (\S+)", proc.stdout)
    out.mkdir(parents=True, exist_ok=True)
    (out / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode:
        sys.stderr.write(proc.stderr[-4000:])
    return Build(
        seconds,
        report["peak_kib"] / 1024,
        proc.returncode,
        warnings,
        added,
        changed,
        removed,
        reread,
    )


@dataclass
class Corpus:
    library: Path
    docs: Path
    facts: Path


def _conf(corpus: Corpus, theme: str, extra: str) -> str:
    return _CONF.format(
        theme=theme,
        library=str(corpus.library),
        docs=str(corpus.docs),
        facts=str(corpus.facts),
        extra=extra,
    )


def make_catalogue(root: Path, corpus: Corpus, theme: str, images: list[str] | None) -> Path:
    """Project (a): the extension generates every page."""
    src = root / "src"
    src.mkdir(parents=True)
    generate = True if images is None else {"images": images}
    (src / "conf.py").write_text(
        _conf(corpus, theme, f"official_images_generate = {generate!r}"), encoding="utf-8"
    )
    (src / "index.md").write_text(
        "# Catalogue benchmark\n\n```{toctree}\ncatalogue/index\n```\n", encoding="utf-8"
    )
    return src


def make_baseline(root: Path, corpus: Corpus, theme: str) -> tuple[Path, int]:
    """Project (b): the expected READMEs as plain MyST pages, one per generated page."""
    src = root / "src"
    pages = src / "pages"
    pages.mkdir(parents=True)
    (src / "conf.py").write_text(_conf(corpus, theme, ""), encoding="utf-8")
    (src / "index.md").write_text(
        "# Catalogue benchmark\n\n```{toctree}\npages/index\n```\n", encoding="utf-8"
    )
    loader = Loader(corpus.library, corpus.docs, corpus.facts)
    entries = plan_catalogue(loader, GenerateOptions(), dict(loader.arch_namespaces))
    rows = ["# Pages", "", "| Image | Pages |", "| --- | --- |"]
    count = 0
    for entry in entries:
        readme = (corpus.docs / entry.image / "README.md").read_text(encoding="utf-8")
        links = []
        for view in entry.views:
            path = pages / f"{view.docname}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("---\norphan: true\n---\n" + readme, encoding="utf-8")
            links.append(f"[{view.arch or 'default'}]({view.docname}.md)")
            count += 1
        rows.append(f"| {entry.image} | {', '.join(links)} |")
    (pages / "index.md").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return src, count


def _images(corpus: Corpus) -> list[str]:
    loader = Loader(corpus.library, corpus.docs, corpus.facts)
    return sorted(set(loader.images()) & set(loader.manifest_images()))


def _pages(corpus: Corpus, images: list[str] | None) -> int:
    loader = Loader(corpus.library, corpus.docs, corpus.facts)
    options = GenerateOptions(images=None if images is None else tuple(images))
    return sum(len(e.views) for e in plan_catalogue(loader, options, loader.arch_namespaces))


def _row(label: str, build: Build, pages: int) -> str:
    return (
        f"{label:<34} {build.seconds:8.1f} s {build.peak_mib:8.0f} MiB "
        f"{pages:5d} pages {1000 * build.seconds / max(pages, 1):6.1f} ms/page"
        + (f"  rc={build.returncode}" if build.returncode else "")
        + (f"  warnings={build.warnings}" if build.warnings else "")
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=_default_corpus())
    parser.add_argument("--theme", default="alabaster")
    parser.add_argument("--jobs", "-j", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--keep", type=Path, help="build here and keep the projects")
    args = parser.parse_args(argv)
    current = args.corpus / "current"
    if not (current / "library").is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2

    tmp_ctx = None
    if args.keep:
        work = args.keep.resolve()
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        tmp_ctx = tempfile.TemporaryDirectory(prefix="oi-catalogue-bench-")
        work = Path(tmp_ctx.name)
    try:
        # A writable copy of the manifests, so the incremental run can touch one.
        library = work / "library"
        shutil.copytree(current / "library", library)
        corpus = Corpus(library, (current / "docs").resolve(), (current / "facts").resolve())
        images = _images(corpus)
        total_pages = _pages(corpus, None)
        print(
            f"corpus: {len(images)} images, {total_pages} pages; theme {args.theme}, "
            f"-j {args.jobs}; load average {os.getloadavg()[0]:.2f}"
        )

        # Each round builds every project once; each figure is the fastest of
        # its rounds (other processes only ever make a build slower).
        subsets = {"1/4": images[::4], "1/2": images[::2]}
        best: dict[str, Build] = {}
        roots: dict[str, Path] = {}
        baseline_pages = 0
        for run in range(max(args.repeat, 1)):
            plan: list[tuple[str, list[str] | None]] = [("a", None)]
            plan.append(("b", None))
            if not args.no_scaling:
                plan += list(subsets.items())
            times = []
            for name, subset in plan:
                root = work / f"{name.replace('/', 'of')}-{run}"
                if name == "b":
                    src, baseline_pages = make_baseline(root, corpus, args.theme)
                else:
                    src = make_catalogue(root, corpus, args.theme, subset)
                build = sphinx_build(src, root / "_build", args.jobs, strict=name != "b")
                times.append(f"{name} {build.seconds:.1f} s")
                if name not in best or build.seconds < best[name].seconds:
                    best[name], roots[name] = build, root
            print(f"round {run + 1}: " + ", ".join(times), flush=True)
        a, b = best["a"], best["b"]
        print(_row("(a) generated catalogue", a, total_pages))
        print(_row("(b) static MyST pages", b, baseline_pages))
        for name, build in (("a", a), ("b", b)):
            if build.warnings:
                log = roots[name] / "_build" / "build.log"
                print(f"    ({name}): {build.warnings} warnings, see {log}")

        if not args.no_scaling:
            print("scaling of (a):")
            pages = {label: _pages(corpus, subset) for label, subset in subsets.items()}
            for label, subset in subsets.items():
                print(_row(f"  {label} of the images ({len(subset)})", best[label], pages[label]))
            print(_row(f"  all of the images ({len(images)})", a, total_pages))
            half = best["1/2"].seconds
            print(
                f"  all / half: {a.seconds / half:.2f}x the time for "
                f"{total_pages / pages['1/2']:.2f}x the pages"
            )

        if not args.no_incremental:
            src = roots["a"] / "src"
            out = roots["a"] / "_build"
            noop = sphinx_build(src, out, args.jobs, strict=True)
            os.utime(library / "python")
            inc = sphinx_build(src, out, args.jobs, strict=True)
            print("incremental (a), after the build above:")
            print(
                f"  nothing changed:      {noop.seconds:6.1f} s, {noop.changed} documents re-read"
            )
            print(
                f"  touch library/python: {inc.seconds:6.1f} s, "
                f"{inc.added + inc.changed} documents re-read: {', '.join(inc.reread)}"
            )

        print(f"ratio (a)/(b): {a.seconds / b.seconds:.2f}")
        return 0 if a.returncode == 0 else 1
    finally:
        if tmp_ctx is not None:
            tmp_ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
