"""docs/start.md, followed literally: every command in it runs, and what it says happens, happens.

The guide is read in order, as a person follows it, in a temporary folder that
holds the wheel the guide names (built for this session) and nothing else:

- each ```sh block runs as written, in bash with ``-e``, its lines in order;
  the working folder and exported variables carry over to the next block, as
  in one terminal (so ``. kamdocs-venv/bin/activate`` holds for what follows);
- a ```text block after it is what those commands print: each of its lines
  must appear in their output, in that order (the guide may show an excerpt);
- each table "In `FILE`, find | and write instead" is done as a person does
  it in an editor: each left cell must be in FILE exactly once and becomes
  the right cell;
- ``mkdocs serve`` runs until the plan's page answers, then is stopped; where
  the machine allows it, in a network namespace of its own, so port 8000 is
  its own whatever else runs here.

The forge is stood in for: ``https://github.com/your-org/acme-plans.git``
leads, by git's ``url.insteadOf`` in the test's own HOME, to a local bare
repository; ``gh`` is a recording one, and the pull request is merged in the
bare repository when the guide merges it. The clock is pinned (SOURCE_DATE_EPOCH,
and the commit dates), so the guide's output does not move with the day.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from .actions import recorded_calls, recording_gh
from .conftest import ROOT
from .wheel import Built, fresh_venv, user_env

pytestmark = pytest.mark.e2e  # installs the wheel into fresh virtual environments

GUIDE = ROOT / "docs" / "start.md"
EPOCH = str(int(datetime(2026, 11, 24, 9, tzinfo=timezone.utc).timestamp()))
WHEN = "2026-11-24T09:00:00+00:00"
FORGE_URL = "https://github.com/your-org/acme-plans.git"

ITEM = re.compile(
    r"^```(?P<lang>\w+)\n(?P<code>.*?)^```$"
    r"|^\| In `(?P<file>[^`]+)`, find \| and write instead \|\n\|[-|]+\|\n(?P<rows>(?:\|[^\n]*\|\n)+)",
    re.MULTILINE | re.DOTALL,
)
ROW = re.compile(r"^\| `(.+)` \| `(.+)` \|$")


@dataclass(frozen=True)
class Item:
    kind: str  # sh, text, edit
    text: str = ""
    file: str = ""
    replacements: tuple[tuple[str, str], ...] = ()


def guide_items() -> list[Item]:
    items = []
    for match in ITEM.finditer(GUIDE.read_text(encoding="utf-8")):
        if match["lang"]:
            assert match["lang"] in ("sh", "text"), f"docs/start.md: a ```{match['lang']} block the test cannot follow"
            items.append(Item(match["lang"], match["code"]))
        else:
            rows = []
            for line in match["rows"].splitlines():
                row = ROW.match(line)
                assert row, f"docs/start.md: a table row the test cannot do: {line}"
                rows.append((row[1], row[2]))
            items.append(Item("edit", file=match["file"], replacements=tuple(rows)))
    return items


SERVE_PROBE = textwrap.dedent(
    """\
    import subprocess, sys, time, urllib.request
    server = subprocess.Popen(["bash", "-e", sys.argv[1]], start_new_session=True)
    pages = {}
    try:
        for path in sys.argv[3:]:
            for _ in range(240):
                try:
                    pages[path] = urllib.request.urlopen("http://127.0.0.1:8000" + path, timeout=5).read().decode()
                    break
                except OSError:
                    if server.poll() is not None:
                        sys.exit(f"mkdocs serve stopped with exit code {server.returncode}")
                    time.sleep(0.5)
            else:
                sys.exit(f"{path} did not answer within two minutes")
    finally:
        import os, signal
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    import json
    open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(pages))
    """
)


def _own_network() -> list[str]:
    """``unshare -n`` where it works (root, or user namespaces): a loopback of the test's own."""
    probe = (
        subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False) if shutil.which("unshare") else None
    )
    return ["unshare", "-n"] if probe is not None and probe.returncode == 0 else []


