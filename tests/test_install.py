"""A new plans repository installs kamdocs from wherever the team keeps it, and is
green on its first day: ``kamdocs init --install``, its first steps, CODEOWNERS
and .gitignore, on real folders and real git repositories."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
import yaml

from kamdocs import __version__

from .actions import recorded_calls, recording_gh
from .conftest import ROOT, run
from .wheel import user_env

TODAY = "2026-11-22"
WORKFLOW_FILES = ("plans.yml", "pages.yml", "freshness.yml")

FIRST_STEPS = [
    "git init -b main && kamdocs check",
    "# In mkdocs.yml, write: repo_url: https://github.com/your-org/acme-plans  <- your repository, for edit links",
    'git add -A && git commit -m "Start the plans repository"',
    "git remote add origin https://github.com/your-org/acme-plans.git && git push -u origin main  # <- your repository",
    "git switch -c acme-plan",
    'kamdocs new acme --kind one-page --account "Acme AG" --owner anna@example.com --area "Process Analytics"'
    " --reviewer @your-manager  # <- your reviewer",
    "# In plans/acme.md, write the plan over the TODO placeholders",
    "kamdocs check",
    'git add -A && git commit -m "Acme: first account plan" && git push -u origin acme-plan',
    "gh pr create --fill  # or open the pull request on the forge",
    "mkdocs serve",
    "# Each step explained: https://github.com/kamdocs/kamdocs/blob/main/docs/start.md",
]
"""The first steps, as docs/start.md follows them: written out here, not taken from kamdocs."""

EMPTY_CODEOWNERS = (
    "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)\n# END kamdocs\n"
)


def install_steps(repo: Path) -> list[str]:
    """The ``run`` of the 'Install kamdocs' step of each generated workflow."""
    found = []
    for name in WORKFLOW_FILES:
        workflow = yaml.safe_load((repo / ".github/workflows" / name).read_text(encoding="utf-8"))
        steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
        found += [step["run"] for step in steps if step.get("name") == "Install kamdocs"]
    return found


def pip_arguments(command: str, tmp_path: Path) -> list[str]:
    """The arguments ``command`` hands to ``python`` when bash runs it, as GitHub's runner does:
    a recording ``python`` first on PATH writes them one per NUL-terminated record."""
    tools = tmp_path / "recording-bin"
    tools.mkdir(exist_ok=True)
    record = tmp_path / "arguments"
    python = tools / "python"
    python.write_text(f'#!/bin/sh\nprintf "%s\\0" "$@" > {record}\n', encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return record.read_text(encoding="utf-8").split("\0")[:-1]


@pytest.mark.parametrize(
    "spec",
    [
        "kamdocs==0.3.0",
        "Kamdocs==0.3.0",
        "kamdocs @ git+https://git.example.com/sales/kamdocs.git@v0.3.0",
        "kamdocs @ git+https://git.example.com/sales/kamdocs.git@v0.3.0#egg=kamdocs",
        "tools/kamdocs-0.3.0-py3-none-any.whl",
        "/opt/wheels/kamdocs-0.3.0-py3-none-any.whl",
        "kamdocs @ file:///opt/wheels/kamdocs-0.3.0-py3-none-any.whl",
        "kamdocs @ file:tools/kamdocs-0.3.0-py3-none-any.whl",
        # A URL is one word to PEP 508 whatever it holds: the shell must not run any of it.
        "kamdocs @ https://h.example.com/k.whl?x=$(touch${IFS}pwned)|true",
        'kamdocs@https://h.example.com/k.whl?a="b"&x=:y`touch${IFS}pwned`',
        "kamdocs @ https://h.example.com/k.whl?a='b'&c=${HOME}",
    ],
)
def test_install_reaches_pip_as_written_in_every_workflow(tmp_path: Path, spec: str) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec, "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    commands = install_steps(tmp_path / "r")
    assert len(commands) == 3
    for command in commands:
        assert pip_arguments(command, tmp_path) == ["-m", "pip", "install", spec]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("spec", "found"),
    [
        ("kamdocs==0.3.0\ntouch pwned", "U+000A"),
        ("kamdocs==0.3.0\r", "U+000D"),
        ("kamdocs\t==0.3.0", "U+0009"),
        ("kamdocs\x1b[2J", "U+001B"),
        ("kamdocs==0.3.0\u2028touch pwned", "U+2028"),
        ("kamdocs==0.3.0\x85", "U+0085"),
        ("", "found nothing"),
        (" kamdocs", "spaces around it"),
        ("--index-url=https://evil.example.com/simple", "pip option"),
    ],
)
def test_install_refuses_what_is_not_one_spec_on_one_line(tmp_path: Path, spec: str, found: str) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec], tmp_path)
    assert result.exit_code == 2
    assert result.output.startswith("kamdocs: error: --install: expected")
    assert found in result.output
    assert not (tmp_path / "r").exists()


RUNNING = f"kamdocs=={__version__}"

REFUSED = [
    # (SPEC, what the message says was found or expected, the hint), the hints worked out by hand
    ("kamdocs==0.3.0 # comment", "without a comment", "did you mean 'kamdocs==0.3.0'?"),
    ("tools/kamdocs-0.3.0-py3-none-any.whl --no-deps", "the pip option '--no-deps'",
     "did you mean 'tools/kamdocs-0.3.0-py3-none-any.whl'?"),
    ("kamdocs==0.3.0 -i https://pypi.example.com/simple", "the pip option '-i'", "PIP_INDEX_URL"),
    ("kamdocs==0.3.0; echo pwned", "without an environment marker (;)", "did you mean 'kamdocs==0.3.0'?"),
    ("kamdocs==0.3.0 ; python_version >= '3.10'", "without an environment marker (;)",
     "did you mean 'kamdocs==0.3.0'?"),
    ("${{ secrets.KAMDOCS }}", "the GitHub expression", "GitHub replaces ${{ }} before the step runs"),
    ("kamdocs @ ${{ vars.KAMDOCS_URL }}", "the GitHub expression", "PIP_INDEX_URL in the step's env:"),
    ("C:\\tools\\kamdocs-0.3.0-py3-none-any.whl", "a backslash",
     "did you mean 'tools/kamdocs-0.3.0-py3-none-any.whl'?"),
    ("C:\\tools\\kamdocs.whl", "the workflows run on Linux", "name it relative to its root"),
    (".", "the folder or file '.'", "the plans repository itself"),
    ("./", "the folder or file './'", "the plans repository itself"),
    ("../kamdocs", "the folder or file '../kamdocs'", "a wheel file ends in .whl"),
    ("dist/kamdocs-0.3.0.tar.gz", "the folder or file", "a wheel file ends in .whl"),
    ("mkdocs==1.6", "the package 'mkdocs'", "did you mean 'kamdocs==1.6'?"),
    ("kam_docs==0.3.0", "the package 'kam_docs'", "did you mean 'kamdocs==0.3.0'?"),
    ("tools/mkdocs-1.6.0-py3-none-any.whl", "a wheel of 'mkdocs'", "the workflows install kamdocs"),
    ("tools/kamdocs.whl", "a wheel file named as it was built", "pip refuses a wheel by any other name"),
    ("tools/my wheels/kamdocs-0.3.0-py3-none-any.whl", "without spaces",
     "did you mean 'tools/my-wheels/kamdocs-0.3.0-py3-none-any.whl'?"),
    ("kamdocs @ file://tools/kamdocs-0.3.0-py3-none-any.whl", "a file URL without a host",
     "did you mean 'tools/kamdocs-0.3.0-py3-none-any.whl'?"),
    ("kamdocs'; touch pwned; echo '", "without an environment marker", "pip takes neither"),
    ('"kamdocs"$(touch pwned)', "which pip does not read", f"did you mean '{RUNNING}'?"),
    ("`touch pwned`kamdocs", "which pip does not read", f"did you mean '{RUNNING}'?"),
    ("kamdocs #not a comment: nor a key", "without a comment", f"did you mean '{RUNNING}'?"),
    ("kamdocs && touch pwned || ${HOME}", "which pip does not read", f"did you mean '{RUNNING}'?"),
    ("kamdocs==0.3.0\ntouch pwned", "U+000A", "did you mean 'kamdocs==0.3.0'?"),
    ("kamdocs\t==0.3.0", "U+0009", "did you mean 'kamdocs==0.3.0'?"),
    (" kamdocs==0.3.0 ", "without spaces around it", "did you mean 'kamdocs==0.3.0'?"),
]  # fmt: skip


@pytest.mark.parametrize(("spec", "found", "hint"), REFUSED)
def test_install_refuses_what_pip_would_refuse_and_proposes_what_was_meant(
    tmp_path: Path, spec: str, found: str, hint: str
) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec, "--today", TODAY], tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("kamdocs: error: --install: expected ")
    assert found in line and hint in line, line
    assert not hint.startswith("did you mean") or line.endswith(hint), line
    assert not (tmp_path / "r").exists() and not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("spec", "expected", "meant"),
    [
        ("kamdocs", "one exact version", RUNNING),
        ("kamdocs>=0.2", "one exact version", RUNNING),
        ("kamdocs==0.3.*", "one exact version", RUNNING),
        ("kamdocs @ git+https://git.example.com/sales/kamdocs.git", "a git URL that ends in @ and a release tag",
         f"kamdocs @ git+https://git.example.com/sales/kamdocs.git@v{__version__}"),
        ("kamdocs @ git+ssh://git@git.example.com/sales/kamdocs.git", "a git URL that ends in @",
         f"kamdocs @ git+ssh://git@git.example.com/sales/kamdocs.git@v{__version__}"),
    ],
)  # fmt: skip
def test_install_without_one_version_is_written_with_a_warning(
    tmp_path: Path, spec: str, expected: str, meant: str
) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec, "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"kamdocs: warning: --install: expected {expected}")
    assert f"found {spec!r}; the workflows will install whatever version is newest on the day" in line
    assert line.endswith(f"did you mean {meant!r}?")
    assert install_steps(tmp_path / "r") == [f"python -m pip install {shlex.quote(spec)}"] * 3
    assert "warning" not in result.stdout


def test_a_proposal_is_itself_accepted() -> None:
    """Each "did you mean" names a SPEC that init takes without a word."""
    from kamdocs.edit.install_spec import install_spec_problem

    for spec, _found, _hint in REFUSED:
        problem = install_spec_problem(spec)
        assert problem is not None and problem.refused, spec
        proposed = re.fullmatch(r".*did you mean '(.*)'\?", problem.hint)
        if proposed:
            assert install_spec_problem(proposed[1]) is None, (spec, proposed[1])


# What pip itself does with them: a real pip, on a wheel made here, with no index and no download.


def _wheel(folder: Path, name: str) -> None:
    """A minimal wheel of kamdocs 0.3.0, as much as pip reads to decide what it would install."""
    folder.mkdir(parents=True, exist_ok=True)
    info = "kamdocs-0.3.0.dist-info"
    with zipfile.ZipFile(folder / name, "w") as wheel:
        wheel.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: kamdocs\nVersion: 0.3.0\n")
        wheel.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        wheel.writestr(f"{info}/RECORD", "")


def _real_pip(command: str, repo: Path) -> subprocess.CompletedProcess[str]:
    """``command`` run by bash in ``repo`` with this Python's pip as ``python``: a dry run, from the
    wheels under tools/ only (PIP_* are pip's own settings; no configuration file is read)."""
    tools = repo.parent / "python-bin"
    tools.mkdir(exist_ok=True)
    python = tools / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n', encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}", "PIP_CONFIG_FILE": os.devnull,
           "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(repo / "tools"), "PIP_DRY_RUN": "1", "PIP_NO_DEPS": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_IGNORE_INSTALLED": "1"}  # fmt: skip
    return subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip


