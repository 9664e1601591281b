"""Amounts, dates, yes/no and section titles as people in Switzerland, Germany, France and the US
write them: ``kamdocs check`` finds each, and its hint proposes the value the user meant.

Every intended value is worked out here, by the test, and each spelling is made from it by a
second simple formatting (``f"{n:,}"`` with the locale's separator), never by kamdocs' readers.
The hint's proposal is parsed back and compared with it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamdocs.plan.spellings import meant_number

from .conftest import plan_text, run

FULL = (Path(__file__).parent / "example-files" / "positive" / "full-minimal.md").read_text(encoding="utf-8")


def spelled(number: int, locale: str) -> str:
    """``number`` with the thousands separator ``locale`` uses, made with Python's own grouping."""
    grouped = f"{number:,}"
    return {
        "de-CH": grouped.replace(",", "'"),
        "de-CH-typographic": grouped.replace(",", "’"),
        "de-DE": grouped.replace(",", "."),
        "fr-CH": grouped.replace(",", " "),
        "fr-FR-nbsp": grouped.replace(",", "\u202f"),
        "en-US": grouped,
    }[locale]


AMOUNTS = (850_000, 1_250_000, 12_500, 3_400_000_000, 1_000)
LOCALES = ("de-CH", "de-CH-typographic", "de-DE", "fr-CH", "fr-FR-nbsp", "en-US")
SPELLINGS = [(spelled(n, loc), n, loc) for n in AMOUNTS for loc in LOCALES if (n, loc) != (1_000, "de-DE")]
"""29 spellings; ``1.000`` in de-DE is a YAML float and is tested with the other floats below."""


def check_json(repo: Path, *paths: str) -> dict:
    result = run(["check", "--no-freshness", "--format", "json", *paths], repo)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def write_plans(make_repo, texts: list[str]) -> Path:
    return make_repo({f"plans/p{i}.md": text.replace("id: p\n", f"id: p{i}\n") for i, text in enumerate(texts)})


