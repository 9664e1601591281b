"""The plan form (Decap CMS, ``kamdocs editor``) driven in Chromium against its real local backend.

decap-server from npm (the lock in tests/vendor/decap-server) runs in git mode on a temporary
repository holding this repository's sample plans, on 127.0.0.1; the form's page and
configuration are the generator's, pointed at it, and Decap's script is the one kamdocs ships.
People's work goes through the editorial workflow: a new one-page plan, a new full plan, one
commitment of a sample plan marked done; then fields emptied, a line of a plan's text edited, and a
status changed in a plan written by hand. After each save the file is read from the branch Decap
made (``cms/COLLECTION/ID``, one commit on main, dated by the test): it passes ``kamdocs check``
with no error, and ``kamdocs diff`` against the commit before shows the change made in the form and
nothing else. No request leaves 127.0.0.1.

What the form wrote is asserted byte for byte: docs/editing.md ("What the form editor
rewrites") says the same in words, and tests/editor-files/ keeps two such files for the tests of
``kamdocs review`` and ``rollover`` on them (tests/test_review.py, tests/test_rollover.py).
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, GitRepo, run

sys.path.insert(0, str(ROOT / "scripts"))
from browser import serve
from decap_backend import DecapServerError, FormHandler, decap_server, install_decap_server, write_admin_folder

pytestmark = pytest.mark.e2e  # Chromium, Node.js

TODAY = "2026-11-25"
"""The day the plans are checked and diffed on: before every due date below, inside every review interval."""
SAVED_ON = "2026-11-25T09:30:00+00:00"
"""The date of decap-server's commits (the sample plans' own commit is on 2026-11-01)."""


HANDWRITTEN = """\
---
# Written by hand, the way people do: comments, quotes, flow style, keys in their own order.
id: handwritten
account: "Handwritten AG"
kind: one-page
owner: kim.berger@example.com
status: active
business_area: Process Analytics
goal:
  statement: Grow Handwritten's order intake for level, pressure and flow instruments to CHF 500k in 2027
  unit: 'CHF'
  target: 500000.0
  period: {end: 2027-12-31, start: 2027-01-01}
review:
  last_reviewed: '2026-11-20'   # the kick-off
  interval: quarterly
  reviewer: bam@example.com
tags: []
success_factors:
  - id: csf-a
    statement: We are the standard supplier
    conditions:
      - id: nc-a
        statement: Engineering specifies us
        obstacles:
          - id: obs-a
            statement: >-
              The old specification
              names a competitor
commitments:
  - id: c-a
    status: open
    action: Run a specification workshop
    owner: service.team@example.com
    due: 2027-02-15
    resolves: [obs-a]
    x-ticket: SALES-101
---

