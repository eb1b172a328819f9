#!/usr/bin/env bash
# patlearn beyond the pipeline: feedback from patcheck's verdicts, export and import, rollback,
# level thresholds, bad input and a busy store.
source "$(dirname "$0")/lib.sh"

EXAMPLES="$PAT_SRC/share/pattools/examples"

# The example sessions' observations in $T/obs and their patterns in the store.
learn_examples() {
  patlog -q "$EXAMPLES/claude-hooks.jsonl" "$EXAMPLES/exec-records.jsonl"
  patdetect --db "$PAT_DB" >"$T/obs"
  patlearn <"$T/obs" >"$T/learned" || fail "patlearn exited $?"
}

pattern_of() {  # TOOL PART-or-session: the id of the pattern whose check reads that shell part
  patlearn --export | jq -r --arg t "$1" --arg c "$2" \
    'select(.tool == $t and any(.mistake.all[]; (.part.shell // .session) == $c)) | .id'
}

field() {  # ID JQ-PATH
  patlearn --export | jq -r --arg id "$1" "select(.id == \$id) | $2"
}

hook() {  # EVENT TOOL_USE_ID [ERROR]: a Bash hook payload for `just test`, stored
  jq -cn --arg e "$1" --arg id "$2" --arg err "${3:-}" \
    '{session_id: "s-feedback", transcript_path: "/nonexistent", cwd: "/tmp", hook_event_name: $e,
      tool_name: "Bash", tool_input: {command: "just test"}, tool_use_id: $id}
     + (if $e == "PostToolUse" then {tool_response: {stdout: "ok"}} else {error: $err} end)' | patlog --hook
}

verdict() {  # TOOL_USE_ID DECISION PATTERN-ID [TS]
  sql "INSERT INTO verdicts(ts, session, tool, tool_use_id, decision, patterns)
       VALUES('${4:-2026-11-21T00:00:00.000Z}', 's-feedback', 'Bash', '$1', '$2', json_array('$3'))"
}

test_a_false_positive_lowers_confidence_and_a_confirmed_warning_raises_it() {
  learn_examples
  local id before
  id=$(pattern_of Bash program)
  expect_ne "$id" "" "the pattern of the program that is not installed"
  before=$(field "$id" .confidence)
  # Warned, then succeeded: a false positive.
  verdict toolu_fp warn "$id"
  hook PostToolUse toolu_fp
  patlearn </dev/null >"$T/out" || fail "patlearn exited $?"
  expect_eq "$(jq -r .id "$T/out")" "$id" "the pattern changed"
  expect_eq "$(field "$id" '.checks | "\(.warned) \(.false_positive) \(.true_positive)"')" "1 1 0" "checks"
  expect_eq "$(field "$id" .confidence)" "$(echo "$before - 0.05" | bc -l | sed 's/^\./0./; s/0*$//')" "confidence"
  expect_eq "$(field "$id" .version)" 2 "version"
  # Warned, then failed with the pattern's error: confirmed.
  verdict toolu_tp warn "$id"
  hook PostToolUseFailure toolu_tp $'Exit code 127\n/bin/bash: line 1: just: command not found'
  patlearn </dev/null >/dev/null
  expect_eq "$(field "$id" '.checks | "\(.warned) \(.false_positive) \(.true_positive)"')" "2 1 1" "checks"
  expect_eq "$(field "$id" .confidence)" "$(echo "$before - 0.05 + 0.01" | bc -l | sed 's/^\./0./; s/0*$//')" "confidence"
  # A verdict whose call never reports back is counted, and closed after a week.
  verdict toolu_blocked block "$id" 2026-01-01T00:00:00.000Z
  patlearn </dev/null >/dev/null
  expect_eq "$(field "$id" .checks.blocked)" 1 "blocked"
  expect_eq "$(sql "SELECT outcome FROM verdicts WHERE tool_use_id = 'toolu_blocked'")" "none" "closed"
  expect_eq "$(sql "SELECT count(*) FROM verdicts WHERE reconciled_at IS NULL")" 0 "all reconciled"
  patlearn </dev/null >"$T/again"
  expect_eq "$(wc -c <"$T/again")" 0 "nothing changes the second time"
}

test_export_import_round_trip() {
  learn_examples
  patlearn --export >"$T/mine"
  expect_ge "$(wc -l <"$T/mine")" 3 "patterns"
  patlearn --db "$T/theirs.db" --import "$T/mine" >"$T/out" || fail "import exited $?"
  patlearn --db "$T/theirs.db" --export >"$T/theirs"
  expect_eq "$(jq -c '[.id, .observations, .mistake, .confidence]' "$T/theirs")" \
    "$(jq -c '[.id, .observations, .mistake, .confidence]' "$T/mine")" "the same patterns"
  patlearn --db "$T/theirs.db" --import "$T/mine" >"$T/out"
  expect_eq "$(wc -c <"$T/out")" 0 "the same records again change nothing"
  # Another store's pattern with the same id adds its observations.
  jq -c '.observations = 9 | .version = 4' "$T/mine" | head -1 >"$T/more"
  patlearn --db "$T/theirs.db" --import "$T/more" >"$T/out"
  expect_eq "$(jq -r .observations "$T/out")" "$(($(head -1 "$T/mine" | jq .observations) + 9))" "observations add up"
}

