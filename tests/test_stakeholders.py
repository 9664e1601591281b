"""The stakeholder index: matching people across plans, stale contacts, the command and the site page."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from kamdocs.plan.model import Plan, plan_from_data
from kamdocs.report.stakeholders import stakeholders, summarise
from kamdocs.rules.freshness import issues

from .commands import MKDOCS, TODAY, kamdocs_in_process, mkdocs_build_in_process, write_repo
from .conftest import ROOT, plan_text
from .htmlscan import Scan, table_rows

DAY = date(2026, 11, 1)


def make_plan(plan_id: str, account: str, contacts: list[dict[str, Any]], status: str = "active",
              owner: str = "kam@example.com", interval: str = "quarterly") -> Plan:  # fmt: skip
    data = {
        "id": plan_id,
        "account": account,
        "kind": "full",
        "status": status,
        "owner": owner,
        "business_area": "Area",
        "review": {"reviewer": "bam@example.com", "interval": interval, "last_reviewed": "2026-10-01"},
        "goal": {
            "statement": "Grow",
            "target": 1,
            "unit": "CHF",
            "period": {"start": "2026-01-01", "end": "2026-12-31"},
        },
        "buying_center": [{"role": "coach", **c} for c in contacts],
    }
    return plan_from_data(data, f"plans/{plan_id}.md", "")


def people_of(*plans: Plan, today: date = DAY) -> list[tuple[str, tuple[str, ...]]]:
    return [(p.name, p.accounts) for p in stakeholders(plans, today, "quarterly")]


# Matching


def test_one_email_in_two_accounts_is_one_person_with_each_plans_view() -> None:
    a = make_plan("a", "Alpha AG", [{"name": "Anna Meier", "email": "Anna.Meier@Group.example", "role": "champion",
                                     "attitude": "supporter", "relationship_owner": "ann@example.com"}])  # fmt: skip
    b = make_plan("b", "Beta GmbH", [{"name": "A. Meier", "email": "anna.meier@group.example", "role": "blocker",
                                      "attitude": "skeptic"}])  # fmt: skip
    [person] = stakeholders([b, a], DAY, "quarterly")
    assert person.accounts == ("Alpha AG", "Beta GmbH")
    assert person.name == "Anna Meier"
    assert [(x.plan_id, x.contact.role, x.contact.attitude) for x in person.appearances] == [
        ("a", "champion", "supporter"),
        ("b", "blocker", "skeptic"),
    ]
    assert [x.owner for x in person.appearances] == ["ann@example.com", "kam@example.com"]


def test_same_name_in_two_accounts_without_email_is_two_people() -> None:
    a = make_plan("a", "Alpha AG", [{"name": "Peter Muster"}])
    b = make_plan("b", "Beta GmbH", [{"name": "Peter Muster"}])
    assert people_of(a, b) == [("Peter Muster", ("Alpha AG",)), ("Peter Muster", ("Beta GmbH",))]


def test_name_and_account_match_ignores_case_and_whitespace() -> None:
    a = make_plan("a", "Alpha AG", [{"name": "Peter  Muster"}])
    b = make_plan("b", "alpha  ag", [{"name": " peter muster"}])
    [person] = stakeholders([a, b], DAY, "quarterly")
    assert person.name == "Peter Muster"
    assert [x.plan_id for x in person.appearances] == ["a", "b"]


def test_different_emails_are_different_people_even_with_one_name() -> None:
    a = make_plan("a", "Alpha AG", [{"name": "Jo Lee", "email": "jo.lee@alpha.example"}])
    b = make_plan("b", "Alpha AG", [{"name": "Jo Lee", "email": "jo.lee2@alpha.example"}])
    assert len(stakeholders([a, b], DAY, "quarterly")) == 2


def test_entry_without_email_joins_the_one_person_of_that_name_with_one() -> None:
    a = make_plan("a", "Alpha AG", [{"name": "Jo Lee", "email": "jo@alpha.example"}])
    b = make_plan("b", "Alpha AG", [{"name": "JO LEE"}])
    [person] = stakeholders([a, b], DAY, "quarterly")
    assert person.email == "jo@alpha.example" and len(person.appearances) == 2
    # Two people of that name with different addresses: the name-only entry cannot tell which.
    c = make_plan("c", "Alpha AG", [{"name": "Jo Lee", "email": "other@alpha.example"}])
    assert len(stakeholders([a, b, c], DAY, "quarterly")) == 3


def test_archived_plans_are_left_out_and_drafts_kept() -> None:
    archived = make_plan("a", "Alpha AG", [{"name": "Old Contact"}], status="archived")
    draft = make_plan("d", "Delta AG", [{"name": "New Contact"}], status="draft")
    assert people_of(archived, draft) == [("New Contact", ("Delta AG",))]


# Stale contacts


def test_stale_is_the_contact_stale_rule_with_today_passed_in() -> None:
    plan = make_plan("a", "Alpha AG", [{"name": "Jo Lee", "last_contact": "2026-01-31"}])
    # Two quarters after 31 January is 31 July (month ends clamp): stale from 1 August on.
    [on_the_day] = stakeholders([plan], date(2026, 7, 31), "quarterly")
    assert not on_the_day.stale and on_the_day.appearances[0].stale_message is None
    [after] = stakeholders([plan], date(2026, 8, 1), "quarterly")
    assert after.stale
    [finding] = [i for i in issues(plan, date(2026, 8, 1), "quarterly", 14) if i.rule == "contact-stale"]
    assert after.appearances[0].stale_message == finding.message
    never = make_plan("b", "Beta AG", [{"name": "No Date"}])
    assert not stakeholders([never], date(2030, 1, 1), "quarterly")[0].stale


def test_summary_counts_people_per_attitude_and_stale_people_per_owner() -> None:
    old = "2025-01-01"
    a = make_plan("a", "Alpha AG", [
        {"name": "Ann", "email": "ann@x.example", "attitude": "supporter", "last_contact": old},
        {"name": "Bob", "attitude": "skeptic", "last_contact": old, "relationship_owner": "rel@example.com"},
        {"name": "Cy"},
    ])  # fmt: skip
    b = make_plan("b", "Beta AG", [{"name": "Ann", "email": "ANN@x.example", "attitude": "skeptic",
                                    "last_contact": old}])  # fmt: skip
    summary = summarise(stakeholders([a, b], DAY, "quarterly"))
    assert (summary.people, summary.accounts) == (3, 2)
    assert dict(summary.attitudes) == {"supporter": 1, "neutral": 0, "skeptic": 2, "opponent": 0, "not given": 1}
    # Ann is stale in two plans of kam@: counted once; Bob's relationship owner is named.
    assert summary.stale_by_owner == (("kam@example.com", 1), ("rel@example.com", 1))


# The command and the site, on files


def plan_file(plan_id: str, account: str, contacts: str, status: str = "") -> str:
    replace = {"account: Example Account AG": f"account: {json.dumps(account)}",
               "---\n\nBody text.": f"buying_center:\n{contacts}---\n\nBody text."}  # fmt: skip
    if status:
        replace["kind: one-page"] = f"kind: one-page\nstatus: {status}"
    return plan_text(plan_id, **replace)


HOSTILE = "<img src=x onerror=alert(1)>"
FORMULA = "=cmd|' /C calc'!A0"
PLANS = {
    "alpha": plan_file("alpha", "Alpha AG", f"""\
  - name: Anna Meier
    email: anna@group.example
    role: champion
    attitude: supporter
    last_contact: 2026-01-15
    relationship_owner: rel@example.com
  - name: {json.dumps(HOSTILE)}
    title: {json.dumps(FORMULA)}
    role: blocker
    attitude: opponent