Body text.
"""
"""A valid plan written as a person writes one, in the test repository beside the sample plans."""


@dataclass(frozen=True)
class Form:
    """The form on 127.0.0.1 and the repository it saves into."""

    repo: GitRepo
    url: str
    backend: str


@pytest.fixture(scope="session")
def decap_server_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """decap-server installed once per session from the pinned lock; a missing npm fails the test."""
    try:
        return install_decap_server(tmp_path_factory.mktemp("decap-server"))
    except DecapServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="module")
def form(decap_server_script: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Form]:
    """The sample plans in a git repository, decap-server on it, and the form served beside it."""
    from kamdocs.cli.editor import wanted_admin_files
    from kamdocs.config import load_config
    from kamdocs.system.package_data import editor_bundle

    here = tmp_path_factory.mktemp("form")
    repo = GitRepo(here / "repo")
    shutil.copytree(ROOT / "plans", repo.path / "plans")
    shutil.copy(ROOT / "mkdocs.yml", repo.path / "mkdocs.yml")
    repo.write("plans/handwritten.md", HANDWRITTEN)
    # A plan the form saved before (tests/editor-files/acme.md), under an id of its own.
    acme = (ROOT / "tests" / "editor-files" / "acme.md").read_text(encoding="utf-8")
    repo.write("plans/saved-before.md", acme.replace("id: acme\n", "id: saved-before\n", 1))
    repo.commit("The sample plans", when="2026-11-01T08:00:00+00:00")
    with decap_server(decap_server_script, repo.path, SAVED_ON, here / "decap-server.log") as backend:
        files = wanted_admin_files(load_config(repo.path / "mkdocs.yml"), local_backend=backend)
        write_admin_folder(here / "site", files, editor_bundle())
        with serve(here / "site", FormHandler) as base:
            yield Form(repo, f"{base}/admin/", backend)


@pytest.fixture
def page(form: Form, chromium: Any) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page at 1366 × 900 and every address it asks for."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    yield page, requests
    context.close()


# -- the form, as a person uses it: by the labels it shows ----------------------------------------


def _label(scope: Any, text: str, nth: int = 0) -> Any:
    """The ``nth`` label reading ``text`` (Decap adds " (optional)" to a field that may stay empty)."""
    return scope.locator("label").filter(has_text=re.compile(rf"^{re.escape(text)}( \(optional\))?$")).nth(nth)


def field(scope: Any, text: str, nth: int = 0) -> Any:
    """The input (or, for an object or list, the group) the ``nth`` label ``text`` inside ``scope`` names."""
    return scope.locator(f"[id='{_label(scope, text, nth).get_attribute('for')}']")


def choose(scope: Any, text: str, option: str, nth: int = 0) -> None:
    """Pick ``option`` in the select labelled ``text``."""
    field(scope, text, nth).click()
    scope.page.get_by_role("option", name=option, exact=True).click()


def sign_in(page: Any, form: Form) -> None:
    """Open the form; the local backend's sign-in is one button, no account."""
    page.goto(form.url)
    page.get_by_role("button", name="Login").click()


def save(page: Any) -> None:
    """Save through the editorial workflow and wait until Decap says the branch has the entry."""
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Entry saved").wait_for()


def goal(
    page: Any, *, statement: str, metric: str, target: str, unit: str, baseline: str, start: str, end: str
) -> None:
    box = field(page, "Account sales goal")
    field(box, "Goal").fill(statement)
    field(box, "Metric").fill(metric)
    field(box, "Target").fill(target)
    field(box, "Unit").fill(unit)
    field(box, "Baseline").fill(baseline)
    field(box, "Period start").fill(start)
    field(box, "Period end").fill(end)


def head(
    page: Any, *, plan_id: str, account: str, owner: str, area: str, interval: str, reviewed: str, reviewer: str
) -> None:
    field(page, "Plan id").fill(plan_id)
    field(page, "Account").fill(account)
    field(page, "Owner").fill(owner)
    field(page, "Business area").fill(area)
    review = field(page, "Review")
    field(review, "Review interval").fill(interval)
    field(review, "Last reviewed").fill(reviewed)
    field(review, "Reviewer").fill(reviewer)


# -- what was saved ---------------------------------------------------------------------------------


def saved(form: Form, branch: str, path: str) -> str:
    """The file as Decap committed it on ``branch``, with the branch's one commit on top of main."""
    assert form.repo.git("rev-parse", f"{branch}~1").strip() == form.repo.git("rev-parse", "main").strip()
    assert form.repo.git("diff", "--name-only", f"{branch}~1", branch).split() == [path]
    assert form.repo.git("log", "-1", "--format=%aI %cI", branch).split() == [SAVED_ON, SAVED_ON]
    return form.repo.git("show", f"{branch}:{path}")


def checked(form: Form, tmp_path: Path, plan_id: str, text: str) -> list[str]:
    """``kamdocs check``'s lines for the plan ``text`` alone, with the repository's mkdocs.yml."""
    (tmp_path / "plans").mkdir()
    shutil.copy(form.repo.path / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "plans" / f"{plan_id}.md").write_text(text, encoding="utf-8")
    result = run(["check", "--today", TODAY, f"plans/{plan_id}.md"], tmp_path)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def diffed(form: Form, branch: str) -> list[str]:
    """``kamdocs diff`` between the commit before ``branch``'s and ``branch``."""
    result = run(["diff", "--today", TODAY, f"{branch}~1", branch], form.repo.path)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def local_only(form: Form, requests: list[str]) -> None:
    """Every request went to the form's server or to decap-server, both on 127.0.0.1."""
    assert any(url.startswith(form.url) for url in requests)
    assert any(url.startswith(form.backend) for url in requests)
    assert [url for url in requests if not url.startswith("http://127.0.0.1:")] == []