@dataclass
class Terminal:
    """One terminal: blocks run in bash, the working folder and exported variables carried from one to the next."""

    state: Path
    env: dict[str, str]
    outputs: list[str] = field(default_factory=list)
    count: int = 0

    def script(self, code: str, tail: str = "") -> Path:
        self.count += 1
        script = self.state / f"block-{self.count}.sh"
        restore = f'. "{self.state}/env"\ncd "$(cat "{self.state}/pwd")"\n' if (self.state / "env").exists() else ""
        save = f'\npwd > "{self.state}/pwd"\nexport -p > "{self.state}/env"\n'
        script.write_text(restore + code + "\n" + tail + save, encoding="utf-8")
        return script

    def run(self, code: str, cwd: Path) -> str:
        script = self.script(code)
        result = subprocess.run(["bash", "-e", str(script)], cwd=cwd, env=self.env, capture_output=True, text=True,
                                timeout=600, check=False)  # fmt: skip
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"docs/start.md: this block failed (exit {result.returncode}):\n{code}\n{output}"
        self.outputs.append(output)
        return output

    def serve(self, code: str, cwd: Path, paths: list[str]) -> dict[str, str]:
        """Run the block with ``mkdocs serve`` until each of ``paths`` answers; the pages, by path."""
        import json

        served = self.state / "served.json"
        server = self.state / "serve.sh"
        restore = f'. "{self.state}/env"\ncd "$(cat "{self.state}/pwd")"\n'
        server.write_text(restore + code + "\n", encoding="utf-8")
        probe = self.state / "serve_probe.py"
        probe.write_text(SERVE_PROBE, encoding="utf-8")
        namespace = _own_network()
        up = "ip link set lo up && " if namespace else ""
        command = f"{up}exec {sys.executable} {probe} {server} {served} {' '.join(paths)}"
        result = subprocess.run([*namespace, "bash", "-c", command], cwd=cwd, env=self.env, capture_output=True,
                                text=True, timeout=600, check=False)  # fmt: skip
        assert result.returncode == 0, f"docs/start.md: {code!r} did not serve the site:\n{result.stderr[-3000:]}"
        return json.loads(served.read_text(encoding="utf-8"))


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True).stdout


@dataclass(frozen=True)
class Followed:
    folder: Path
    repo: Path
    origin: Path
    outputs: list[tuple[str, str]]  # (block, what it printed)
    gh_calls: list[list[str]]
    served: dict[str, str]
    checked_on_branch: list[subprocess.CompletedProcess[str]]


def _wheel_named_in_guide() -> str:
    names = set(re.findall(r"kamdocs-[\w.]+-py3-none-any\.whl", GUIDE.read_text(encoding="utf-8")))
    assert len(names) == 1, f"docs/start.md names more than one wheel: {sorted(names)}"
    return names.pop()