@pytest.mark.e2e
def test_what_init_accepts_pip_installs_and_what_it_refuses_pip_refuses(tmp_path: Path) -> None:
    wheel = "kamdocs-0.3.0-py3-none-any.whl"
    _wheel(tmp_path / "wheels", wheel)
    absolute = tmp_path / "wheels" / wheel
    accepted = ["kamdocs==0.3.0", f"tools/{wheel}", str(absolute), f"kamdocs @ file://{absolute}"]
    for n, spec in enumerate(accepted):
        repo = tmp_path / f"accepted-{n}"
        assert run(["init", str(repo), "--install", spec, "--today", TODAY], tmp_path).exit_code == 0
        _wheel(repo / "tools", wheel)
        for command in install_steps(repo):
            done = _real_pip(command, repo)
            assert done.returncode == 0 and "Would install kamdocs-0.3.0" in done.stdout, (spec, done.stderr)
    repo = tmp_path / "refused"
    repo.mkdir()
    _wheel(repo / "tools", wheel)
    _wheel(repo / "tools", "kamdocs.whl")
    refused = ["kamdocs==0.3.0 # comment", f"tools/{wheel} --no-deps", "kamdocs==0.3.0; echo pwned", ".",
               "tools/kamdocs.whl", f"kamdocs @ file://tools/{wheel}"]  # fmt: skip
    for spec in refused:
        assert run(["init", str(tmp_path / "r"), "--install", spec], tmp_path).exit_code == 2, spec
        done = _real_pip(f"python -m pip install {shlex.quote(spec)}", repo)
        assert done.returncode != 0 and "Would install" not in done.stdout, (spec, done.stdout)
    assert not (tmp_path / "r").exists() and not (repo / "pwned").exists()


