#!/usr/bin/env bash
# patdetect as a filter and on the store: the real fixtures, the templater on its own, bad input
# of every kind (reported with its line, kept, the rest still read), the store's time window and
# read position, and the exit statuses of ARCHITECTURE.md, Conventions.
source "$(dirname "$0")/lib.sh"

event() {  # SESSION TOOL OUTCOME INPUT-JSON [ERROR]: one generic execution record as patlog reads it
  jq -cn --arg s "$1" --arg t "$2" --arg o "$3" --argjson i "$4" --arg e "${5:-}" \
    '{tool: $t, session: $s, outcome: $o, params: $i, timestamp: "2026-11-01T10:00:00Z"}
     + (if $e == "" then {} else {error: $e} end)'
}

test_fixtures_give_their_usage_mistakes() {
  patlog --no-db "$FIXTURES"/*/* 2>/dev/null | patdetect -v >"$T/out" 2>"$T/err"
  expect_eq "${PIPESTATUS[1]}" 0 "patdetect exit"
  # Only the mistake that recurred is learned (two Reads of a directory); the seven failures met
  # once (probes among them) wait, counted per template.
  expect_contains "$T/err" '^patdetect: 201 calls, 9 failed: 2 usage mistakes, 7 that nothing explains, 0 other errors'
  expect_contains "$T/err" 'unexplained 1x: File does not exist'
  expect_contains "$T/err" '31 calls seen twice'
  expect_eq "$(jq -r 'select(.kind == "observation") | .tool' "$T/out" | sort | uniq -c | tr -s ' ' | paste -sd,)" \
    " 2 Read" "observations by tool"
  expect_eq "$(jq -r 'select(.kind == "observation" and (.template | startswith("EISDIR"))) | .category' "$T/out" | sort -u)" \
    "INCORRECT_PARAMETER" "reading a directory"
  # Every observation names a failed event of the same tool.
  patlog --no-db "$FIXTURES"/*/* 2>/dev/null | jq -c 'select(.outcome == "failure") | {id, tool}' >"$T/failed"
  local missing
  missing=$(jq -r 'select(.kind == "observation") | "\(.events[0]) \(.tool)"' "$T/out" | while read -r id tool; do
    grep -qF "{\"id\":\"$id\",\"tool\":\"$tool\"}" "$T/failed" || echo "$id"; done)
  expect_eq "$missing" "" "observations without their failed event"
}

test_templates_one_record_per_line_in_order() {
  printf 'connect to 10.0.0.1:5432 failed after 3000ms\nfatal: not a git repository\nconnect to db:5433 failed after 12ms\n' \
    | patdetect --templates >"$T/out"
  expect_eq "$(wc -l <"$T/out")" 3 "records"
  expect_eq "$(jq -r .line "$T/out" | sed -n 2p)" "fatal: not a git repository" "line kept"
  expect_eq "$(jq -r .template "$T/out" | sed -n 1p)" "connect to <*> failed after <*>" "template"
  expect_eq "$(jq -r .template_id "$T/out" | sed -n 1p)" "$(jq -r .template_id "$T/out" | sed -n 3p)" "same template, same id"
  expect_ne "$(jq -r .template_id "$T/out" | sed -n 1p)" "$(jq -r .template_id "$T/out" | sed -n 2p)" "other template"
}

test_templates_of_invalid_utf8_nul_and_empty_input() {
  printf 'bad \xff\xfe byte at 0x1f\nnul\0 byte\n' | patdetect --templates >"$T/out"
  expect_eq "$(jq -c . "$T/out" | wc -l)" 2 "valid JSON records"
  expect_contains "$T/out" 'bad \\?.{1,6} byte at <\*>'
  expect_exit 0 patdetect --templates /dev/null
  expect_eq "$(wc -c <"$T/out")" 0 "nothing for empty input"
  expect_exit 66 patdetect --templates "$T/missing.txt"
  expect_contains "$T/err" "missing.txt"
}

test_malformed_lines_are_reported_kept_and_the_rest_read() {
  {
    event s1 deploy success '{"namespace":"a"}'
    echo '{"kind":"event", oops'
    printf '\xff\xfe\x00binary\n'
    patlog --no-db "$PAT_SRC/share/pattools/examples/claude-hooks.jsonl"
  } >"$T/in"
  patdetect --rejects "$T/rejects" <"$T/in" >"$T/out" 2>"$T/err"
  expect_eq "$?" 65 "exit"
  expect_contains "$T/err" '^patdetect: error \(at <stdin>:1\): not an event record'
  expect_contains "$T/err" '^patdetect: error \(at <stdin>:2\): '
  expect_contains "$T/err" '^patdetect: error \(at <stdin>:3\): '
  expect_eq "$(wc -l <"$T/rejects")" 3 "rejected lines kept"
  expect_eq "$(sed -n 2p "$T/rejects")" '{"kind":"event", oops' "raw bytes"
  expect_ge "$(jq -r 'select(.kind == "observation") | .id' "$T/out" | wc -l)" 2 "observations from the good lines"
}