# -- (a) a one-page plan ----------------------------------------------------------------------------

ONE_PAGE = """\
---
id: acme
account: Acme AG
kind: one-page
status: active
owner: kim.berger@example.com
business_area: Process Analytics
review:
  interval: quarterly
  last_reviewed: 2026-11-20
  reviewer: bam@example.com
goal:
  statement: Grow Acme's order intake for level sensors to CHF 500k in 2027
  metric: order intake
  target: 500000
  unit: CHF
  baseline: 350000
  period:
    start: 2027-01-01
    end: 2027-12-31
success_factors:
  - id: csf-standard
    statement: Our sensors become Acme's standard for new tanks
    conditions:
      - id: nc-spec
        statement: Acme engineering names our sensors in the tank specification
        obstacles:
          - id: obs-old-spec
            statement: The current specification names a competitor's sensor
commitments:
  - id: c-workshop
    action: Run a specification workshop with Acme engineering
    owner: service.team@example.com
    due: 2027-02-15
    status: open
    resolves:
      - obs-old-spec
  - id: c-template
    action: Send Acme engineering a specification template that names our part
      number for each tank size
    owner: product.team@example.com
    due: 2027-03-31
    status: in-progress
    resolves:
      - obs-old-spec
---
"""
"""What the form writes for the one-page plan filled in below (tests/editor-files/acme.md). Keys in
the form's (the schema's) order; the lists as block lists, ``resolves`` too, one item a line; a text
longer than the line folded at a space, the rest indented on the next line (YAML reads the one text
back); no body at all after the closing ``---``."""


COMMITMENTS = (
    ("c-workshop", "Run a specification workshop with Acme engineering", "service.team@example.com", "2027-02-15", "open"),
    ("c-template", "Send Acme engineering a specification template that names our part number for each tank size",
     "product.team@example.com", "2027-03-31", "in-progress"),
)  # fmt: skip
"""The one-page plan's two commitments: id, action, owner, due date, status; both resolve the one obstacle."""