def test_without_install_init_writes_the_running_version_and_says_where_to_change_it(tmp_path: Path) -> None:
    result = run(["init", str(tmp_path / "r"), "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    assert install_steps(tmp_path / "r") == [f"python -m pip install kamdocs=={__version__}"] * 3
    readme = (tmp_path / "r/README.md").read_text(encoding="utf-8")
    for text in (result.output, readme):
        assert "No public package index serves kamdocs" in " ".join(text.split())
        assert "Install kamdocs" in text and "--install" in text
        assert "docs/install.md" in text
    assert "pypi.org" not in readme
    assert f"    python -m pip install kamdocs=={__version__}\n" in readme


def test_a_wheel_to_commit_is_named_where_it_must_go(tmp_path: Path) -> None:
    wheel = "tools/kamdocs-0.3.0-py3-none-any.whl"
    result = run(["init", str(tmp_path / "r"), "--install", wheel], tmp_path)
    assert f"Copy that wheel to {tmp_path / 'r' / wheel} and commit it" in result.output
    assert "No public package index" not in result.output
    readme = (tmp_path / "r/README.md").read_text(encoding="utf-8")
    assert f"python -m pip install {wheel}" in readme


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ("/opt/wheels/kamdocs-0.3.0-py3-none-any.whl", True),
        ("kamdocs @ file:///opt/wheels/kamdocs-0.3.0-py3-none-any.whl", True),
        ("kamdocs@file:///opt/wheels/kamdocs-0.3.0-py3-none-any.whl", True),
        ("kamdocs @ file:tools/kamdocs-0.3.0-py3-none-any.whl", False),
        ("kamdocs==0.3.0", False),
    ],
)
def test_a_file_of_this_machine_is_named_as_one(tmp_path: Path, spec: str, said: bool) -> None:
    result = run(["init", str(tmp_path / "r"), "--install", spec, "--today", TODAY], tmp_path)
    assert result.exit_code == 0, result.output
    assert (f"  {spec} is a path on this machine; a CI runner has its own files" in result.stdout) is said