@pytest.fixture(scope="module")
def followed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Followed:
    root = tmp_path_factory.mktemp("start-guide")
    folder, home, state = root / "work", root / "home", root / "terminal"
    folder.mkdir()
    state.mkdir()
    name = _wheel_named_in_guide()
    assert name == built.wheel.name, f"docs/start.md names {name}, the wheel built is {built.wheel.name}: update it"
    shutil.copy(built.wheel, folder / name)
    record = root / "gh-calls.jsonl"
    recording_gh(root / "gh-bin", record, {"pr create": "https://github.com/your-org/acme-plans/pull/1"})
    # The python3 the guide starts from: a fresh virtual environment of the Python running the tests, first on
    # PATH (the system's python3 may be older than the versions constraints.txt pins need).
    python = fresh_venv(root / "python")
    env = user_env(home, root / "gh-bin", python, SOURCE_DATE_EPOCH=EPOCH, GIT_AUTHOR_DATE=WHEN,
                   GIT_COMMITTER_DATE=WHEN)  # fmt: skip
    origin = root / "origin.git"
    forge = {"GIT_AUTHOR_NAME": "Forge", "GIT_AUTHOR_EMAIL": "forge@example.com", "GIT_COMMITTER_NAME": "Forge",
             "GIT_COMMITTER_EMAIL": "forge@example.com"}  # fmt: skip
    plain = {**env, "HOME": str(root), **forge}  # the forge's own git, without the redirect below
    _git("init", "-q", "--bare", "-b", "main", str(origin), cwd=root, env=plain)
    with (home / ".gitconfig").open("a", encoding="utf-8") as config:
        config.write(f'[url "{origin}"]\n\tinsteadOf = {FORGE_URL}\n')

    terminal = Terminal(state, env)
    outputs: list[tuple[str, str]] = []
    served: dict[str, str] = {}
    checked: list[subprocess.CompletedProcess[str]] = []
    repo = folder / "acme-plans"
    for item in guide_items():
        if item.kind == "edit":
            path = repo / item.file
            text = path.read_text(encoding="utf-8")
            for old, new in item.replacements:
                assert text.count(old) == 1, f"docs/start.md: {old!r} is in {item.file} {text.count(old)} times"
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
        elif item.kind == "text":
            block, output = outputs[-1]
            lines = iter(output.splitlines())
            for expected in item.text.splitlines():  # each shown line, in order, in what the block printed
                assert any(line == expected for line in lines), f"docs/start.md shows {expected!r} after\n{block}\n" \
                    f"but it printed\n{output}"  # fmt: skip
        elif "mkdocs serve" in item.text:
            served = terminal.serve(item.text, folder, ["/plans/", "/plans/accounts/acme/"])
        else:
            outputs.append((item.text, terminal.run(item.text, folder)))
            if item.text.startswith("gh pr create"):
                # What the forge runs on the pull request (plans.yml's gates), on the branch as pushed.
                branch = root / "pull-request"
                _git("clone", "-q", "-b", "acme-plan", str(origin), str(branch), cwd=root, env=plain)
                kamdocs = str(folder / "kamdocs-venv" / "bin" / "kamdocs")
                for args in (["check", "--strict", "--no-freshness"], ["codeowners", "--check"]):
                    checked.append(subprocess.run([kamdocs, *args], cwd=branch, env=env, capture_output=True,
                                                  text=True, check=False))  # fmt: skip
            if item.text.startswith("gh pr merge"):
                # The forge merges the pull request: a merge commit on main, as "Merge pull request" makes.
                merge = root / "merge"
                _git("clone", "-q", str(origin), str(merge), cwd=root, env=plain)
                _git("merge", "-q", "--no-ff", "-m", "Merge pull request #1", "origin/acme-plan", cwd=merge, env=plain)
                _git("push", "-q", "origin", "main", cwd=merge, env=plain)
    calls = [call["args"] for call in recorded_calls(record)]
    return Followed(folder, repo, origin, outputs, calls, served, checked)


def test_the_guide_has_commands_for_every_step() -> None:
    commands = "\n".join(item.text for item in guide_items() if item.kind == "sh")
    for command in ("pip install", "kamdocs init", "git init", "kamdocs new", "kamdocs check", "git commit",
                    "git push", "gh pr create", "gh pr merge", "git pull", "mkdocs serve"):  # fmt: skip
        assert command in commands, command
    assert [item.file for item in guide_items() if item.kind == "edit"] == ["mkdocs.yml", "plans/acme.md"]


def _guide_steps() -> list[str]:
    """The guide as a list of steps: each command of its ```sh blocks (a line cut at `` && ``), and
    ``edit FILE: TEXT`` for each row of a table that changes FILE, in the order a reader meets them."""
    steps = []
    for item in guide_items():
        if item.kind == "sh":
            steps += [command for line in item.text.splitlines() for command in line.strip().split(" && ") if command]
        elif item.kind == "edit":
            steps += [f"edit {item.file}: {new}" for _old, new in item.replacements]
    return steps


EDIT_STEP = re.compile(r"# In (?P<file>\S+), write(?:: (?P<text>.+?)  <- .*| .*)")


def _as_guide_steps(line: str) -> list[str]:
    """A line ``init`` prints, in the words of ``_guide_steps``; a change in an editor that shows no text is
    ``edit FILE: `` (any change to FILE)."""
    edit = EDIT_STEP.fullmatch(line)
    if edit:
        return [f"edit {edit['file']}: {edit['text'] or ''}"]
    assert not line.startswith("#"), f"a comment init prints that is no step of the guide: {line}"
    return line.split("  # ", 1)[0].split(" && ")