test_deep_nesting_and_long_lines_are_refused_without_a_crash() {
  { head -c 100000 /dev/zero | tr '\0' '['; echo; head -c 2000000 /dev/zero | tr '\0' 'a'; echo; } >"$T/in"
  expect_exit 65 patdetect --max-line 1000000 "$T/in"
  expect_contains "$T/err" '\(at .*in:1\): nesting deeper than 512 levels'
  expect_contains "$T/err" '\(at .*in:2\): line of 2000000 bytes is longer than the limit of 1000000 bytes'
}

test_empty_input_and_missing_file() {
  expect_exit 0 patdetect /dev/null
  expect_eq "$(wc -c <"$T/out")" 0 "no output"
  patlog --no-db "$PAT_SRC/share/pattools/examples/claude-hooks.jsonl" >"$T/events"
  expect_exit 66 patdetect "$T/events" "$T/nope.jsonl"
  expect_contains "$T/err" "nope.jsonl"
  expect_ge "$(grep -c '"kind":"observation"' "$T/out")" 2 "the existing file is still read"
}

test_closed_stdout_ends_quietly_and_a_failed_write_is_an_error() {
  patlog --no-db "$FIXTURES"/*/* 2>/dev/null >"$T/events"
  patdetect "$T/events" 2>"$T/err" | head -1 >/dev/null
  expect_eq "${PIPESTATUS[0]}" 0 "exit with a closed pipe"
  expect_eq "$(wc -c <"$T/err")" 0 "nothing on stderr"
  if [ -w /dev/full ]; then
    patdetect "$T/events" >/dev/full 2>"$T/err"
    expect_eq "$?" 74 "exit on a full device"
    expect_contains "$T/err" "write error"
  fi
}

test_store_input_window_and_resume() {
  # Generated sessions carry their own times, all before 2026-11-20.
  "$PAT_SRC/scripts/gen-sessions" --sessions 12 --seed 3 --out "$T/gen" || fail "gen-sessions"
  patlog -q "$T/gen/events.jsonl" "$T/gen/exec.jsonl"
  patdetect --db "$PAT_DB" >"$T/all"
  expect_ge "$(grep -c '"kind":"observation"' "$T/all")" 10 "observations in the whole store"
  expect_exit 0 patdetect --since 1h
  expect_eq "$(wc -c <"$T/out")" 0 "last hour"
  expect_exit 0 patdetect --since 3650d
  expect_eq "$(grep '"kind":"observation"' "$T/out")" "$(grep '"kind":"observation"' "$T/all")" "last ten years"
  expect_exit 0 patdetect --resume
  expect_eq "$(grep '"kind":"observation"' "$T/out")" "$(grep '"kind":"observation"' "$T/all")" "first resume"
  expect_exit 0 patdetect --resume
  expect_eq "$(wc -c <"$T/out")" 0 "second resume"
  expect_eq "$(sql "SELECT position = (SELECT max(rowid) FROM events) FROM cursors WHERE name = 'patdetect'")" 1 "cursor"
}

test_store_errors() {
  expect_exit 66 patdetect --db "$T/none.db"
  expect_contains "$T/err" "no store at"
  expect_exit 64 patdetect --since 3 fortnights
  expect_exit 64 patdetect --since 3x
  expect_contains "$T/err" 'is not a duration'
  expect_exit 64 patdetect --resume some.jsonl
  expect_contains "$T/err" "cannot be combined"
  # A store locked by another writer: --resume reads, but cannot move its cursor.
  patlog -q "$PAT_SRC/share/pattools/examples/claude-hooks.jsonl"
  hold_write_lock "$PAT_DB"
  expect_exit 75 patdetect --resume --busy-timeout 200
  expect_contains "$T/err" "locked by another process"
  release_write_lock
  expect_exit 0 patdetect --resume
  expect_ge "$(grep -c '"kind":"observation"' "$T/out")" 2 "the next run gives what the busy one could not commit"
}

test_class_rules_of_the_user_win() {
  {
    event s1 deploy success '{"namespace":"a"}'
    event s1 deploy failure '{"namespace":"zz-9"}' "quota exceeded for namespace zz-9"
    event s1 deploy failure '{"namespace":"yy-8"}' "quota exceeded for namespace yy-8"
  } | patlog --no-db >"$T/in"
  expect_exit 0 patdetect -v "$T/in"
  expect_contains "$T/err" "2 rate_limit"
  expect_eq "$(grep -c observation "$T/out")" 0 "not a usage mistake"
  mkdir -p "$XDG_CONFIG_HOME/pattools"
  echo 'INCORRECT_PARAMETER  quota exceeded for namespace' >"$XDG_CONFIG_HOME/pattools/failure-classes.rules"
  expect_exit 0 patdetect "$T/in"
  expect_eq "$(jq -r 'select(.kind == "observation") | .category' "$T/out" | sort -u)" "INCORRECT_PARAMETER" "the user's rule"
  echo 'NOT_A_CLASS  x' >"$T/bad.rules"
  expect_exit 78 patdetect --class-rules "$T/bad.rules" "$T/in"
  expect_contains "$T/err" 'bad.rules:1: unknown class "NOT_A_CLASS"'
}

run_tests