"""),
    "beta": plan_file("beta", "Beta & <Sons>", """\
  - name: A. Meier
    email: ANNA@group.example
    role: coach
    attitude: neutral
    last_contact: 2026-10-20
"""),
    "gamma": plan_file("gamma", "Gamma SA", f"""\
  - name: {json.dumps(FORMULA)}
    role: user-buyer
""", status="archived"),
}  # fmt: skip


def test_command_in_every_format(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, PLANS)
    table = kamdocs_in_process(repo, "stakeholders", "--today", TODAY)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split()[:3] == ["Name", "Title", "Organisation"]
    assert lines[1].startswith(HOSTILE) and FORMULA in lines[1]  # "<" sorts before letters
    anna = lines[2:4]
    assert anna[0].startswith("Anna Meier <anna@group.example>") and "2026-01-15 stale" in anna[0]
    assert anna[1].startswith(" ") and "2026-10-20" in anna[1] and "stale" not in anna[1]
    assert "2 people in 2 accounts. Attitudes: 1 supporter, 1 neutral, 0 skeptic, 1 opponent." in table.stdout
    assert "Stale contacts per owner (our contact, else the plan owner): rel@example.com 1." in table.stdout

    document = json.loads(kamdocs_in_process(repo, "stakeholders", "--today", TODAY, "--format", "json").stdout)
    assert document["version"] == 1 and document["today"] == TODAY
    assert document["summary"]["stale_by_owner"] == {"rel@example.com": 1}
    [anna_record] = [p for p in document["people"] if p["email"]]
    assert [a["plan"] for a in anna_record["accounts"]] == ["alpha", "beta"]
    assert anna_record["accounts"][0]["finding"].startswith("expected contact with Anna Meier within two review")
    assert anna_record["last_contact"] == "2026-10-20" and anna_record["stale"] is True

    out = kamdocs_in_process(repo, "stakeholders", "--today", TODAY, "--format", "csv").stdout
    assert out.startswith("\ufeffperson,name,email")
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert [(r["person"], r["plan"]) for r in rows] == [("1", "alpha"), ("2", "alpha"), ("2", "beta")]
    assert rows[0]["name"] == HOSTILE and rows[0]["title"] == "'" + FORMULA
    assert FORMULA not in [cell for r in rows for cell in r.values()]

    only_beta = kamdocs_in_process(repo, "stakeholders", "--today", TODAY, "--format", "json", "plans/beta.md")
    assert [p["name"] for p in json.loads(only_beta.stdout)["people"]] == ["A. Meier"]


def test_command_errors_are_one_line(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, {**PLANS, "broken": plan_text("broken").replace("kind: one-page", "kind: nope")})
    result = kamdocs_in_process(repo, "stakeholders", "--today", TODAY, "--format", "json")
    assert result.returncode == 0
    assert "in the plans; plans with errors are left out" in result.stderr
    bad_day = kamdocs_in_process(repo, "stakeholders", "--today", "tomorrow")
    assert (
        bad_day.returncode == 2 and bad_day.stderr.startswith("kamdocs: error:") and "Traceback" not in bad_day.stderr
    )
    bad_email = write_repo(
        tmp_path / "x", {"a": plan_file("a", "A", "  - name: X\n    email: not an address\n    role: coach\n")}
    )
    checked = kamdocs_in_process(bad_email, "check", "--today", TODAY)
    assert checked.returncode == 1 and "e-mail address" in checked.stdout


def test_site_page_has_cards_rows_links_and_escapes_everything(tmp_path: Path) -> None:
    repo = write_repo(tmp_path, PLANS, MKDOCS.replace("site_name: Plans", "site_name: Plans\nnav:\n  - index.md"))
    built = mkdocs_build_in_process(repo)
    assert built.returncode == 0, built.stderr
    site = tmp_path / "site"
    page = (site / "plans" / "stakeholders" / "index.html").read_text(encoding="utf-8")
    scan = Scan(page)
    assert "img" not in {e.tag for e in scan.find("td")} and not [e for e in scan.elements if e.tag == "img"]
    assert HOSTILE in "".join(scan.strings())
    cards = {
        e.attrs["class"]: e.content
        for e in scan.elements
        if e.tag == "div" and "kd-card " in (e.attrs.get("class") or "") + " "
    }
    assert cards["kd-card kd-card-people"] == "2 people in 2 accounts"
    # A count of one says the singular (ngettext): "1 supporter", no longer "1 supporters".
    assert cards["kd-card kd-card-attitude kd-card-supporter"] == "1 supporter"
    assert cards["kd-card kd-card-attitude kd-card-opponent"] == "1 opponent"
    assert cards["kd-card kd-card-stale"] == "1 stale · rel@example.com"
    rows = table_rows(page)
    assert rows == [
        [HOSTILE, FORMULA, "Alpha AG", "blocker", "opponent", "–", "–", "–"],
        ["Anna Meieranna@group.example", "–", "Alpha AGBeta & <Sons>", "championcoach", "supporterneutral",
         "––", "rel@example.com–", "2026-01-15 stale2026-10-20"],
    ]  # fmt: skip
    stale_rows = [e for e in scan.find("tr") if e.attrs.get("class") == "kd-stale-row"]
    assert len(stale_rows) == 1 and stale_rows[0].content.startswith("Anna Meier")
    [flag] = [e for e in scan.elements if e.attrs.get("class") == "kd-flag"]
    assert flag.content == "stale" and flag.attrs["title"].startswith("expected contact with Anna Meier")
    links = {
        e.content: e.attrs["href"] for e in scan.find("a") if (e.attrs.get("href") or "").startswith("../accounts/")
    }
    assert links == {"Alpha AG": "../accounts/alpha/", "Beta & <Sons>": "../accounts/beta/"}
    assert "Gamma SA" not in page  # archived
    nav = (site / "plans" / "index.html").read_text(encoding="utf-8")
    assert 'href="stakeholders/"' in nav


def test_the_docs_sample_is_what_kamdocs_prints() -> None:
    """docs/stakeholders.md shows the command on this repository's plans: run here, it prints exactly that."""
    text = (ROOT / "docs" / "stakeholders.md").read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ (kamdocs stakeholders [^\n]+)\n(.*?)\n```", text, flags=re.S)
    assert block is not None and "--today" in block.group(1)
    result = kamdocs_in_process(ROOT, *block.group(1).split()[1:])
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == block.group(2)


def test_control_characters_in_a_name_are_escaped_in_the_table(tmp_path: Path) -> None:
    """A line break is text in YAML and reaches the table folded; an escape code makes the plan invalid."""
    name = "Evil\nkamdocs: error: forged"
    repo = write_repo(tmp_path, {"a": plan_file("a", "A AG", f"  - name: {json.dumps(name)}\n    role: coach\n")})
    table = kamdocs_in_process(repo, "stakeholders", "--today", TODAY)
    assert table.returncode == 0, table.stderr
    assert "\nkamdocs: error" not in table.stdout
    assert "Evil kamdocs: error: forged" in table.stdout  # the line break folded as whitespace
    document = json.loads(kamdocs_in_process(repo, "stakeholders", "--today", TODAY, "--format", "json").stdout)
    assert document["people"][0]["name"] == " ".join(name.split())
    escape = "Evil\x1b[31m"
    repo = write_repo(
        tmp_path / "esc", {"a": plan_file("a", "A AG", f"  - name: {json.dumps(escape)}\n    role: coach\n")}
    )
    table = kamdocs_in_process(repo, "stakeholders", "--today", TODAY)
    assert "\x1b" not in table.stdout + table.stderr and "plans with errors are left out" in table.stderr
    assert "error[control-character]" in kamdocs_in_process(repo, "check", "--no-freshness").stdout