def test_one_page_plan_made_in_the_form(form: Form, page: tuple[Any, list[str]], tmp_path: Path) -> None:
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name="One-page plans").click()
    tab.get_by_role("link", name=re.compile(r"One-page plan$")).click()
    head(
        tab,
        plan_id="acme",
        account="Acme AG",
        owner="kim.berger@example.com",
        area="Process Analytics",
        interval="quarterly",
        reviewed="2026-11-20",
        reviewer="bam@example.com",
    )
    goal(
        tab,
        statement="Grow Acme's order intake for level sensors to CHF 500k in 2027",
        metric="order intake",
        target="500000",
        unit="CHF",
        baseline="350000",
        start="2027-01-01",
        end="2027-12-31",
    )

    factors = field(tab, "Critical success factors")
    factors.get_by_role("button", name="Add critical success factor").click()
    field(factors, "Success factor id").fill("csf-standard")
    field(factors, "Success factor").fill("Our sensors become Acme's standard for new tanks")
    conditions = field(factors, "Necessary conditions")
    conditions.get_by_role("button", name="Add necessary condition").click()
    field(conditions, "Condition id").fill("nc-spec")
    field(conditions, "Condition").fill("Acme engineering names our sensors in the tank specification")
    obstacles = field(conditions, "Obstacles")
    obstacles.get_by_role("button", name="Add obstacle").click()
    field(obstacles, "Obstacle id").fill("obs-old-spec")
    field(obstacles, "Obstacle").fill("The current specification names a competitor's sensor")

    commitments = field(tab, "Commitments")
    for n, (cid, action, owner, due, status) in enumerate(COMMITMENTS):
        commitments.get_by_role("button", name="Add commitment").click()
        field(commitments, "Commitment id", n).fill(cid)
        field(commitments, "Action", n).fill(action)
        field(commitments, "Owner", n).fill(owner)
        field(commitments, "Due date", n).fill(due)
        choose(commitments, "Status", status, n)
        resolves = field(commitments, "Resolves", n)
        resolves.get_by_role("button", name="Add obstacle id").click()
        field(resolves, "Obstacle id").fill("obs-old-spec")
    save(tab)

    text = saved(form, "cms/one_page/acme", "plans/acme.md")
    assert text == ONE_PAGE == (ROOT / "tests" / "editor-files" / "acme.md").read_text(encoding="utf-8")
    assert checked(form, tmp_path, "acme", text) == ["Checked 1 plan: 0 errors, 0 warnings."]
    # The quality score, on 2026-11-25: the goal is complete (statement, metric, target, unit, baseline),
    # the chain closed (every element written, the obstacle answered, both commitments tied to it), the
    # work owned by others than the plan owner and due inside the period, the review on time, nothing due
    # yet and the period not begun (no actual expected). Only people: no economic buyer (3 of 10) and no
    # champion or coach (3), and a quarter of 10 more as the economic buyer is essential (2.5): 8.5,
    # rounded to 9. 100 - 9 = 91.
    assert diffed(form, "cms/one_page/acme") == ["plans/acme.md (Acme AG): plan added", "  quality score: 91"]
    local_only(form, requests)


# -- (b) a full plan --------------------------------------------------------------------------------

SECTIONS = {
    "Overview": "Borealis runs two pulp mills in Finland and buys analysers centrally from Helsinki; "
    "we supply the older Kemi mill and want the Oulu mill as well.",
    "Requirements": "The Oulu renewal needs inline consistency and brightness analysers that work with their "
    "existing control system and their own calibration routine.",
    "Organisation": "Purchasing in Helsinki decides, the Oulu mill manager recommends, and the process "
    "engineers in Oulu write the technical evaluation that purchasing follows.",
    "Mapping": "We know the Kemi engineers well but nobody in Oulu yet; the Kemi mill manager has offered "
    "to introduce us to his colleague there.",
    "Sales objectives": "Win the Oulu analyser renewal in 2027 and keep the Kemi service contract, "
    "together EUR 2.4 million of order intake in the year.",
    "Strategy and actions": "Show the Oulu engineers the Kemi installation, offer a three-month trial "
    "analyser, and price the renewal together with the service contract.",
    "Added value": "Our service engineers in Kemi can reach Oulu within a day, which no competitor "
    "without a Finnish service team can promise them.",
    "Commitments": "The commitments are in the plan's fields.",
    "KPIs": "The share of wallet is in the plan's fields.",
}
"""Each part's text as typed over its TODO; every part the quality score judges has 20 words or more."""

FULL = """\
---
id: borealis
account: Borealis Paper Oy
kind: full
status: active
owner: kim.berger@example.com
business_area: Process Analytics
review:
  interval: semiannual
  last_reviewed: 2026-11-20
  reviewer: "@anna-meier"
goal:
  statement: "Win the Oulu mill's analyser renewal: EUR 2.4 m in 2027"
  metric: order intake
  target: 2400000
  unit: EUR
  baseline: 900000
  period:
    start: 2027-01-01
    end: 2027-12-31
kpis:
  - id: kpi-share
    name: Share of wallet
    unit: "%"
    target: 40
    actual: 25.5
    as_of: 2026-11-01
    direction: higher-is-better
---
""" + "\n".join(f"## {title}\n\n{text}\n" for title, text in SECTIONS.items())
"""What the form writes for the full plan below. A value YAML would read otherwise is quoted, in
double quotes: the reviewer's handle (``@`` starts no plain scalar), the goal (``: `` inside), the
unit ``%``. The body follows the closing ``---`` with no empty line (the form's pre-filled text starts
with the first heading): the nine parts as the form pre-filled them, each TODO replaced."""