def by_file(document: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for item in document["findings"]:
        out.setdefault(item["file"], []).append(item)
    return out


def proposed(hint: str) -> object:
    """The value a hint proposes, parsed as a plan author would read it."""
    if match := re.search(r"quote it: '((?:[^']|'')*)'$", hint):
        return match.group(1).replace("''", "'")
    if match := re.fullmatch(r"did you mean '(.+)'\?", hint):
        return match.group(1)
    if match := re.search(r"rename '## (.+?)' to '## (.+?)'", hint):
        return match.group(1), match.group(2)
    match = re.match(r"(?:remove the (?:quotes|% sign): )?write (\S+?)(?=[ ,;]|$)", hint)
    assert match, hint
    word = match.group(1)
    if word in ("true", "false"):
        return word == "true"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        return date.fromisoformat(word)
    return Decimal(word)


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_grouped_amounts_get_the_number_meant(make_repo, quoted: bool) -> None:
    """Each spelling, plain or quoted, is an error in CHF whose hint is ``write <number>``."""
    assert len(SPELLINGS) >= 20
    texts = []
    for text, _, _ in SPELLINGS:
        value = f'"{text}"' if quoted else text
        texts.append(plan_text("p", **{"target: 500000": f"target: {value}"}))
    repo = write_plans(make_repo, texts)
    found = by_file(check_json(repo))
    for i, (text, number, locale) in enumerate(SPELLINGS):
        (item,) = found[f"plans/p{i}.md"]
        assert item["severity"] == "error", (locale, text)
        assert item["path"] == "$.goal.target"
        assert item["line"] == 13 and item["column"] == 11
        assert proposed(item["hint"]) == number, (locale, text, item["hint"])


# YAML reads these as decimals: 850.000 is 850.0. (text, unit, intended, second reading, severity)
FLOATS = [
    ("850.000", "CHF", 850_000, Decimal("850"), "error"),
    ("1.250", "EUR", 1250, Decimal("1.25"), "error"),
    ("1.000", "EUR", 1000, Decimal("1"), "error"),
    ("-12.500", "CHF", -12_500, Decimal("-12.5"), "error"),
    ("999.999", "USD", 999_999, Decimal("999.999"), "error"),
    ("1.250", "machines", 1250, Decimal("1.25"), "warning"),
    ("850.000", "t", 850_000, Decimal("850"), "warning"),
    ("12.500", "%", 12_500, Decimal("12.5"), "warning"),
]


def test_thousands_points_that_yaml_reads_as_decimals_are_found(make_repo) -> None:
    """Error in a currency, warning in another unit; the hint names both readings of one group."""
    texts = [
        plan_text("p", **{"target: 500000": f"target: 1\n  actual: {text}", "unit: CHF": f"unit: '{unit}'"})
        for text, unit, *_ in FLOATS
    ]
    repo = write_plans(make_repo, texts)
    found = by_file(check_json(repo))
    for i, (text, unit, intended, other, severity) in enumerate(FLOATS):
        (item,) = found[f"plans/p{i}.md"]
        assert item["rule"] == ("amount-grouped" if severity == "error" else "figure-grouped")
        assert item["severity"] == severity
        assert item["path"] == "$.goal.actual"
        assert item["message"].endswith(f"found {text}, which YAML reads as {other} {unit}")
        assert proposed(item["hint"]) == intended, item["hint"]
        assert f"(or {other} if the separator marks decimals)" in item["hint"]


def test_kpi_figures_are_read_as_written_too(make_repo) -> None:
    full = FULL
    assert "    target: 60\n" in full
    repo = make_repo({"plans/full-minimal.md": full.replace("    target: 60\n", "    target: 2.500\n")})
    (item,) = check_json(repo)["findings"]
    assert (item["rule"], item["severity"], item["path"]) == ("figure-grouped", "warning", "$.kpis[0].target")
    assert proposed(item["hint"]) == 2500


@pytest.mark.parametrize("text", ["0.125", "99.5", "12.5", "12.50", "1.5", "0.5", "1250000", "1e6", "1000.0001"])
def test_genuine_decimals_pass(make_repo, text: str) -> None:
    repo = make_repo({"plans/p.md": plan_text("p", **{"target: 500000": f"target: {text}"})})
    assert check_json(repo)["findings"] == []


# Common mistakes: (replacements in the minimal one-page plan, the path of the finding, the value meant).
MISTAKES: list[tuple[dict[str, str], str, object]] = [
    *[
        ({"target: 500000": f'target: "{text}"'}, "$.goal.target", Decimal(meant))
        for text, meant in [
            ("0,5", "0.5"),
            ("12,5", "12.5"),
            ("1.250.000,50", "1250000.50"),
            ("1'250'000.50", "1250000.50"),
            ("1,250,000.75", "1250000.75"),
            ("1 250 000,25", "1250000.25"),
            ("CHF 1'250'000.-", "1250000"),
            ("1'250'000.--", "1250000"),
            ("EUR 1.250.000", "1250000"),
            ("850k", "850000"),
            ("1,2 Mio", "1200000"),
            ("1.5 Mio. CHF", "1500000"),
            ("2 Mrd", "2000000000"),
            ("12,5 %", "12.5"),
            ("40%", "40"),
        ]
    ],
    ({"kind: one-page": "kind: one-page\ncrm_id: 0004711"}, "$.crm_id", "0004711"),
    ({"kind: one-page": "kind: one-page\ncrm_id: 4711"}, "$.crm_id", "4711"),
    ({"kind: one-page": "kind: one-page\ncrm_id: 00.47"}, "$.crm_id", "00.47"),
    ({"kind: one-page": "kind: one-page\nconfidential: yes"}, "$.confidential", True),
    ({"kind: one-page": "kind: one-page\nconfidential: ja"}, "$.confidential", True),
    ({"kind: one-page": "kind: one-page\nconfidential: oui"}, "$.confidential", True),
    ({"kind: one-page": "kind: one-page\nconfidential: 'true'"}, "$.confidential", True),
    ({"kind: one-page": "kind: one-page\nconfidential: no"}, "$.confidential", False),
    ({"kind: one-page": "kind: one-page\nconfidential: nein"}, "$.confidential", False),
    ({"kind: one-page": "kind: one-page\nconfidential: non"}, "$.confidential", False),
    *[
        ({"due: 2026-12-15": f"due: {text}"}, "$.commitments[0].due", meant)
        for text, meant in [
            ("31.12.2027", date(2027, 12, 31)),
            ("1.2.2027", date(2027, 2, 1)),
            ("31.12.27", date(2027, 12, 31)),
            ("31. 12. 2027", date(2027, 12, 31)),
            ("12/31/2027", date(2027, 12, 31)),
            ("31/12/2027", date(2027, 12, 31)),
            ("2027/12/31", date(2027, 12, 31)),
            ("2027-1-5", date(2027, 1, 5)),
            ("20271231", date(2027, 12, 31)),
            ("31. Dezember 2027", date(2027, 12, 31)),
            ("31 décembre 2027", date(2027, 12, 31)),
            ("December 31, 2027", date(2027, 12, 31)),
            ("'31.12.2027'", date(2027, 12, 31)),
            ("2027-12-31T17:00", date(2027, 12, 31)),
        ]
    ],
    # Refused while the YAML is read, before any path exists: the finding is at "$", on the value's line.
    ({"kind: one-page": "kind: one-page\ncrm_id: 12345678901234567890"}, "$", "12345678901234567890"),
    ({"interval: quarterly": "interval: vierteljährlich"}, "$.review.interval", "quarterly"),
    ({"interval: quarterly": "interval: trimestriel"}, "$.review.interval", "quarterly"),
    ({"interval: quarterly": "interval: halbjährlich"}, "$.review.interval", "semiannual"),
    ({"interval: quarterly": "interval: jährlich"}, "$.review.interval", "annual"),
    ({"status: open": "status: erledigt"}, "$.commitments[0].status", "done"),
    ({"status: open": "status: en cours"}, "$.commitments[0].status", "in-progress"),
    ({"status: open": "status: abgebrochen"}, "$.commitments[0].status", "dropped"),
]


def test_common_mistakes_get_the_value_meant(make_repo) -> None:
    """At least 30 mistakes, each one finding whose hint parses back to the intended value."""
    assert len(MISTAKES) >= 30
    repo = write_plans(make_repo, [plan_text("p", **replacements) for replacements, _, _ in MISTAKES])
    found = by_file(check_json(repo))
    for i, (replacements, path, meant) in enumerate(MISTAKES):
        items = found[f"plans/p{i}.md"]
        assert [item["path"] for item in items] == [path], (replacements, items)
        assert items[0]["severity"] == "error"
        assert proposed(items[0]["hint"]) == meant, (replacements, items[0]["hint"])


def test_a_date_whose_day_and_month_could_swap_gets_both(make_repo) -> None:
    repo = make_repo({"plans/p.md": plan_text("p", **{"due: 2026-12-15": "due: 01/02/2027"})})
    (item,) = check_json(repo)["findings"]
    assert item["rule"] == "bad-date"
    assert item["hint"] == ("write 2027-01-02 if you mean 2 January 2027, or 2027-02-01 if you mean 1 February 2027")


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Value added", "Added value"),
        ("Added-value offering", "Added value"),
        ("Key Performance Indicators", "KPIs"),
        ("Commitment", "Commitments"),
        ("Strategy & actions", "Strategy and actions"),
    ],
)
def test_a_section_written_another_way_is_matched_to_the_title_meant(make_repo, written: str, meant: str) -> None:
    full = FULL
    assert f"## {meant}\n" in full
    repo = make_repo({"plans/full-minimal.md": full.replace(f"## {meant}\n", f"## {written}\n")})
    (item,) = check_json(repo)["findings"]
    assert item["rule"] == "section-missing"
    assert proposed(item["hint"]) == (written, meant)
    # The finding points at the heading to rename, counted in the file by the test.
    lines = (repo / "plans/full-minimal.md").read_text(encoding="utf-8").split("\n")
    assert (item["line"], item["column"]) == (lines.index(f"## {written}") + 1, 1)


