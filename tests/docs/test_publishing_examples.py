"""The publishing guide's examples (``docs/examples/``), parsed and run locally.

Each CI file is read with pyyaml and its shell steps run, in order, with
``bash -eo pipefail`` (GitHub's default shell; GitLab runs each ``script``
line with ``-e`` too) in a workspace under ``tmp_path`` that holds the
example site: ``docs/conf.py``, ``docs/index.md`` and ``docs/requirements.txt``
from the examples, and ``facts/`` from the project's ``data/``.  The steps run
as written, except for these substitutions:

* **checkouts are copies**: GitHub's ``actions/checkout`` of the site is the
  workspace itself; its checkouts of ``docker-library/official-images`` and
  ``docker-library/docs`` into ``path`` are copies of ``data/library`` (as
  ``PATH/library``) and ``data/docs`` (as ``PATH``).  GitLab's ``git clone
  [OPTIONS] URL DEST`` lines are the same copies, chosen by URL;
* **nothing is installed**: a step or line running ``pip install -r FILE`` is
  not run (this test's environment has the package; ``PATH`` starts with its
  ``bin`` folder, where ``sphinx-official-images`` and ``sphinx-build`` are);
  the requirements file must exist and name ``sphinx-official-images``;
* **other actions are checked, not run**: ``actions/setup-python`` must cache
  pip, and the upload step's ``path`` must hold the built site;
* GitLab's ``$CI_PROJECT_DIR`` is the workspace; ``variables`` are exported.

Read the Docs runs no steps of ours: the test makes real git repositories of
the two data copies, a site repository whose ``.gitmodules`` is the example
file (its GitHub URLs mapped to the local repositories with git's
``url.BASE.insteadOf``), clones it as Read the Docs does (``submodules:
include: all``: ``--recurse-submodules``), and builds it with the command the
config implies (``python -m sphinx -T -b html`` in the configuration's folder,
``-W --keep-going`` for ``fail_on_warning``).

A broken manifest must fail the GitHub example's ``check`` step with a workflow
command on its file and line, so the examples catch what they claim to.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
DATA = ROOT / "data"
BIN = Path(sys.executable).parent
MANIFESTS = "docker-library/official-images"
PROSE = "docker-library/docs"
URLS = {
    "https://github.com/docker-library/official-images.git": MANIFESTS,
    "https://github.com/docker-library/docs.git": PROSE,
}


def load(name: str) -> Any:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def make_workspace(root: Path) -> Path:
    """The example site as its repository holds it (before any data checkout)."""
    root.mkdir(parents=True)
    (root / "docs").mkdir()
    for name in ("conf.py", "index.md", "requirements.txt"):
        shutil.copyfile(EXAMPLES / name, root / "docs" / name)
    shutil.copytree(DATA / "facts", root / "facts")
    return root


def copy_repository(repository: str, dest: Path) -> None:
    """What a checkout of one of the data repositories gives, from ``data/``."""
    if repository == MANIFESTS:
        shutil.copytree(DATA / "library", dest / "library")
    elif repository == PROSE:
        shutil.copytree(DATA / "docs", dest)
    else:
        raise AssertionError(f"the example checks out an unknown repository: {repository}")


def check_requirements(workspace: Path, command: str) -> None:
    words = shlex.split(command)
    requirements = workspace / words[words.index("-r") + 1]
    assert "sphinx-official-images" in requirements.read_text(encoding="utf-8").split()


@dataclass
class Step:
    name: str
    status: int
    output: str


def run_shell(
    script: str, workspace: Path, env: Mapping[str, str] | None = None, name: str = ""
) -> Step:
    full_env = {**os.environ, **(env or {}), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=workspace,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
    return Step(name, result.returncode, result.stdout + result.stderr)


# -- GitHub Actions ---------------------------------------------------------------------


def run_github(workspace: Path, break_input: Any = None) -> list[Step]:
    """Run the workflow's build job; stops at the first failing step, as the runner does."""
    workflow = load("github-actions.yml")
    steps = workflow["jobs"]["build"]["steps"]
    done: list[Step] = []
    for step in steps:
        name = step.get("name", step.get("uses", ""))
        uses = step.get("uses", "")
        options = step.get("with", {})
        if uses.startswith("actions/checkout@"):
            if "repository" in options:
                copy_repository(options["repository"], workspace / options["path"])
                if break_input is not None:
                    break_input(workspace)
            else:
                assert not done, "the site is checked out first (a root checkout cleans)"
            continue
        if uses.startswith("actions/setup-python@"):
            assert options["cache"] == "pip"
            assert (workspace / options["cache-dependency-path"]).is_file()
            continue
        if uses.startswith("actions/upload-pages-artifact@"):
            assert (workspace / options["path"] / "index.html").is_file()
            done.append(Step(name, 0, ""))
            continue
        assert not uses, f"unexpected action {uses}"
        script = step["run"]
        if "pip install" in script:
            check_requirements(workspace, script)
            continue
        result = run_shell(script, workspace, name=name)
        done.append(result)
        if result.status != 0:
            break
    return done