def test_full_plan_made_in_the_form(form: Form, page: tuple[Any, list[str]], tmp_path: Path) -> None:
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name="Full plans").click()
    tab.get_by_role("link", name=re.compile(r"Full plan$")).click()
    head(
        tab,
        plan_id="borealis",
        account="Borealis Paper Oy",
        owner="kim.berger@example.com",
        area="Process Analytics",
        interval="semiannual",
        reviewed="2026-11-20",
        reviewer="@anna-meier",
    )
    goal(
        tab,
        statement="Win the Oulu mill's analyser renewal: EUR 2.4 m in 2027",
        metric="order intake",
        target="2400000",
        unit="EUR",
        baseline="900000",
        start="2027-01-01",
        end="2027-12-31",
    )
    kpis = field(tab, "KPIs")
    kpis.get_by_role("button", name="Add kpi").click()
    field(kpis, "KPI id").fill("kpi-share")
    field(kpis, "Name").fill("Share of wallet")
    field(kpis, "Unit").fill("%")
    field(kpis, "Target").fill("40")
    field(kpis, "Actual").fill("25.5")
    field(kpis, "As of").fill("2026-11-01")
    choose(kpis, "Direction", "higher-is-better")

    # The body's editor, in Markdown mode: the nine parts pre-filled, each a heading and a TODO line.
    # Select each TODO line (a triple click) and type over it, as a person would.
    body = _label(tab, "Plan text").locator("xpath=../..").get_by_role("textbox")
    for title, text in SECTIONS.items():
        todo = body.get_by_text(re.compile(r"^TODO: write the .* part of the plan\.$")).first
        assert todo.inner_text().lower() == f"TODO: write the {title} part of the plan.".lower()
        todo.click(click_count=3)
        tab.keyboard.type(text)
    save(tab)

    text = saved(form, "cms/full/borealis", "plans/borealis.md")
    assert text == FULL
    assert checked(form, tmp_path, "borealis", text) == ["Checked 1 plan: 0 errors, 0 warnings."]
    # On 2026-11-25: completeness (45, a full plan without a chain) loses nothing: the goal's five parts
    # are there and each of the seven judged parts has 20 words or more. No commitments: ownership loses
    # all 15. People: no economic buyer, no champion, 9 as for the one-page plan. The KPI was measured
    # within the semiannual interval, the review is on time, nothing is due. 100 - 15 - 9 = 76.
    assert diffed(form, "cms/full/borealis") == [
        "plans/borealis.md (Borealis Paper Oy): plan added",
        "  quality score: 76",
    ]
    local_only(form, requests)


# -- (c) one commitment of a sample plan --------------------------------------------------------------


def test_commitment_status_changed_in_a_sample_plan(form: Form, page: tuple[Any, list[str]], tmp_path: Path) -> None:
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name=re.compile(r"Novaris Pharma AG")).click()
    commitments = field(tab, "Commitments")
    # The list opens with its items folded; the list's own Expand unfolds them all.
    commitments.get_by_role("button", name="Expand").first.click()
    assert field(commitments, "Commitment id", 1).input_value() == "c-qa-resident"
    choose(commitments, "Status", "done", 1)
    save(tab)

    before = (ROOT / "plans" / "novaris-pharma.md").read_text(encoding="utf-8")
    text = saved(form, "cms/one_page/novaris-pharma", "plans/novaris-pharma.md")
    # The change made, and nothing else, in the data: the same keys, values and body, but one status.
    old_front, old_body = before.split("\n---\n", 1)
    new_front, new_body = text.split("\n---\n", 1)
    old, new = yaml.safe_load(old_front.removeprefix("---\n")), yaml.safe_load(new_front.removeprefix("---\n"))
    assert old["commitments"][1]["status"] == "open"
    old["commitments"][1]["status"] = "done"
    assert new == old
    assert new_body == old_body
    # And in the text: what Decap rewrote besides (tests/editor-files/novaris-pharma.md is this file).
    assert text == (ROOT / "tests" / "editor-files" / "novaris-pharma.md").read_text(encoding="utf-8")

    assert checked(form, tmp_path, "novaris-pharma", text) == ["Checked 1 plan: 0 errors, 0 warnings."]
    # Completing a commitment due on 2027-01-31 changes no score on 2026-11-25: it is not due yet
    # (delivery counts what is due), and an obstacle answered by a done commitment is still answered.
    assert diffed(form, "cms/one_page/novaris-pharma") == [
        "plans/novaris-pharma.md (Novaris Pharma AG)",
        "  commitment completed c-qa-resident: open → done",
    ]
    local_only(form, requests)


