#!/usr/bin/env bash
# A new user's first hour, on the product: build the sdist and the wheel from it,
# install the wheel into a fresh virtual environment in a temporary folder
# outside the checkout, and run every command from there, then build the site.
# The unit tests run on an editable install, which hides files missing from the
# wheel; this does not. .ci/run calls it; run it by hand the same way:
#   bash scripts/wheel_journey.sh
# With --dist DIR, it builds nothing and takes the sdist and the wheel already
# built in DIR: the release workflow runs the journey on exactly the files it
# publishes.
#   bash scripts/wheel_journey.sh --dist dist
set -euo pipefail

usage() {
	printf 'usage: bash scripts/wheel_journey.sh [--dist DIR]\n' >&2
	exit 2
}
dist=
case "$#:${1:-}" in
0:) ;;
2:--dist) [ -d "$2" ] || {
	printf 'wheel_journey: --dist %s: expected a folder holding the sdist and the wheel\n' "$2" >&2
	exit 2
}
	dist="$(cd "$2" && pwd)" ;;
*) usage ;;
esac

checkout="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/kamdocs-journey.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export NO_MKDOCS_2_WARNING=1 NO_COLOR=1 GITHUB_ACTIONS= GITHUB_STEP_SUMMARY=
unset SOURCE_DATE_EPOCH  # the journey's "today" is the local date, passed explicitly where a command takes it
today="$(date +%F)"

step() { printf 'journey: %s\n' "$*"; }
fail() {
	printf 'journey: FAILED: %s\n' "$*" >&2
	exit 1
}
# expect CODE CMD...: run CMD, fail unless it exits with CODE; its output lands in $work/out.
expect() {
	local code="$1" got=0
	shift
	"$@" >"$work/out" 2>&1 || got=$?
	if [ "$got" != "$code" ]; then
		cat "$work/out" >&2
		fail "'$*' exited $got, expected $code"
	fi
}
contains() { grep -qF -- "$2" "$1" || fail "$1 lacks '$2'"; }

if [ -z "$dist" ]; then
	step "build the sdist and, from it, the wheel"
	# From a copy of the files git would commit: a stale kamdocs.egg-info in the checkout
	# lists files the sdist would then carry even when package-data misses them.
	mkdir "$work/src"
	git -C "$checkout" ls-files -z --cached --others --exclude-standard |
		(cd "$checkout" && tar --null -T - -cf -) | tar -C "$work/src" -xf -
	expect 0 python3 -m build --outdir "$work/dist" "$work/src"
	dist="$work/dist"
else
	step "take the sdist and the wheel already built in $dist"
fi
# Exactly one of each: a folder with two wheels would leave the journey's choice to ls.
shopt -s nullglob
wheels=("$dist"/kamdocs-*.whl)
sdists=("$dist"/kamdocs-*.tar.gz)
shopt -u nullglob
[ "${#wheels[@]}" = 1 ] || fail "$dist holds ${#wheels[@]} kamdocs wheels, expected one: ${wheels[*]}"
[ "${#sdists[@]}" = 1 ] || fail "$dist holds ${#sdists[@]} kamdocs sdists, expected one: ${sdists[*]}"
wheel="${wheels[0]}"
[ "$(basename "${sdists[0]}" .tar.gz)" = "$(basename "$wheel" | cut -d- -f1-2)" ] ||
	fail "the sdist $(basename "${sdists[0]}") and the wheel $(basename "$wheel") are not the same version"
tar -tzf "${sdists[0]}" >"$work/sdist-files" || fail "$(basename "${sdists[0]}") is not a gzipped tar archive"
grep -q '/kamdocs/schema/plan.schema.json$' "$work/sdist-files" || fail "the sdist lacks kamdocs/schema/plan.schema.json"

