"""Text of new files: plans from a template (``kamdocs new``) and a whole plans
repository (``kamdocs init``).

Plans are written as text, not dumped YAML, so they read like hand-written
ones: comments, order and spacing chosen for authors. Every value that comes
from the command line is quoted where YAML needs it.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kamdocs import __version__
from kamdocs.calendar.intervals import year_less_a_day
from kamdocs.config import DEFAULT_FULL_SECTIONS
from kamdocs.edit.editor_files import repository_editor_files
from kamdocs.escaping import shell_word
from kamdocs.plan.model import Condition, Obstacle, SuccessFactor
from kamdocs.plan.spellings import number_text
from kamdocs.plan.yamltext import scalar
from kamdocs.system import package_data
from kamdocs.system.package_data import WORKFLOWS

INSTALL_TOKEN = "KAMDOCS_INSTALL"

DOCS = "https://github.com/kamdocs/kamdocs/blob/main/docs/"
"""kamdocs' user guide, where a new repository's files and output point to: no public site serves it."""

INSTALL_DOCS = f"{DOCS}install.md"
"""The page on installing kamdocs from a company index, a git URL or a wheel: no public index serves it."""

START_DOCS = f"{DOCS}start.md"
"""The first-steps guide, whose steps ``init`` prints and its README lists (``first_steps``)."""


def default_install() -> str:
    """What ``init`` installs without ``--install``: the kamdocs that is running, by version."""
    return f"kamdocs=={__version__}"


def install_command(spec: str) -> str:
    """The shell command that installs ``spec`` (a requirement, a URL or a wheel file), quoted for the shell.

    ``spec`` is one word to pip whatever it holds: quotes, ``$(...)`` or
    spaces (``kamdocs @ git+https://...``) reach pip as written, never the shell.
    """
    return f"python -m pip install {shlex.quote(spec)}"


def workflow_text(name: str, install: str) -> str:
    """A workflow for a plans repository, with ``install`` (a shell command) as the step that installs kamdocs.

    The command is written as a YAML scalar that reads back as exactly that
    command: quoted when plain YAML would read it otherwise (`` #``, ``: ``).
    """
    text = package_data.read_text(f"templates/workflows/{name}")
    return text.replace(INSTALL_TOKEN, scalar(install, text=True))


@dataclass(frozen=True)
class Commitment:
    """A commitment of a drafted plan; ``due`` None is a date to fill in (a month on, marked TODO)."""

    id: str
    action: str
    owner: str
    due: date | None
    status: str = "open"
    percent_complete: Decimal | None = None
    resolves: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kpi:
    """A KPI of a drafted plan; a figure or date that is None is written as ``new`` writes it, marked TODO."""

    id: str
    name: str
    unit: str
    target: Decimal | None
    actual: Decimal | None
    as_of: date | None
    direction: str = "higher-is-better"


@dataclass(frozen=True)
class Contact:
    """A person in a drafted plan's buying centre; None is a key left out."""

    name: str
    role: str
    title: str | None = None
    email: str | None = None
    attitude: str | None = None
    influence: str | None = None
    reports_to: str | None = None
    relationship_owner: str | None = None
    last_contact: date | None = None


@dataclass(frozen=True)
class PlanDraft:
    """A plan to write: what is known of it, and None (or nothing) for what is not.

    ``kamdocs new`` knows only its options; ``kamdocs import`` knows what a spreadsheet held.
    Both are written by :func:`draft_text`, so an imported plan reads like a new one: what is
    missing is the placeholder ``new`` writes. A required figure or date that is missing
    (a target, a review date) cannot be a placeholder text and pass the schema; with ``missing``
    set it is written as ``new`` writes it with a ``# TODO`` comment naming why, which
    ``kamdocs check`` reports (rule ``todo``) until someone fills it in. ``new`` sets no
    ``missing``: its dates are meant, and its figures are placeholders of a template.
    """

    id: str
    kind: str
    account: str
    owner: str
    business_area: str
    reviewer: str | None
    today: date
    status: str = "active"
    crm_id: str | None = None
    region: str | None = None
    tier: str | None = None
    interval: str = "quarterly"
    last_reviewed: date | None = None
    statement: str | None = None
    metric: str | None = None
    target: Decimal | None = None
    unit: str | None = None
    baseline: Decimal | None = None
    actual: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    factors: tuple[SuccessFactor, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    contacts: tuple[Contact, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()
    missing: str | None = None


def draft_text(draft: PlanDraft) -> str:
    """The plan file for ``draft``: its values where known, ``new``'s placeholders where not. A draft of only
    what ``kamdocs new`` is asked for gives a plan with today's dates and TODO placeholders that pass the
    schema; the ``todo`` rule reports each one until it is replaced (no errors, but warnings)."""
    lines = ["---", *_head_lines(draft), *_goal_lines(draft)]
    if draft.kind == "one-page" or draft.factors:  # a full plan keeps the chain its workbook has
        lines += _chain_lines(draft)
    lines += _commitment_lines(draft)
    if draft.kind == "full" or draft.kpis:  # a one-page plan keeps the KPIs its workbook has
        lines += _kpi_lines(draft)
    lines += _contact_lines(draft)
    lines += ["---", ""]
    lines += _body_lines(draft)
    return "\n".join(lines)


def _text(value: str) -> str:
    return scalar(value, text=True)


def _todo(draft: PlanDraft, what: str) -> str:
    """The comment that marks a figure or date written in place of a missing one (none for ``new``)."""
    return f"  # TODO: {what}; {draft.missing}" if draft.missing else ""


def _day(draft: PlanDraft, value: date | None, default: date, what: str) -> str:
    return value.isoformat() if value is not None else default.isoformat() + _todo(draft, what)


def _figure(draft: PlanDraft, value: Decimal | None, what: str) -> str:
    return number_text(value) if value is not None else "0" + _todo(draft, what)


def _head_lines(draft: PlanDraft) -> list[str]:
    t = draft.today
    reviewer = (
        _text(draft.reviewer) if draft.reviewer else scalar("TODO: the business area manager who judges this plan")
    )
    lines = [
        f"id: {draft.id}",
        f"account: {_text(draft.account)}",
        f"kind: {draft.kind}",
        f"status: {draft.status}",
        f"owner: {_text(draft.owner)}",
        f"business_area: {_text(draft.business_area)}",
    ]
    lines += [f"{key}: {_text(value)}" for key, value in _optional_keys(draft) if value is not None]
    lines += [
        "review:",
        f"  interval: {draft.interval}",
        f"  last_reviewed: {_day(draft, draft.last_reviewed, t, 'the day of the last review')}",
        f"  reviewer: {reviewer}",
    ]
    return lines


def _optional_keys(draft: PlanDraft) -> tuple[tuple[str, str | None], ...]:
    return (("region", draft.region), ("tier", draft.tier), ("crm_id", draft.crm_id))


def _goal_lines(draft: PlanDraft) -> list[str]:
    t = draft.today
    start = draft.period_start or t
    lines = [
        "goal:",
        f"  statement: {_text(draft.statement) if draft.statement else _TODO_STATEMENT}",
        f"  metric: {_text(draft.metric) if draft.metric else _TODO_METRIC}",
        f"  target: {_figure(draft, draft.target, 'the goal target')}",
        f"  unit: {_text(draft.unit) if draft.unit else _TODO_UNIT}",
    ]
    lines += [
        f"  {key}: {number_text(value)}"
        for key, value in (("baseline", draft.baseline), ("actual", draft.actual))
        if value is not None
    ]
    lines += [
        "  period:",
        f"    start: {_day(draft, draft.period_start, t, 'the first day of the goal period')}",
        f"    end: {_day(draft, draft.period_end, year_less_a_day(start), 'the last day of the goal period')}",
    ]
    return lines


_TODO_STATEMENT = "'TODO: the account sales goal in one sentence'"
_TODO_METRIC = "'TODO: what is measured, e.g. order intake'"
_TODO_UNIT = "'TODO: CHF, EUR, units...'"
_TODO_CHAIN = (
    SuccessFactor(
        "csf-1",
        "TODO: what must go right to reach the goal",
        (Condition("nc-1", "TODO: what must be true for that", (Obstacle("obs-1", "TODO: what stands in the way"),)),),
    ),
)


def _chain_lines(draft: PlanDraft) -> list[str]:
    lines = ["success_factors:"]
    for factor in draft.factors or _TODO_CHAIN:
        lines += [f"  - id: {factor.id}", f"    statement: {_text(factor.statement)}"]
        if factor.conditions:
            lines.append("    conditions:")
        for condition in factor.conditions:
            lines += [f"      - id: {condition.id}", f"        statement: {_text(condition.statement)}"]
            if condition.obstacles:
                lines.append("        obstacles:")
            for obstacle in condition.obstacles:
                lines += [f"          - id: {obstacle.id}", f"            statement: {_text(obstacle.statement)}"]
    return lines


def _obstacle_ids(draft: PlanDraft) -> list[str]:
    return [o.id for f in draft.factors or _TODO_CHAIN for c in f.conditions for o in c.obstacles]


def _commitment_lines(draft: PlanDraft) -> list[str]:
    t = draft.today
    commitments = draft.commitments or (
        Commitment(
            "c-1",
            "TODO: what will be delivered",
            draft.owner,
            t + timedelta(days=30),
            resolves=tuple(_obstacle_ids(draft)) if draft.kind == "one-page" else (),
        ),
    )
    lines = ["commitments:"]
    for c in commitments:
        lines += [
            f"  - id: {c.id}",
            f"    action: {_text(c.action)}",
            f"    owner: {_text(c.owner)}",
            f"    due: {_day(draft, c.due, t + timedelta(days=30), 'the due date')}",
            f"    status: {c.status}",
        ]
        if c.percent_complete is not None:
            lines.append(f"    percent_complete: {number_text(c.percent_complete)}")
        if c.resolves:
            lines.append(f"    resolves: [{', '.join(c.resolves)}]")
    return lines


def _kpi_lines(draft: PlanDraft) -> list[str]:
    t = draft.today
    kpis = draft.kpis or (Kpi("kpi-1", "TODO: what the scorecard measures", "%", Decimal(0), Decimal(0), t),)
    lines = ["kpis:"]
    for k in kpis:
        lines += [
            f"  - id: {k.id}",
            f"    name: {_text(k.name)}",
            f"    unit: {_text(k.unit)}",
            f"    target: {_figure(draft, k.target, 'the KPI target')}",
            f"    actual: {_figure(draft, k.actual, 'the KPI actual')}",
            f"    as_of: {_day(draft, k.as_of, t, 'the day the actual was measured')}",
            f"    direction: {k.direction}",
        ]
    return lines


def _contact_lines(draft: PlanDraft) -> list[str]:
    lines = ["buying_center:"] if draft.contacts else []
    for person in draft.contacts:
        lines += [f"  - name: {_text(person.name)}"]
        for key, value in (
            ("title", person.title),
            ("email", person.email),
            ("role", person.role),
            ("attitude", person.attitude),
            ("influence", person.influence),
            ("reports_to", person.reports_to),
            ("relationship_owner", person.relationship_owner),
        ):
            if value is not None:
                lines.append(f"    {key}: {_text(value)}")
        if person.last_contact is not None:
            lines.append(f"    last_contact: {person.last_contact.isoformat()}")
    return lines


def _body_lines(draft: PlanDraft) -> list[str]:
    lines: list[str] = []
    written = dict(draft.sections)
    if draft.kind == "full":
        for title in DEFAULT_FULL_SECTIONS:
            text = written.pop(title, None) or _section_todo(title)
            lines += [f"## {title}", "", text, ""]
    elif "Notes" in written:
        lines += [written.pop("Notes"), ""]
    else:
        lines += ["TODO: notes for the account team and the reviewer.", ""]
    for title, text in written.items():
        lines += [f"## {title}", "", text, ""]
    return lines


def full_plan_body(sections: Sequence[str]) -> str:
    """A full plan's body: each section's heading and a TODO, as ``kamdocs new`` and the form write it."""
    return "\n".join(line for title in sections for line in (f"## {title}", "", _section_todo(title), ""))


def _section_todo(title: str) -> str:
    return f"TODO: write the {_in_a_sentence(title)} part of the plan."


def _in_a_sentence(title: str) -> str:
    """A section title as it reads inside a sentence: ``Sales objectives`` -> ``sales objectives``, but an
    abbreviation keeps its capitals (``KPIs``, not ``kpis``, which is the front matter's key)."""
    first = title.split()[0]
    return title if first[1:] != first[1:].lower() else title[0].lower() + title[1:]


LATEST_START = date(9998, 12, 31)
"""The last "today" a new plan can start on: its dates reach up to a year ahead, and the calendar ends in 9999."""


def example_plans(today: date) -> dict[str, str]:
    """Two complete plans, one of each kind, fresh on ``today``: what ``kamdocs init`` ships."""
    t = today
    end = year_less_a_day(t).isoformat()
    due = (t + timedelta(days=45)).isoformat()
    later = (t + timedelta(days=90)).isoformat()
    one_page = f"""---
id: example-one-page
account: Example Customer AG
kind: one-page
owner: kam@example.com
business_area: Process Analytics
review:
  interval: quarterly
  last_reviewed: {t.isoformat()}
  reviewer: bam@example.com
goal:
  statement: Become the standard supplier for the customer's new production line
  metric: order intake
  target: 500000
  unit: CHF
  baseline: 120000
  actual: 120000
  period:
    start: {t.isoformat()}
    end: {end}
success_factors:
  - id: csf-specified
    statement: Our instruments are specified for the new line
    conditions:
      - id: nc-engineering
        statement: The customer's engineering team trusts our data
        obstacles:
          - id: obs-no-reference
            statement: We have no reference installation in this industry
commitments:
  - id: c-reference-visit
    action: Arrange a visit to a reference customer in a related industry
    owner: kam@example.com
    due: {due}
    status: open
    resolves: [obs-no-reference]
buying_center:
  - name: Alex Example
    title: Head of Engineering
    role: technical-buyer
    attitude: neutral
    influence: high
    relationship_owner: kam@example.com
    last_contact: {t.isoformat()}
---

Replace this example with your own plan, or delete it. `kamdocs new` writes a
new plan from the template.
"""
    # Each part says something about this customer, as a plan a manager approves does (docs/quality.md:
    # twenty words of the plan's own text); Commitments and KPIs are filled from the front matter.
    sections = {
        "Overview": "Example Industries runs three laboratories that release every batch on our balances and "
        "titrators. Its strategy is to halve the time from sample to release by 2028.",
        "Requirements": "Batches wait when an instrument is out of calibration or a result is typed by hand, so "
        "they need calibration on site within two days and results sent straight to their LIMS.",
        "Organisation": "Central procurement decides frameworks above EUR 250k; the laboratory managers write the "
        "technical requirements and the head of quality can veto any change to release testing.",
        "Mapping": "The head of procurement is neutral and compares us on total cost; the Basel laboratory "
        "manager is our champion since the LIMS pilot and argues for us internally.",
        "Sales objectives": "Renew the framework at EUR 900k a year for three years, with service for all three "
        "laboratories included, and replace the competitor's titrators in the two other sites.",
        "Strategy and actions": "We win on release time, not on price: a service offer that guarantees "
        "calibration within two days, and the LIMS connector that removes typing, shown on their own samples.",
        "Added value": "Calibration within two days on every site, the LIMS connector with its audit trail, and "
        "a yearly training for new laboratory staff, whom they lose and hire often.",
        "Commitments": "Listed above, each with its owner and due date.",
        "KPIs": "The scorecard above.",
    }
    body = "\n".join(f"## {title}\n\n{text}\n" for title, text in sections.items())
    full = f"""---
id: example-full
account: Example Industries Ltd
kind: full
owner: kam@example.com
team: [kam@example.com, service@example.com]
business_area: Laboratory Instruments
review:
  interval: semiannual
  last_reviewed: {t.isoformat()}
  reviewer: bam@example.com
goal:
  statement: Renew the framework agreement with service included
  metric: framework value
  target: 900000
  unit: EUR
  baseline: 750000
  actual: 750000
  period:
    start: {t.isoformat()}
    end: {end}
commitments:
  - id: c-service-offer
    action: Present the service offer to procurement
    owner: service@example.com
    due: {later}
    status: open
kpis:
  - id: kpi-share-of-wallet
    name: Share of wallet
    unit: "%"
    target: 60
    actual: 45
    as_of: {t.isoformat()}
    direction: higher-is-better
buying_center:
  - name: Dana Example
    title: Head of Procurement
    role: economic-buyer
    attitude: neutral
    influence: high
    relationship_owner: kam@example.com
    last_contact: {t.isoformat()}
  - name: Sam Example
    title: Laboratory Manager Basel
    role: champion
    attitude: supporter
    influence: medium
    relationship_owner: service@example.com
    last_contact: {t.isoformat()}
---

{body}"""
    return {"plans/example-one-page.md": one_page, "plans/example-full.md": full}


MKDOCS_YML = """\
site_name: Key account plans
# Name your repository, and every page gets an edit link: on a plan's page it opens the
# plan file in the forge's web editor, ready for a pull request.
# repo_url: https://github.com/your-org/plans
# Where the links open: edit/BRANCH/DOCS_FOLDER/ (GitLab: -/edit/main/docs/).
edit_uri: edit/main/docs/
theme:
  name: material
  # language: de # the site's words in German (or fr, it), figures as the Swiss write them: 1’250’000 CHF
  font: false # no Google Fonts: the site works on an internal network
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/brightness-4
        name: Switch to light mode
  features:
    - content.action.edit
plugins:
  - search
  - kamdocs:
      plans_dir: plans
      schema: schema/plans.schema.json
      default_interval: quarterly
      # github_handles:            # for kamdocs codeowners: reviewer -> GitHub handle
      #   bam@example.com: "@your-bam"
"""

SCHEMA_STUB = """\
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "urn:plans-repository",
  "$comment": "This repository's plan schema. It takes kamdocs' plan format (urn:kamdocs:plan:v1) and narrows or extends it here. Keys under properties add to or narrow the bundled ones; unevaluatedProperties false keeps unknown keys errors.",
  "$ref": "urn:kamdocs:plan:v1#/$defs/plan",
  "properties": {
    "business_area": {
      "$comment": "To allow only your business areas, replace this object with: {\\"enum\\": [\\"Process Analytics\\", \\"Laboratory Instruments\\"]}"
    }
  },
  "unevaluatedProperties": false
}
"""

PRE_COMMIT = """\
# Checks changed plans before each commit (format and structure; no dates).
# Install the hooks once with: pre-commit install
repos:
  - repo: local
    hooks:
      - id: kamdocs-check
        name: kamdocs check
        entry: kamdocs check --no-freshness
        language: system
        files: ^plans/.*\\.md$
"""

README = """\
# Key account plans

One Markdown file per key account under `plans/`, checked by kamdocs and
published as a site.

## Install kamdocs

No public package index serves kamdocs. The three workflows under
`.github/workflows/` install it in their `Install kamdocs` step with:

    {install}

To install it from elsewhere (a company index, a git URL with a tag, or a
wheel committed under `tools/`), change that step in all three workflows
(`kamdocs init --install SPEC` writes it into a new folder). See
[Installing kamdocs]({docs}).
On your machine, install it the same way into a virtual environment:

    python3 -m venv .venv && . .venv/bin/activate && {install}

## First steps

In the folder `kamdocs init` made, with your own values where a line says
`<- your`:

{steps}

`mkdocs serve` shows the site at http://127.0.0.1:8000/plans/. `kamdocs new` keeps
`.github/CODEOWNERS` current; after changing a reviewer by hand, run
`kamdocs codeowners` and commit `.github/CODEOWNERS`.

## Change a plan

1. Create a branch and edit `plans/ID.md`, or start a new plan:
   `kamdocs new ID --kind one-page --account "Name" --owner you@example.com --area "Business area" --reviewer @your-manager`,
   with the account's id (lowercase letters, digits and hyphens, like `acme`) for ID.
2. Check it: `kamdocs check` (errors must be fixed; warnings say what is stale or a placeholder).
3. Open a pull request. The plan's reviewer, its business area manager, approves it.

After a review meeting, record it with `kamdocs review plans/ID.md`.
At the end of a goal period, start the next one with
`kamdocs rollover plans/ID.md --period-start YYYY-MM-DD --period-end YYYY-MM-DD`.

## See the site

`mkdocs serve`, then open http://127.0.0.1:8000/plans/.
"""

DOCS_INDEX = """\
---
hide:
  - toc
---

# Key account plans

<!-- kamdocs:summary -->

## All plans

Filter by any word, or pick a business area, owner or freshness state; the
address then holds the filter, so a filtered view is a link to send.

<!-- kamdocs:table -->

More: the [dashboard with charts](plans/index.md), the
[commitments of all accounts](plans/commitments.md), the
[budget roll-up](plans/budget.md) and the [scorecard](plans/scorecard.md).
"""


YOURS = "<- your"
"""Marks, in ``first_steps``, a value each team writes its own of: typed as it stands, it leads nowhere useful."""


def first_steps(folder: str | None) -> tuple[str, ...]:
    """The steps of docs/start.md after ``init``, in its order; ``folder`` is None for the current one.

    ``init`` prints them and the README it writes lists them, so both say the
    same as the guide. Each line is one a shell takes: a command that works as
    typed (a real id, a reviewer handle that ``new`` accepts and writes to
    CODEOWNERS), or a comment for what is done in an editor. What only the team
    knows, the forge address and the reviewer, is marked ``<- your``. The last
    line points to the guide, which explains each step.
    """
    forge = "https://github.com/your-org/acme-plans"
    steps = (
        "git init -b main && kamdocs check",
        f"# In mkdocs.yml, write: repo_url: {forge}  {YOURS} repository, for edit links",
        'git add -A && git commit -m "Start the plans repository"',
        f"git remote add origin {forge}.git && git push -u origin main  # {YOURS} repository",
        "git switch -c acme-plan",
        'kamdocs new acme --kind one-page --account "Acme AG" --owner anna@example.com --area "Process Analytics"'
        f" --reviewer @your-manager  # {YOURS} reviewer",
        "# In plans/acme.md, write the plan over the TODO placeholders",
        "kamdocs check",
        'git add -A && git commit -m "Acme: first account plan" && git push -u origin acme-plan',
        "gh pr create --fill  # or open the pull request on the forge",
        "mkdocs serve",
        f"# Each step explained: {START_DOCS}",
    )
    return steps if folder is None else (f"cd {shell_word(folder)}", *steps)


GITIGNORE = """\
# What kamdocs and the guides make that is not the plans: the built site,
# virtual environments (.venv, .venv-zensical), Python's caches and kamdocs'
# history cache (.cache/kamdocs: cache it in CI, never commit it).
site/
.venv*/
__pycache__/
.cache/
"""


DEPENDABOT = """\
# The workflows pin each action to a commit, with its tag in a comment, so a
# moved tag cannot change what runs. Dependabot keeps the pins current: once a
# month it opens a pull request that moves the commit and the tag together.
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: monthly
"""


def repository_files(today: date, install: str | None = None) -> dict[str, str]:
    """Every file ``kamdocs init`` writes, by path, except ``.github/CODEOWNERS`` (written from the plans).

    ``install`` is what pip installs in the workflows (default: this version of kamdocs).
    """
    command = install_command(install or default_install())
    steps = "\n".join(f"    {step}" for step in first_steps(None))
    readme = README.format(install=command, docs=INSTALL_DOCS, steps=steps)
    files = {
        "mkdocs.yml": MKDOCS_YML,
        "schema/plans.schema.json": SCHEMA_STUB,
        ".pre-commit-config.yaml": PRE_COMMIT,
        "README.md": readme,
        "docs/index.md": DOCS_INDEX,
        ".gitignore": GITIGNORE,
        ".github/dependabot.yml": DEPENDABOT,
    }
    files.update(repository_editor_files(SCHEMA_STUB, "plans"))
    files.update(example_plans(today))
    files.update({f".github/workflows/{name}": workflow_text(name, command) for name in WORKFLOWS})
    return files