# -- (d) fields emptied in the form ----------------------------------------------------------------


def test_fields_emptied_in_the_form_are_left_out(form: Form, page: tuple[Any, list[str]], tmp_path: Path) -> None:
    """Decap saves an emptied field as "" (an empty text, number or date), which check rejects; the
    form's page drops such keys before saving (its preSave hook), as if the person had deleted the line."""
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name=re.compile(r"Alpen Dairy Cooperative")).click()
    field(tab, "Region").fill("")
    field(tab, "Tier").fill("")
    commitments = field(tab, "Commitments")
    commitments.get_by_role("button", name="Expand").first.click()
    assert field(commitments, "Commitment id", 1).input_value() == "c-adapter-stock"
    field(commitments, "Percent complete", 1).fill("")
    save(tab)

    before = (ROOT / "plans" / "alpen-dairy.md").read_text(encoding="utf-8")
    text = saved(form, "cms/one_page/alpen-dairy", "plans/alpen-dairy.md")
    old_front, old_body = before.split("\n---\n", 1)
    new_front, new_body = text.split("\n---\n", 1)
    old, new = yaml.safe_load(old_front.removeprefix("---\n")), yaml.safe_load(new_front.removeprefix("---\n"))
    del old["region"], old["tier"], old["commitments"][1]["percent_complete"]
    assert new == old
    assert new_body == old_body
    for line in ("region: DACH\n", "tier: B\n", "    percent_complete: 50\n"):
        assert line in before and line not in text
    assert '""' not in text

    lines = checked(form, tmp_path, "alpen-dairy", text)
    assert not [line for line in lines if "error[" in line]
    # The review is 5 days late and two commitments overdue on 2026-11-25, as before the change.
    assert lines[-1] == "Checked 1 plan: 0 errors, 3 warnings."
    assert diffed(form, "cms/one_page/alpen-dairy") == ["No plan changed in business terms."]
    local_only(form, requests)


# -- (e) the plan's text edited in the form --------------------------------------------------------


def test_text_edited_in_the_form_keeps_the_rest_byte_for_byte(
    form: Form, page: tuple[Any, list[str]], tmp_path: Path
) -> None:
    """The body's editor opens in Markdown mode (the generator puts it first): the text as typed, every
    other byte of the body kept. (Decap's rich-text mode writes the whole body again: it dropped the
    empty line after the front matter and made a wrapped line starting "2027. " a numbered list.)"""
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name="Full plans").click()
    tab.get_by_role("link", name=re.compile(r"Helvetia Chemicals SA")).click()
    body = _label(tab, "Plan text").locator("xpath=../..").get_by_role("textbox")
    # The last line, selected whole and typed again with a sentence more.
    body.get_by_text(re.compile(r"^Scorecard in the front matter")).click(click_count=3)
    tab.keyboard.type(
        "Scorecard in the front matter: share of wallet and open service complaints. Both reviewed with Petra in November."
    )
    save(tab)

    before = (ROOT / "plans" / "helvetia-chemicals.md").read_text(encoding="utf-8")
    text = saved(form, "cms/full/helvetia-chemicals", "plans/helvetia-chemicals.md")
    old_front, old_body = before.split("\n---\n", 1)
    new_front, new_body = text.split("\n---\n", 1)
    assert yaml.safe_load(new_front.removeprefix("---\n")) == yaml.safe_load(old_front.removeprefix("---\n"))
    last = "Scorecard in the front matter: share of wallet and open service complaints.\n"
    assert old_body.endswith(last)
    assert new_body == old_body.removesuffix(last) + last.replace(".\n", ". Both reviewed with Petra in November.\n")

    assert checked(form, tmp_path, "helvetia-chemicals", text)[-1].startswith("Checked 1 plan: 0 errors")
    assert diffed(form, "cms/full/helvetia-chemicals") == ["No plan changed in business terms."]
    local_only(form, requests)