step "install $(basename "$wheel") into a fresh virtual environment in $work"
python3 -m venv "$work/venv"
expect 0 "$work/venv/bin/python" -m pip install -q -c "$checkout/constraints.txt" "$wheel"
export PATH="$work/venv/bin:$PATH"
cd "$work"
expect 0 python -c 'import kamdocs, sys; print(kamdocs.__file__)'
contains "$work/out" "$work/venv/"
expect 0 command -v kamdocs mkdocs
[ "$(grep -c "^$work/venv/bin/" "$work/out")" = 2 ] || fail "kamdocs and mkdocs are not the virtual environment's: $(cat "$work/out")"

step "init"
expect 0 kamdocs init --today "$today" plans-repo
for file in mkdocs.yml plans/example-one-page.md plans/example-full.md \
	.github/workflows/plans.yml .github/workflows/freshness.yml .github/workflows/pages.yml; do
	[ -s "plans-repo/$file" ] || fail "init did not write $file"
done
cd plans-repo
git init -q -b main
git config user.name "Journey"
git config user.email "journey@example.com"

step "codeowners --check passes on day one"
[ -s .github/CODEOWNERS ] || fail "init did not write .github/CODEOWNERS"
expect 0 kamdocs codeowners --check

step "new, both kinds"
expect 0 kamdocs new acme-one --kind one-page --account "Acme AG" --owner anna@example.com \
	--area "Process Analytics" --reviewer "@petra" --today "$today"
expect 0 kamdocs new acme-full --kind full --account "Acme Full AG" --owner "@anna" \
	--area "Laboratory Instruments" --reviewer "@urs" --today "$today"
contains plans/acme-one.md "kind: one-page"
contains plans/acme-full.md "kind: full"
contains .github/CODEOWNERS "/plans/acme-one.md @petra"
contains .github/CODEOWNERS "/plans/acme-full.md @urs"
expect 0 kamdocs codeowners --check
expect 2 kamdocs new acme-one --kind one-page --account "Acme AG" --owner anna@example.com \
	--area "Process Analytics" --today "$today"
export GIT_AUTHOR_DATE="${today}T09:00:00Z" GIT_COMMITTER_DATE="${today}T09:00:00Z"
git add -A
git commit -q -m "Start the plans repository"

step "check"
expect 0 kamdocs check plans --today "$today"
contains "$work/out" "Checked 4 plans: 0 errors"

step "status"
expect 0 kamdocs status --today "$today" --format json
python -c 'import json, sys; rows = json.load(open(sys.argv[1]))["plans"]; ids = sorted(r["id"] for r in rows); assert ids == ["acme-full", "acme-one", "example-full", "example-one-page"], ids' "$work/out" ||
	fail "status --format json did not list the four plans: $(head -c 500 "$work/out")"
expect 0 kamdocs status --today "$today"
contains "$work/out" "4 plans on $today"

step "quality"
expect 0 kamdocs quality acme-full --today "$today"
contains "$work/out" "plans/acme-full.md: quality "
contains "$work/out" "completeness[section-thin]"
expect 0 kamdocs quality --format markdown --today "$today"
contains "$work/out" "### Plan quality"

step "review"
expect 0 kamdocs review plans/acme-one.md --date "$today" --reviewer "@vera" --today "$today"
contains plans/acme-one.md "reviewer: '@vera'"

step "diff (working tree against the commit)"
expect 0 kamdocs diff HEAD
contains "$work/out" "plans/acme-one.md"
contains "$work/out" "@vera"
git commit -q -am "Review acme-one"
expect 0 kamdocs diff --format json HEAD~1 HEAD
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert [p["id"] for p in d["plans"]] == ["acme-one"], d' "$work/out" ||
	fail "diff --format json HEAD~1 HEAD: $(head -c 500 "$work/out")"

step "rollover"
next_start="$(date -d "$today + 1 year" +%F)"
next_end="$(date -d "$today + 2 years - 1 day" +%F)"
expect 0 kamdocs rollover plans/acme-one.md --period-start "$next_start" --period-end "$next_end"
contains plans/acme-one.md "start: $next_start"
contains plans/acme-one.md "end: $next_end"
expect 0 kamdocs check plans/acme-one.md --today "$today"