def test_a_section_nothing_resembles_is_to_be_added(make_repo) -> None:
    full = FULL
    repo = make_repo({"plans/full-minimal.md": full.replace("## Mapping\n", "## Notes\n")})
    (item,) = check_json(repo)["findings"]
    assert item["hint"] == "add '## Mapping'"


def test_hostile_values_get_no_hint_rather_than_a_crash(make_repo) -> None:
    """Digits past any plan figure (Python refuses to print an int of over 4300 digits) and thousands of
    headings are read in bounded time; the findings stay, without a proposal."""
    huge = "1" + "'000" * 2000
    # Blank lines between them, and under 5,000: a longer block or body is a body-too-many of its own.
    body = "\n\n".join(f"## Heading {i}" for i in range(4000)) + "\n\n## " + "Value added " * 1000 + "\n"
    full = FULL.split("---\n\n", 1)[0] + "---\n\n" + body
    repo = make_repo({"plans/p.md": plan_text("p", **{"target: 500000": f"target: {huge}"}),
                      "plans/full-minimal.md": full})  # fmt: skip
    found = by_file(check_json(repo))
    (number,) = found["plans/p.md"]
    assert number["rule"] == "wrong-type"
    assert number["hint"] == "write digits only, without separators or units, like 1200000"
    (section,) = found["plans/full-minimal.md"]
    assert section["rule"] == "section-missing" and "rename" not in section["hint"]