# -- (f) what the form rewrites in a plan written by hand -------------------------------------------

HANDWRITTEN_SAVED = """\
---
id: handwritten
account: Handwritten AG
kind: one-page
status: active
owner: kim.berger@example.com
business_area: Process Analytics
tags: []
review:
  last_reviewed: 2026-11-20
  interval: quarterly
  reviewer: bam@example.com
goal:
  statement: Grow Handwritten's order intake for level, pressure and flow
    instruments to CHF 500k in 2027
  unit: CHF
  target: 500000
  period:
    end: 2027-12-31
    start: 2027-01-01
success_factors:
  - id: csf-a
    statement: We are the standard supplier
    conditions:
      - id: nc-a
        statement: Engineering specifies us
        obstacles:
          - id: obs-a
            statement: The old specification names a competitor
commitments:
  - id: c-a
    status: in-progress
    action: Run a specification workshop
    owner: service.team@example.com
    due: 2027-02-15
    resolves:
      - obs-a
    x-ticket: SALES-101
---

Body text.
"""
"""HANDWRITTEN after one status changed in the form, as docs/editing.md describes it: the comments gone;
the top-level keys in the form's order (status before owner, tags before review before goal), the keys
inside each mapping in the file's own (period's end before its start); flow style as block style; no
quotes where YAML needs none (the quoted date too); 500000.0 as 500000; the folded obstacle on one line,
the long goal folded at a space; the body as it was."""


def test_what_the_form_rewrites_in_a_plan_written_by_hand(
    form: Form, page: tuple[Any, list[str]], tmp_path: Path
) -> None:
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name=re.compile(r"Handwritten AG")).click()
    commitments = field(tab, "Commitments")
    commitments.get_by_role("button", name="Expand").first.click()
    choose(commitments, "Status", "in-progress", 0)
    save(tab)

    text = saved(form, "cms/one_page/handwritten", "plans/handwritten.md")
    assert text == HANDWRITTEN_SAVED
    assert checked(form, tmp_path, "handwritten", text)[-1].startswith("Checked 1 plan: 0 errors")
    assert diffed(form, "cms/one_page/handwritten") == ["No plan changed in business terms."]
    local_only(form, requests)


# -- (g) a plan the form saved before ---------------------------------------------------------------


def test_a_plan_the_form_saved_before_changes_by_its_changed_line_only(
    form: Form, page: tuple[Any, list[str]], tmp_path: Path
) -> None:
    """Once a plan is in the form's style, the next save's text diff is the change itself."""
    tab, requests = page
    sign_in(tab, form)
    tab.get_by_role("link", name=re.compile(r"\(saved-before\)")).click()
    commitments = field(tab, "Commitments")
    commitments.get_by_role("button", name="Expand").first.click()
    assert field(commitments, "Commitment id", 0).input_value() == "c-workshop"
    choose(commitments, "Status", "done", 0)
    save(tab)

    saved(form, "cms/one_page/saved-before", "plans/saved-before.md")
    text_diff = form.repo.git("diff", "-U0", "cms/one_page/saved-before~1", "cms/one_page/saved-before")
    changed = [line for line in text_diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-    status: open", "+    status: done"]
    assert diffed(form, "cms/one_page/saved-before") == [
        "plans/saved-before.md (Acme AG)",
        "  commitment completed c-workshop: open → done",
    ]
    local_only(form, requests)