step "codeowners"
expect 0 kamdocs codeowners
contains .github/CODEOWNERS "# BEGIN kamdocs"
contains .github/CODEOWNERS "@vera"
contains .github/CODEOWNERS "@urs"
expect 0 kamdocs codeowners --check

step "export json, csv, ics"
mkdir exports
expect 0 kamdocs export --format json -o exports/plans.json --today "$today"
expect 0 kamdocs export --format csv -o exports/plans.csv --today "$today"
expect 0 kamdocs export --format ics -o exports/commitments.ics --today "$today"
expect 0 kamdocs export --format xlsx -o exports/plans.xlsx --today "$today"
python -c 'import sys, zipfile; names = zipfile.ZipFile(sys.argv[1]).namelist(); assert "xl/worksheets/sheet3.xml" in names, names' exports/plans.xlsx ||
	fail "export --format xlsx did not write a workbook of three sheets"

step "budget, scorecard and stakeholders"
expect 0 kamdocs budget --today "$today" --format json
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["version"] == 1 and d["lines"], d' "$work/out" ||
	fail "budget --format json: $(head -c 500 "$work/out")"
expect 0 kamdocs scorecard --today "$today"
contains "$work/out" "Commitments due"
expect 0 kamdocs stakeholders --today "$today" --format json
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["version"] == 1 and [p["name"] for p in d["people"]] == ["Alex Example", "Dana Example", "Sam Example"], d' "$work/out" ||
	fail "stakeholders --format json: $(head -c 500 "$work/out")"
for file in exports/plans.json exports/plans.csv exports/commitments.ics; do
	[ -s "$file" ] || fail "export wrote an empty $file"
done
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["plans"]) == 4, d' exports/plans.json ||
	fail "exports/plans.json is not JSON with four plans"
[ "$(wc -l <exports/plans.csv)" -ge 5 ] || fail "exports/plans.csv has fewer than a header and four rows"
head -n 1 exports/commitments.ics | grep -q "^BEGIN:VCALENDAR" || fail "commitments.ics does not start a calendar"
tail -n 1 exports/commitments.ics | grep -q "^END:VCALENDAR" || fail "commitments.ics does not end the calendar"

step "fill in the placeholders, then check --strict"
# A plan straight from `new` has TODO placeholders, which are warnings: --strict refuses them.
expect 1 kamdocs check --strict plans --today "$today"
contains "$work/out" "warning[todo]"
sed -i 's/TODO: /Filled in: /' plans/acme-one.md plans/acme-full.md
expect 0 kamdocs check --strict plans --today "$today"

step "mkdocs build --strict, plans dated today"
expect 0 mkdocs build --strict
for plan in acme-one acme-full example-one-page example-full; do
	[ -s "site/plans/accounts/$plan/index.html" ] || fail "the site has no page for $plan"
done
contains site/plans/accounts/acme-one/index.html "Acme AG"
contains site/plans/index.html "Acme Full AG"
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["plans"]) == 4, d' site/plans/plans.json ||
	fail "the site's plans.json is not JSON with four plans"
for page in budget scorecard stakeholders; do
	[ -s "site/plans/$page/index.html" ] || fail "the site has no $page page"
done
[ -s site/plans/plans.xlsx ] || fail "the site has no plans.xlsx"
contains site/index.html 'data-kd-grid'
contains site/index.html 'kd-card-plans'
[ -s site/assets/kamdocs/kamdocs.js ] || fail "the site has no kamdocs.js"