def _next_steps(output: str) -> list[str]:
    return [line.strip() for line in output.split("Next:\n", 1)[1].splitlines()]


def test_next_steps_are_the_first_steps_and_the_readme_lists_the_same(tmp_path: Path) -> None:
    result = run(["init", "my plans", "--today", TODAY], tmp_path)
    assert result.output.startswith("Created a plans repository in my plans.\n")
    assert _next_steps(result.output) == ["cd 'my plans'", *FIRST_STEPS]
    readme = (tmp_path / "my plans/README.md").read_text(encoding="utf-8")
    block = readme.split("## First steps\n", 1)[1].split("\n## ", 1)[0]
    assert [line[4:] for line in block.splitlines() if line.startswith("    ")] == FIRST_STEPS


@pytest.mark.e2e
def test_the_next_steps_work_as_typed(tmp_path: Path) -> None:
    """Each line ``init`` prints under "Next:" runs as typed, in one shell, in order, with the forge stood in for
    (the printed address leads, by git's ``url.insteadOf``, to a local bare repository; ``gh`` records its call).
    A comment line is a change in an editor: the one that shows its text (``repo_url``) is made as a person
    would, over the commented line ``mkdocs.yml`` has for it; the plan itself is left with its placeholders."""
    work, origin = tmp_path / "work", tmp_path / "origin.git"
    work.mkdir()
    record = tmp_path / "gh-calls.jsonl"
    recording_gh(tmp_path / "gh-bin", record, {"pr create": "https://github.com/your-org/acme-plans/pull/1"})
    env = user_env(tmp_path / "home", Path(sys.executable).parent, tmp_path / "gh-bin")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], env=env, check=True)
    with (tmp_path / "home" / ".gitconfig").open("a", encoding="utf-8") as config:
        config.write(f'[url "{origin}"]\n\tinsteadOf = https://github.com/your-org/acme-plans.git\n')
    init = subprocess.run(["kamdocs", "init", "acme-plans", "--today", TODAY], cwd=work, env=env, capture_output=True,
                          text=True, check=True)  # fmt: skip
    lines = _next_steps(init.stdout)
    assert lines[-1] == "# Each step explained: https://github.com/kamdocs/kamdocs/blob/main/docs/start.md"
    assert lines[-2] == "mkdocs serve"  # it runs until stopped; the site is built below instead
    repo, here, pwd = work / "acme-plans", work, tmp_path / "pwd"
    for line in lines[:-2]:  # one line at a time, in the folder the one before left the shell in
        edit = re.fullmatch(r"# In mkdocs\.yml, write: (repo_url: \S+)  <- your repository, for edit links", line)
        if edit:
            config = (repo / "mkdocs.yml").read_text(encoding="utf-8")
            assert config.count("\n# repo_url: ") == 1
            (repo / "mkdocs.yml").write_text(re.sub(r"\n# repo_url: .*", f"\n{edit[1]}", config), encoding="utf-8")
            continue
        done = subprocess.run(["bash", "-e", "-c", f'{line}\npwd > "{pwd}"'], cwd=here, env=env, capture_output=True,
                              text=True, check=False)  # fmt: skip
        assert done.returncode == 0, f"{line}\n{done.stdout}{done.stderr}"
        here = Path(pwd.read_text(encoding="utf-8").strip())
    branches = git(origin, "for-each-ref", "--format=%(refname:short)", "refs/heads").stdout.split()
    assert sorted(branches) == ["acme-plan", "main"]
    assert git(origin, "log", "--format=%s", "acme-plan").stdout.splitlines() == [
        "Acme: first account plan", "Start the plans repository"]  # fmt: skip
    owners = git(origin, "show", "acme-plan:.github/CODEOWNERS").stdout.splitlines()
    assert "/plans/acme.md @your-manager" in owners, "the reviewer new was given is the plan's code owner"
    assert "  reviewer: '@your-manager'\n" in git(origin, "show", "acme-plan:plans/acme.md").stdout
    assert [call["args"] for call in recorded_calls(record)] == [["pr", "create", "--fill"]]
    assert codeowners_check(repo)[0] == 0  # the pull request's CODEOWNERS check
    site = subprocess.run(["mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")], cwd=repo, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert site.returncode == 0, site.stderr
    page = (tmp_path / "site" / "plans" / "accounts" / "acme" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/your-org/acme-plans/edit/main/plans/acme.md"' in page


def test_init_in_the_current_folder_speaks_of_it(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    result = run(["init", ".", "--today", TODAY], tmp_path / "here")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Created a plans repository in the current folder.\n")
    assert _next_steps(result.output) == FIRST_STEPS
    assert " in .." not in result.output and "cd ." not in result.output


# .github/CODEOWNERS from the first day


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)


@pytest.fixture
def day_one(tmp_path: Path) -> Path:
    """``kamdocs init x && cd x && git init``."""
    assert run(["init", "x", "--today", TODAY], tmp_path).exit_code == 0
    repo = tmp_path / "x"
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    return repo


def codeowners_check(repo: Path) -> tuple[int, str]:
    result = run(["codeowners", "--check"], repo)
    return result.exit_code, result.output


def test_a_new_repository_passes_its_codeowners_check_before_and_after_new_and_rollover(day_one: Path) -> None:
    owners = day_one / ".github/CODEOWNERS"
    assert owners.read_text(encoding="utf-8") == EMPTY_CODEOWNERS  # the examples' reviewer has no GitHub handle
    assert codeowners_check(day_one)[0] == 0

    made = run(["new", "acme", "--kind", "full", "--account", "Acme", "--owner", "kim@example.com", "--area", "Labs",
                "--reviewer", "@sales-lead", "--today", TODAY], day_one)  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "Updated .github/CODEOWNERS" in made.output
    assert owners.read_text(encoding="utf-8") == (
        "# BEGIN kamdocs: each plan's reviewer must approve changes to it (kamdocs codeowners)\n"
        "/plans/acme.md @sales-lead\n"
        "# END kamdocs\n"
    )
    made = run(["new", "beta", "--kind", "one-page", "--account", "Beta", "--owner", "kim@example.com",
                "--area", "Labs", "--today", TODAY], day_one)  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "CODEOWNERS" not in made.output  # a TODO reviewer has no handle: nothing changed, nothing said
    assert codeowners_check(day_one)[0] == 0

    # A reviewer changed by hand: the pull-request check fails and says what to do; rollover puts it right.
    plan = day_one / "plans/acme.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("@sales-lead", "@lab-head"), encoding="utf-8")
    code, output = codeowners_check(day_one)
    assert code == 1 and "run: kamdocs codeowners, and commit .github/CODEOWNERS" in output
    rolled = run(["rollover", "acme", "--period-start", "2027-11-22", "--period-end", "2028-11-21",
                  "--today", TODAY], day_one)  # fmt: skip
    assert rolled.exit_code == 0, rolled.output
    assert "Updated .github/CODEOWNERS" in rolled.output
    assert "/plans/acme.md @lab-head\n" in owners.read_text(encoding="utf-8")
    assert codeowners_check(day_one)[0] == 0


def test_new_says_the_one_command_when_codeowners_cannot_be_written(day_one: Path, tmp_path: Path) -> None:
    owners = day_one / ".github/CODEOWNERS"
    owners.unlink()
    owners.mkdir()  # a folder where the file belongs: nothing can be written there
    made = run(["new", "acme", "--kind", "one-page", "--account", "Acme", "--owner", "kim@example.com",
                "--area", "Labs", "--reviewer", "@sales-lead", "--today", TODAY], day_one)  # fmt: skip
    assert made.exit_code == 0, made.output
    assert (day_one / "plans/acme.md").is_file()
    assert "kamdocs: warning: .github/CODEOWNERS was not updated (" in made.output
    assert made.output.rstrip().endswith("run: kamdocs codeowners, and commit .github/CODEOWNERS")

    owners.rmdir()
    outside = tmp_path / "elsewhere"
    outside.write_text("mine\n", encoding="utf-8")
    owners.symlink_to(outside)
    made = run(["new", "beta", "--kind", "one-page", "--account", "Beta", "--owner", "kim@example.com",
                "--area", "Labs", "--reviewer", "@sales-lead", "--today", TODAY], day_one)  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "is a symlink and was not updated; run: kamdocs codeowners" in made.output
    assert outside.read_text(encoding="utf-8") == "mine\n"


def test_a_repository_without_codeowners_gets_none_from_new(day_one: Path) -> None:
    (day_one / ".github/CODEOWNERS").unlink()
    made = run(["new", "acme", "--kind", "one-page", "--account", "Acme", "--owner", "kim@example.com",
                "--area", "Labs", "--reviewer", "@sales-lead", "--today", TODAY], day_one)  # fmt: skip
    assert made.exit_code == 0 and "CODEOWNERS" not in made.output
    assert not (day_one / ".github/CODEOWNERS").exists()


# .gitignore


def test_gitignore_covers_what_the_guides_make(day_one: Path) -> None:
    made = ["site/index.html", ".venv/bin/python", ".venv-zensical/bin/zensical", "plans/__pycache__/x.pyc",
            "docs/__pycache__/y.pyc"]  # fmt: skip
    for name in made:
        (day_one / name).parent.mkdir(parents=True, exist_ok=True)
        (day_one / name).write_text("x", encoding="utf-8")
        assert git(day_one, "check-ignore", "-q", name).returncode == 0, name
    for kept in ["plans/example-full.md", ".github/CODEOWNERS", ".github/workflows/plans.yml", "README.md"]:
        assert git(day_one, "check-ignore", "-q", kept).returncode == 1, kept
    assert git(day_one, "add", "-A").returncode == 0
    staged = git(day_one, "diff", "--cached", "--name-only").stdout.split()
    assert ".github/CODEOWNERS" in staged and not [name for name in staged if name in made]


# The pages that say so


def _blocks(page: str, language: str) -> list[str]:
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    return [textwrap.dedent(b) for b in re.findall(rf"^ *```{language}\n(.*?)^ *```$", text, flags=re.M | re.S)]


def test_install_page_shows_what_init_writes_and_how_to_find_it(tmp_path: Path) -> None:
    sh, yml = _blocks("install.md", "sh"), _blocks("install.md", "yaml")
    (command,) = [b for b in sh if b.startswith("kamdocs init ")]
    args = shlex.split(command)[1:]
    assert run([*args, "--today", TODAY], tmp_path).exit_code == 0
    repo = tmp_path / args[1]
    shown = yaml.safe_load(yml[0])[0]
    assert shown["name"] == "Install kamdocs" and install_steps(repo) == [shown["run"]] * 3
    (finder,) = [b for b in sh if b.startswith("grep ")]
    found = subprocess.run(finder, shell=True, cwd=repo, capture_output=True, text=True, check=False).stdout
    assert found.count(f"-        run: {shown['run']}") == 3  # the three lines to change, each found
    for way in ('"kamdocs==0.3.0"', '"kamdocs @ git+https://github.com/kamdocs/kamdocs.git@v0.3.0"',
                "tools/kamdocs-0.3.0-py3-none-any.whl"):  # fmt: skip
        assert f"python3 -m venv .venv && . .venv/bin/activate && python -m pip install {way}\n" in sh


def test_every_spec_the_pages_show_is_accepted_as_it_stands() -> None:
    """The SPECs that docs/install.md and docs/cli.md show in inline code, kamdocs' own words for what
    --install takes (a placeholder with ... left out): init writes each without a refusal or a warning."""
    from kamdocs.edit.install_spec import install_spec_problem

    shown = set()
    for page in ("install.md", "cli.md"):
        text = (ROOT / "docs" / page).read_text(encoding="utf-8")
        shown |= {code for code in re.findall(r"`([^`\n]+)`", text)
                  if re.match(r"kamdocs(==| @ )|tools/kamdocs-", code) and "..." not in code}  # fmt: skip
    assert {"kamdocs==0.3.0", "kamdocs @ git+https://github.com/kamdocs/kamdocs.git@v0.3.0",
            "tools/kamdocs-0.3.0-py3-none-any.whl"} <= shown  # fmt: skip
    assert len(shown) >= 5
    for spec in sorted(shown):
        assert install_spec_problem(spec) is None, spec


def test_command_line_page_lists_the_first_steps(tmp_path: Path) -> None:
    (steps,) = [b for b in _blocks("cli.md", "sh") if b.startswith("cd DIR\n")]
    assert steps.splitlines() == ["cd DIR", *FIRST_STEPS]


def test_init_into_the_current_folder_that_is_not_empty_speaks_of_it(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "notes.txt").write_text("mine\n", encoding="utf-8")
    for name in (".", str(tmp_path / "here")):
        result = run(["init", name, "--today", TODAY], tmp_path / "here")
        assert result.exit_code == 2
        assert result.stderr == (
            "kamdocs: error: the current folder exists and is not empty; "
            "kamdocs init only writes into a new or empty folder\n"
        )
    assert [p.name for p in (tmp_path / "here").iterdir()] == ["notes.txt"]
    elsewhere = run(["init", "here", "--today", TODAY], tmp_path)
    assert elsewhere.stderr.startswith("kamdocs: error: here exists and is not empty;")


def test_init_into_the_current_folder_by_its_full_name_speaks_of_it_too(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    result = run(["init", str(tmp_path / "here" / ".." / "here"), "--today", TODAY], tmp_path / "here")
    assert result.output.startswith("Created a plans repository in the current folder.\n")
    assert _next_steps(result.output) == FIRST_STEPS