def test_github_actions_workflow(tmp_path: Path) -> None:
    workflow = load("github-actions.yml")
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads "on" as True
    steps = run_github(make_workspace(tmp_path / "ws"))
    assert [(s.name, s.status) for s in steps] == [
        ("Check the manifests", 0),
        ("Build the site", 0),
        ("Upload the site", 0),
    ], "\n".join(s.output for s in steps)
    check, build = steps[0], steps[1]
    assert check.output.strip() == "3 manifests, 0 errors, 0 warnings"
    # the matcher is registered with a path that exists
    (command,) = [line for line in build.output.splitlines() if line.startswith("::add-matcher::")]
    assert Path(command.removeprefix("::add-matcher::")).is_file()
    site = tmp_path / "ws" / "_build" / "html"
    assert (site / "catalogue" / "python.html").is_file()
    assert (site / "catalogue" / "tags.html").is_file()
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_github_actions_workflow_fails_on_a_broken_manifest(tmp_path: Path) -> None:
    def break_python(workspace: Path) -> None:
        manifest = workspace / "_data/official-images/library/python"
        if manifest.exists():
            text = manifest.read_text(encoding="utf-8")
            manifest.write_text(re.sub(r"GitCommit: \w+", "GitCommit: v1", text, count=1))

    steps = run_github(make_workspace(tmp_path / "ws"), break_python)
    assert [(s.name, s.status) for s in steps] == [("Check the manifests", 1)]
    commands = [line for line in steps[0].output.splitlines() if line.startswith("::error ")]
    assert len(commands) == 1
    assert commands[0].startswith("::error file=_data/official-images/library/python,line=")
    assert "invalid GitCommit" in commands[0]


# -- GitLab CI --------------------------------------------------------------------------


def gitlab_line(line: str, workspace: Path) -> str | None:
    """A ``script`` line as this test runs it (None: done here, not in the shell)."""
    words = shlex.split(line)
    if words[:2] == ["git", "clone"]:
        url, dest = words[-2], words[-1]
        copy_repository(URLS[url], workspace / dest)
        return None
    if "pip" in words and "install" in words:
        check_requirements(workspace, line)
        return None
    return line


def test_gitlab_ci(tmp_path: Path) -> None:
    config = load("gitlab-ci.yml")
    workspace = make_workspace(tmp_path / "ws")
    env = {"CI_PROJECT_DIR": str(workspace)}
    for key, value in config["variables"].items():
        env[key] = value.replace("$CI_PROJECT_DIR", str(workspace))

    docs = config["docs"]
    assert docs["cache"]["paths"] == [".cache/pip"]
    assert env["PIP_CACHE_DIR"] == f"{workspace}/.cache/pip"
    outputs = []
    for line in docs["script"]:
        command = gitlab_line(line, workspace)
        if command is None:
            continue
        step = run_shell(command, workspace, env, name=command)
        assert step.status == 0, step.output
        outputs.append(step)
    assert outputs[0].output.strip() == "3 manifests, 0 errors, 0 warnings"
    for path in docs["artifacts"]["paths"]:
        assert (workspace / path / "catalogue" / "python.html").is_file()

    pages = config["pages"]
    assert pages["needs"] == ["docs"]
    assert pages["artifacts"]["paths"] == docs["artifacts"]["paths"] == ["public"]
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    for line in pages["script"]:
        step = run_shell(line, workspace, env, name=line)
        assert step.status == 0, step.output


# -- Read the Docs ----------------------------------------------------------------------

GIT = [
    "git",
    "-c",
    "user.name=test",
    "-c",
    "user.email=test@example.com",
    "-c",
    "init.defaultBranch=main",
]


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run([*GIT, *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def commit_tree(folder: Path) -> str:
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "data")
    return git(folder, "rev-parse", "HEAD")


def submodules(gitmodules: Path) -> dict[str, tuple[str, str]]:
    """``{name: (path, url)}`` as git reads the file."""
    listing = git(gitmodules.parent, "config", "-f", str(gitmodules), "--list")
    found: dict[str, dict[str, str]] = {}
    for entry in listing.splitlines():
        key, _, value = entry.partition("=")
        section, _, rest = key.partition(".")
        assert section == "submodule", key
        name, _, field = rest.rpartition(".")
        found.setdefault(name, {})[field] = value
    return {name: (fields["path"], fields["url"]) for name, fields in found.items()}


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_read_the_docs_with_submodules(tmp_path: Path) -> None:
    config = load("readthedocs.yaml")
    assert config["version"] == 2
    assert config["submodules"]["include"] == "all"
    assert config["sphinx"]["fail_on_warning"] is True
    assert config["python"]["install"] == [{"requirements": "docs/requirements.txt"}]

    # the site repository: the examples, with the two data repositories as submodules
    site = make_workspace(tmp_path / "site")
    shutil.copyfile(EXAMPLES / "readthedocs.yaml", site / ".readthedocs.yaml")
    shutil.copyfile(EXAMPLES / "gitmodules", site / ".gitmodules")
    check_requirements(site, "pip install -r docs/requirements.txt")
    rewrites: list[str] = []
    modules = submodules(site / ".gitmodules")
    assert sorted(URLS[url] for _path, url in modules.values()) == [PROSE, MANIFESTS]
    git(site, "init", "-q")
    git(site, "add", "-A")
    for path, url in modules.values():
        data = tmp_path / "repositories" / URLS[url]
        copy_repository(URLS[url], data)
        commit = commit_tree(data)
        git(site, "update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")
        rewrites += ["-c", f"url.{data.as_uri()}.insteadOf={url}"]
    git(site, "commit", "-q", "-m", "site")

    # what Read the Docs does: clone with the submodules, build with the config's options
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "-c",
        "protocol.file.allow=always",
        *rewrites,
        "clone",
        "-q",
        "--recurse-submodules",
        str(site),
        str(clone),
    )
    conf = clone / config["sphinx"]["configuration"]
    options = ["-W", "--keep-going"] if config["sphinx"]["fail_on_warning"] else []
    out = tmp_path / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-T", *options, "-b", "html", ".", str(out)],
        cwd=conf.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / "catalogue" / "python.html").is_file()
    assert (out / "catalogue" / "debian.html").is_file()