step "confidential parts stay off the site and out of the exports"
sed -i 's/^account: Acme Full AG$/account: Acme Full AG\nconfidential: true/' plans/acme-full.md
printf '\n<!-- confidential -->\nZQX-SECRET-MARGIN\n<!-- /confidential -->\n' >>plans/acme-one.md
expect 0 kamdocs check plans --today "$today"
expect 0 mkdocs build --strict
[ ! -e site/plans/accounts/acme-full ] || fail "a confidential plan got a page"
if grep -rqs -e 'ZQX-SECRET-MARGIN' -e 'Acme Full AG' site; then fail "confidential text reached the site"; fi
contains site/plans/index.html 'confidential plan, counted here, not listed'
expect 0 kamdocs export --format json -o exports/public.json --today "$today"
contains "$work/out" "Left out 1 plan(s) marked confidential"
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["plans"]) == 3, d' exports/public.json ||
	fail "export left the confidential plan in"
expect 0 kamdocs export --format json --include-confidential -o exports/all.json --today "$today"
python -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["plans"]) == 4, d' exports/all.json ||
	fail "export --include-confidential left a plan out"

step "mkdocs build --strict of a repository whose plans are all overdue"
# Freshness is published, never a broken build: plans dated years ago build under --strict,
# the log counts them at INFO (one line per rule, naming the most overdue plans), and the pages say overdue.
cd "$work"
expect 0 kamdocs init --today 2020-01-15 overdue-repo
cd overdue-repo
expect 0 kamdocs check --today "$today"
contains "$work/out" "warning[review-overdue]"
expect 1 kamdocs check --today "$today" --severity freshness=error
expect 0 mkdocs build --strict
contains "$work/out" "INFO    -  kamdocs: freshness: 2 overdue reviews [review-overdue]; most overdue: plans/example-"
for plan in example-one-page example-full; do
	contains "site/plans/accounts/$plan/index.html" "Overdue by"
done

step "kamdocs render, and kamdocs build on the render path, from the wheel's own files"
# render reads the packaged stylesheet and script, build --render the packaged template override.
cd "$work/overdue-repo"
expect 0 kamdocs render "$work/rendered/plans" --today "$today"
contains "$work/rendered/plans/assets/kamdocs.js" "Generated by kamdocs render"
contains "$work/rendered/plans/assets/kamdocs.css" "kd-"
contains "$work/rendered/plans/index.md" "Generated by kamdocs render"
[ -s "$work/rendered/plans/.kamdocs-render.json" ] || fail "render wrote no manifest"
expect 0 kamdocs render "$work/rendered/plans" --today "$today"
contains "$work/out" "0 written"
expect 0 kamdocs build --render --strict -d "$work/rendered-site"
[ -s "$work/rendered-site/plans/accounts/example-one-page/index.html" ] || fail "build --render made no plan page"
contains "$work/rendered-site/plans/index.html" "kamdocs.js"
contains "$work/rendered-site/plans/index.html" "kd-grid-data"
step "import a CSV and a workbook (openpyxl, a runtime dependency of the wheel)"
cd "$work"
expect 0 kamdocs init --today "$today" import-repo
cd import-repo
python -c 'import sys; open(sys.argv[1], "wb").write("Kunde;KAM;Ziel;Währung\r\nMüller AG;anna@example.com;1’250’000;Franken\r\n".encode("cp1252"))' crm.csv
python -c 'import sys, xlsxwriter; b = xlsxwriter.Workbook(sys.argv[1]); s = b.add_worksheet("Accounts"); s.write_row(0, 0, ["Account", "Target"]); s.write_row(1, 0, ["Beta AG", 850000]); b.close()' beta.xlsx
expect 0 kamdocs import crm.csv --dry-run --today "$today"
contains "$work/out" "read as CSV in Windows-1252, separated by semicolons"
contains "$work/out" "Would write plans/muller-ag.md: Müller AG (one-page)"
expect 0 kamdocs import crm.csv --today "$today"
expect 0 kamdocs import beta.xlsx --today "$today"
contains plans/beta-ag.md "target: 850000"
expect 1 kamdocs import beta.xlsx --today "$today"
contains "$work/out" "a plan with id 'beta-ag' exists already"
expect 0 kamdocs check plans --today "$today"
contains "$work/out" "Checked 4 plans: 0 errors"
step "passed"