def test_init_lists_the_guides_steps_in_its_order() -> None:
    """What ``init`` prints under "Next:" (and its README lists) is the guide in short: each command is one the
    guide runs, in the same words, and each change in an editor is one the guide makes, in the guide's order."""
    from kamdocs.edit.scaffold import first_steps

    *steps, pointer = first_steps("acme-plans")
    assert pointer.startswith("# ") and pointer.endswith("/blob/main/docs/start.md"), pointer
    guide = _guide_steps()
    position = 0
    for wanted in (step for line in steps for step in _as_guide_steps(line)):
        later = [i for i in range(position, len(guide))
                 if guide[i] == wanted or (wanted.endswith(": ") and guide[i].startswith(wanted))]  # fmt: skip
        assert later, f"init's step {wanted!r} is not in docs/start.md after {guide[:position][-1:]}"
        position = later[0] + 1
    # What the trial found missing from init's steps: the edit link, the forge, a branch, the pull request.
    printed = "\n".join(steps)
    for step in ("repo_url: ", "git remote add origin ", "git push -u origin main", "git switch -c ", "--reviewer @",
                 "gh pr create"):  # fmt: skip
        assert step in printed, step


def test_kamdocs_runs_from_the_virtual_environment_the_guide_makes(followed: Followed) -> None:
    venv = followed.folder / "kamdocs-venv"
    assert (venv / "bin" / "kamdocs").is_file()
    installed = list((venv / "lib").glob("python3*/site-packages/kamdocs/__init__.py"))
    assert len(installed) == 1, "kamdocs is installed into the guide's virtual environment, not elsewhere"


def test_the_repository_keeps_the_wheel_its_workflows_install(followed: Followed) -> None:
    name = _wheel_named_in_guide()
    assert (followed.repo / "tools" / name).is_file()
    for workflow in ("plans.yml", "pages.yml", "freshness.yml"):
        text = (followed.repo / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
        assert f"run: python -m pip install tools/{name}\n" in text, workflow
    tracked = _git("ls-tree", "-r", "--name-only", "main", cwd=followed.origin, env={"PATH": "/usr/bin:/bin"})
    assert f"tools/{name}" in tracked.split(), "the wheel reached the forge with the first push"


def test_the_plan_written_as_the_guide_says_passes_the_pull_request_checks(followed: Followed) -> None:
    plan = (followed.repo / "plans" / "acme.md").read_text(encoding="utf-8")
    assert "TODO" not in plan
    assert "  target: 1200000\n" in plan and "  unit: CHF\n" in plan
    for result in followed.checked_on_branch:
        assert result.returncode == 0, [*result.args, result.stdout, result.stderr]
    codeowners = (followed.repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/plans/acme.md @your-manager" in codeowners.splitlines(), "the guide says @your-manager is asked"


def test_the_pull_request_is_opened_and_merged_with_gh(followed: Followed) -> None:
    assert followed.gh_calls == [["pr", "create", "--fill"], ["pr", "merge", "--merge"]]
    log = _git("log", "--format=%s", "main", cwd=followed.repo, env={"PATH": "/usr/bin:/bin"}).splitlines()
    assert log[0] == "Merge pull request #1"  # what git pull brought from the forge
    assert sorted(log[1:]) == ["Acme: first account plan", "Start the plans repository"]
    assert (followed.repo / "plans" / "acme.md").is_file()


def test_mkdocs_serve_shows_the_plan(followed: Followed) -> None:
    assert "Acme AG" in followed.served["/plans/"]
    page = followed.served["/plans/accounts/acme/"]
    assert "Acme AG" in page and "Grow order intake at Acme to 1.2 million francs" in page
    # repo_url, as the guide has it written into mkdocs.yml: the page's edit link opens the plan on the forge.
    assert 'href="https://github.com/your-org/acme-plans/edit/main/plans/acme.md"' in page


def test_the_guide_comes_first_in_the_docs_and_the_readme() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([\w-]+\.md)\)", index)
    assert links[0] == "start.md", links[:3]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme.split("\n## ", 1)[0]
    assert "docs/start.md" in head, "the README links the first-steps guide before its first section"
    import yaml

    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    # The menu is in sections (guide, reference, internals): the guide's first page comes right after Home.
    assert list(nav[1]) == ["Guide"], nav[:2]
    assert list(nav[1]["Guide"][0].values()) == ["start.md"], nav[1]
