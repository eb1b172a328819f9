#!/usr/bin/env bash
# What every tool writes for two fixed inputs, the bundled examples (share/pattools/examples) and
# the real hook logs (the shared fixtures), compared byte for byte with tests/data/golden/: a
# change that should keep the tools' behaviour (a refactoring, a faster path) proves it here.
# Each input goes the whole way at one fixed time (PAT_NOW): patlog to JSONL and into a store,
# patdetect, patlearn (and its export), patcheck on every call, patprune --dry-run, patreport
# (every report, Markdown and JSON), and the templater on the failures' error texts. Standard
# error is compared too: the summaries are part of what a user sees.
#
# After a deliberate change of behaviour, rewrite the golden files and review the diff:
#   PAT_UPDATE_GOLDEN=1 ctest --test-dir build/default -R golden_outputs; git diff tests/data/golden
source "$(dirname "$0")/lib.sh"

GOLDEN="$PAT_SRC/tests/data/golden"
export PAT_NOW=2026-11-21T12:00:00Z
LATER=2027-06-01T00:00:00Z  # patprune's --now: months later, so that patterns decay and are archived

# The outputs of one input set, in $T/out/NAME/. The inputs are named relative to DIR, which is
# the working directory, so that messages naming them are the same in every checkout.
run_pipeline() {  # NAME DIR GLOB
  local out="$T/out/$1" db="$T/$1.db"
  mkdir -p "$out"
  cd "$2" || return 1
  # shellcheck disable=SC2086  # the glob is expanded here, inside DIR
  set -- $3
  # patlog: events as JSONL (large for the fixtures: kept as a digest and a projection), stored.
  patlog --no-db -v "$@" >"$T/events.jsonl" 2>"$out/patlog-no-db.err"
  sha256sum <"$T/events.jsonl" | cut -d' ' -f1 >"$out/events.sha256"
  jq -c '[.id, .ts, .source, .session, .event, .tool, .outcome, .exit_code, (.error // "" | .[0:80])]' \
    "$T/events.jsonl" >"$out/events.projection"
  patlog -q -v --db "$db" "$@" 2>"$out/patlog-db.err"
  # patdetect and patlearn, from the store; a second patlearn changes nothing.
  patdetect -v --db "$db" >"$out/patdetect.jsonl" 2>"$out/patdetect.err"
  patlearn -v --db "$db" <"$out/patdetect.jsonl" >"$out/patlearn.jsonl" 2>"$out/patlearn.err"
  patlearn -v --db "$db" <"$out/patdetect.jsonl" >"$out/patlearn-again.jsonl" 2>"$out/patlearn-again.err"
  patlearn --db "$db" --export >"$out/export.jsonl"
  # patcheck on every call of the input, at a confidence low enough to evaluate every pattern.
  jq -c 'select(.tool != null and .input != null) | {tool, input, session, tool_use_id, cwd} | with_entries(select(.value != null))' "$T/events.jsonl" \
    | patcheck --db "$db" --format jsonl --min-confidence 0 --no-record >"$T/verdicts.jsonl" 2>"$out/patcheck.err"
  jq -c 'select(.decision != "allow")' "$T/verdicts.jsonl" >"$out/patcheck-matches.jsonl"
  jq -s -c 'group_by(.decision) | map({(.[0].decision): length}) | add' "$T/verdicts.jsonl" >"$out/patcheck-counts.json"
  patprune --db "$db" --dry-run -v --now "$LATER" >"$out/patprune.jsonl" 2>"$out/patprune.err"
  local r f
  for r in dashboard context weekly candidates; do
    for f in md json; do
      patreport --db "$db" --format "$f" "$r" >"$out/report-$r.$f" 2>&1
    done
  done
  patreport --db "$db" context --hook >"$out/report-context-hook.json" 2>&1
  jq -r 'select(.outcome == "failure") | .error // "" | gsub("\n"; " ")' "$T/events.jsonl" \
    | patdetect --templates >"$out/templates.txt" 2>&1
}

compare() {  # NAME: every file of $T/out/NAME against tests/data/golden/NAME
  local f
  for f in "$T/out/$1"/*; do golden "$GOLDEN" "$1/$(basename "$f")" "$f"; done
  if [ "${PAT_UPDATE_GOLDEN:-}" != 1 ]; then
    for f in "$GOLDEN/$1"/*; do [ -e "$T/out/$1/$(basename "$f")" ] || fail "$1: no output for $(basename "$f")"; done
  fi
}

test_bundled_examples_give_the_golden_outputs() {
  run_pipeline examples "$PAT_SRC/share/pattools/examples" '*.jsonl'
  expect_eq "$(wc -l <"$T/out/examples/events.projection")" 57 "events of the examples"
  expect_ge "$(wc -l <"$T/out/examples/patlearn.jsonl")" 1 "patterns of the examples"
  compare examples
}

test_fixtures_give_the_golden_outputs() {
  run_pipeline fixtures "$FIXTURES" '*/*'
  expect_ge "$(wc -l <"$T/out/fixtures/events.projection")" 1000 "events of the fixtures"
  expect_ge "$(wc -l <"$T/out/fixtures/patlearn.jsonl")" 1 "patterns of the fixtures"
  compare fixtures
}

run_tests