test_import_rejects_bad_records_with_their_lines_and_merges_the_rest() {
  learn_examples
  patlearn --export | head -1 >"$T/good"
  {
    echo '{"kind":"pattern","v":1,"tool":"Bash"}'
    cat "$T/good"
    echo 'not json'
    jq -c '.confidence = 7' "$T/good"
  } >"$T/mixed"
  expect_exit 65 patlearn --db "$T/other.db" --import "$T/mixed" --rejects "$T/rejects"
  expect_contains "$T/err" 'error \(at .*mixed:1\): pattern record: field "category" is missing'
  expect_contains "$T/err" 'error \(at .*mixed:3\): '
  expect_contains "$T/err" 'error \(at .*mixed:4\): pattern record: "confidence" is not between 0 and 1'
  expect_eq "$(wc -l <"$T/rejects")" 3 "rejected lines kept"
  expect_eq "$(patlearn --db "$T/other.db" --export | jq -r .id)" "$(jq -r .id "$T/good")" "the good record merged"
}

test_rollback_restores_the_previous_version() {
  learn_examples
  local id
  id=$(pattern_of Bash program)
  patlearn --export >"$T/mine"
  patlearn --import "$T/mine" >/dev/null
  expect_eq "$(field "$id" .version)" 2 "version after the import"
  expect_eq "$(field "$id" .observations)" 4 "observations after the import"
  expect_exit 0 patlearn --rollback "$id"
  expect_eq "$(jq -c '[.version, .observations]' "$T/out")" "[1,2]" "rolled back"
  expect_eq "$(field "$id" .observations)" 2 "stored"
  expect_eq "$(sql "SELECT count(*) FROM pattern_versions WHERE pattern = '$id'")" 1 "versions"
  expect_exit 65 patlearn --rollback "$id"
  expect_contains "$T/err" "has no version before version 1"
  expect_exit 65 patlearn --rollback 0123456789abcdef0123456789abcdef
  expect_contains "$T/err" "no pattern 0123456789abcdef0123456789abcdef"
}

test_records_of_other_kinds_are_rejected_and_the_rest_merged() {
  patlog --no-db "$EXAMPLES/claude-hooks.jsonl" >"$T/events"
  patdetect "$T/events" >"$T/obs"
  { head -1 "$T/events"; cat "$T/obs"; echo '{"kind":"observation","v":2}'; } >"$T/in"
  expect_exit 65 patlearn "$T/in"
  expect_contains "$T/err" 'error \(at .*in:1\): not an observation or candidate record \("kind": "event"\)'
  expect_contains "$T/err" 'error \(at .*in:[0-9]+\): observation record: unsupported version'
  expect_ge "$(patlearn --export | wc -l)" 3 "patterns from the good records"
}

test_level_thresholds_are_flags_and_config_keys() {
  patlog --no-db "$EXAMPLES/claude-hooks.jsonl" | patdetect >"$T/obs"
  patlearn --critical-at 0.5 --high-at 0.5 --medium-at 0.5 <"$T/obs" >"$T/out"
  expect_eq "$(jq -r .level "$T/out" | sort -u)" "critical" "levels"
  mkdir -p "$XDG_CONFIG_HOME/pattools"
  printf '[patlearn]\nmedium-at = 0.5\n' >"$XDG_CONFIG_HOME/pattools/config.toml"
  patlearn --db "$T/b.db" <"$T/obs" >"$T/out"
  expect_eq "$(jq -r .level "$T/out" | sort -u)" "medium" "from the config file"
  expect_exit 64 patlearn --db "$T/c.db" --medium-at 0.9 --high-at 0.8 </dev/null
  expect_contains "$T/err" "levels must satisfy"
  expect_exit 64 patlearn --merge-threshold 1.5 </dev/null
}

test_a_busy_store_changes_nothing() {
  patlog --no-db "$EXAMPLES/claude-hooks.jsonl" | patdetect >"$T/obs"
  patlearn </dev/null >/dev/null  # creates the store
  hold_write_lock "$PAT_DB"
  expect_exit 75 patlearn --busy-timeout 200 "$T/obs"
  expect_contains "$T/err" "locked by another process"
  release_write_lock
  expect_eq "$(patlearn --export | wc -l)" 0 "nothing stored"
  expect_exit 0 patlearn "$T/obs"
  expect_ge "$(patlearn --export | wc -l)" 3 "stored on the next run"
}

run_tests