@given(
    number=st.integers(min_value=1000, max_value=999_999_999_999_999),
    cents=st.integers(min_value=0, max_value=99),
    locale=st.sampled_from(["de-CH", "de-CH-typographic", "fr-CH", "en-US", "de-DE"]),
)
def test_any_grouped_amount_reads_back_as_the_number(number: int, cents: int, locale: str) -> None:
    """Every amount from 1,000 to the largest plan figure, in each locale's grouping, with or without
    cents written with that locale's decimal mark, is read back as the number Python formatted."""
    text = spelled(number, locale)
    decimal_mark = {"de-DE": ",", "fr-CH": ",", "en-US": ".", "de-CH": ".", "de-CH-typographic": "."}[locale]
    if cents:
        text += f"{decimal_mark}{cents:02d}"
    meant = meant_number(text)
    assert meant is not None
    assert meant.value == Decimal(number) + Decimal(cents) / 100


CURRENCY_WORDS = [("Franken", "CHF"), ("chf", "CHF"), ("SFr.", "CHF"), ("Fr.", "CHF"), ("Euro", "EUR"),
                  ("€", "EUR"), ("euros", "EUR"), ("US$", "USD"), ("Pfund", "GBP")]  # fmt: skip


def test_a_currency_written_as_a_word_is_money_and_gets_its_code(make_repo) -> None:
    """'850.000 Franken' is an amount like '850.000 CHF': an error, never a warning that lets 850 be summed."""
    texts = [
        plan_text("p", **{"target: 500000": "target: 850.000", "unit: CHF": f"unit: '{word}'"})
        for word, _ in CURRENCY_WORDS
    ]
    texts.append(plan_text("p", **{"target: 500000": "target: 850.000", "unit: CHF": "unit: Stück"}))
    repo = write_plans(make_repo, texts)
    found = by_file(check_json(repo))
    for i, (word, code) in enumerate(CURRENCY_WORDS):
        rules = {item["rule"]: item for item in found[f"plans/p{i}.md"]}
        assert set(rules) == {"amount-grouped", "currency-word"}, word
        assert rules["amount-grouped"]["severity"] == "error"
        assert rules["currency-word"]["hint"] == f"write {code}"
        assert rules["currency-word"]["path"] == "$.goal.unit"
    assert [item["rule"] for item in found[f"plans/p{len(CURRENCY_WORDS)}.md"]] == ["figure-grouped"]
