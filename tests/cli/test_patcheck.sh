#!/usr/bin/env bash
# patcheck end to end: the generated sessions of test_detect_learn.sh learned, then every bad call
# warned or blocked at the level its pattern's confidence gives and every good call let through
# in silence; workflow checks that read the session's history; the hook JSON of the contract;
# feedback that lowers a false positive's confidence; failing open (or closed); 10,000 patterns
# and a 1 MiB payload.
source "$(dirname "$0")/lib.sh"

DATA=$(mktemp -d "${TMPDIR:-/tmp}/pat-check.XXXXXX")
trap 'rm -rf "$DATA"' EXIT
"$PAT_SRC/scripts/gen-sessions" --sessions 40 --seed 1 --out "$DATA/gen" >/dev/null || { echo "FAIL: gen-sessions" >&2; exit 1; }
MANIFEST="$DATA/gen/manifest.json"

# The patterns of the generated sessions in $DATA/learned.db (with their events), once for all
# tests. Some mistakes are made more common (copies of their observations with new ids), so
# that every level is there: short_sha critical, unknown_flag high, the rest as they come.
patlog -q --db "$DATA/learned.db" "$DATA/gen/events.jsonl" "$DATA/gen/exec.jsonl"
patdetect --db "$DATA/learned.db" >"$DATA/obs"
boost() {  # TOOL CATEGORY COPIES
  jq -c --arg t "$1" --arg c "$2" --argjson n "$3" \
    'select(.kind == "observation" and .tool == $t and .category == $c) | . as $o | range($n) as $k | $o | .id = "\($o.id)-\($k)"' \
    "$DATA/obs" 2>/dev/null
}
{
  cat "$DATA/obs"
  boost mcp__git__show_commit PARAMETER_FORMAT 20
  boost Bash INCORRECT_PARAMETER 4
} | patlearn --db "$DATA/learned.db" >/dev/null
patlearn --db "$DATA/learned.db" --export >"$DATA/patterns"

level_of() {  # TOOL CATEGORY
  jq -r --arg t "$1" --arg c "$2" 'select(.tool == $t and .category == $c) | .level' "$DATA/patterns"
}

calls_of() {  # MISTAKE: its bad calls as patcheck's JSONL input
  jq -c --arg m "$1" '.mistakes[] | select(.name == $m) | .bad_calls[] | {tool, input, session}' "$MANIFEST"
}

test_levels_cover_block_warn_and_silence() {
  expect_eq "$(level_of mcp__git__show_commit PARAMETER_FORMAT)" critical "short SHA"
  expect_eq "$(level_of Bash INCORRECT_PARAMETER)" high "unknown flag"
  expect_eq "$(level_of deploy MISSING_PREREQUISITE)" low "deploy before reserve"
}

test_bad_calls_are_blocked_or_warned_at_their_level() {
  # A store with the patterns only: the bad calls' sessions have no history there.
  patlearn --trust --import "$DATA/patterns" >/dev/null
  local m tool category level want got
  for m in short_sha missing_program unknown_flag; do
    tool=$(jq -r --arg m "$m" '.mistakes[] | select(.name == $m) | .tool' "$MANIFEST")
    category=$(jq -r --arg m "$m" '.mistakes[] | select(.name == $m) | .category' "$MANIFEST")
    level=$(level_of "$tool" "$category")
    case $level in critical) want=block ;; high | medium) want=warn ;; *) want=allow ;; esac
    calls_of "$m" | patcheck --no-record >"$T/verdicts"
    got=$(jq -r .decision "$T/verdicts" | sort -u)
    expect_eq "$got" "$want" "$m ($level)"
    expect_eq "$(wc -l <"$T/verdicts")" "$(calls_of "$m" | wc -l)" "$m: one verdict per call"
    if [ "$want" != allow ]; then
      expect_eq "$(jq -r .level "$T/verdicts" | sort -u)" "$level" "$m: level"
      expect_eq "$(jq -r '.matches[0].prevention | length > 0' "$T/verdicts" | sort -u)" true "$m: prevention"
    fi
    # With every pattern shown, every bad call matches.
    calls_of "$m" | patcheck --no-record --min-confidence 0 | jq -r .decision | sort -u >"$T/all"
    expect_ne "$(cat "$T/all")" allow "$m at any confidence"
  done
  # The blocked calls exit 2 in jsonl and text modes.
  expect_exit 2 patcheck --no-record mcp__git__show_commit repo=app sha=a1b2c3d
  expect_contains "$T/err" "pattools blocked this mcp__git__show_commit call"
  expect_contains "$T/err" "Pass .sha. as 40 hex characters"
}

test_a_hook_run_without_arguments_follows_the_configuration() {
  # The hook's run sets its options without the command-line parser when no configuration entry
  # applies to it: the same answers either way.
  patlearn --trust --import "$DATA/patterns" >/dev/null
  local payload='{"session_id": "s", "hook_event_name": "PreToolUse", "cwd": "/tmp", "tool_name": "mcp__git__show_commit",
    "tool_input": {"repo": "app", "sha": "a1b2c3d"}, "tool_use_id": "toolu_1"}'
  patcheck --no-record <<<"$payload" >"$T/out"
  expect_contains "$T/out" '"permissionDecision":"deny"'
  printf '[patcheck]\nmin-confidence = 1\n' >"$T/config.toml"
  PAT_CONFIG="$T/config.toml" patcheck <<<"$payload" >"$T/out"
  expect_eq "$(wc -c <"$T/out")" 0 "with min-confidence = 1 in [patcheck]"
  printf 'db = "%s"\n' "$T/none.db" >"$T/config.toml"
  (
    unset PAT_DB
    PAT_CONFIG="$T/config.toml" patcheck <<<"$payload" >"$T/out" 2>"$T/err"
  )
  expect_eq "$(wc -c <"$T/out")" 0 "with a top-level db that does not exist"
  expect_contains "$T/err" "no store at $T/none.db"
  printf '[patcheck]\nno-such-key = 1\n' >"$T/config.toml"
  PAT_CONFIG="$T/config.toml" expect_exit 78 patcheck <<<"$payload"
  expect_contains "$T/err" "config.toml:2: patcheck has no option --no-such-key"
}

test_good_calls_pass_in_silence() {
  # Every successful call of the generated sessions, against the store that holds their history.
  jq -c '.good_calls[] | {tool, input, session}' "$MANIFEST" >"$T/good"
  patcheck --db "$DATA/learned.db" --no-record --min-confidence 0 <"$T/good" >"$T/verdicts"
  expect_eq "$?" 0 "exit"
  expect_eq "$(wc -l <"$T/verdicts")" "$(wc -l <"$T/good")" "one verdict per call"
  expect_eq "$(jq -r .decision "$T/verdicts" | sort | uniq -c | tr -s ' ')" " $(wc -l <"$T/good") allow" "decisions"
  # As a hook: no output at all.
  jq -c '.good_calls[] | select(.tool == "Bash") | {session_id: .session, transcript_path: "/t", cwd: "/srv/app",
      permission_mode: "default", hook_event_name: "PreToolUse", tool_name: .tool, tool_input: .input,
      tool_use_id: "toolu_good"}' "$MANIFEST" | head -20 | while IFS= read -r payload; do
    printf '%s\n' "$payload" | patcheck --db "$DATA/learned.db" --no-record --min-confidence 0
  done >"$T/hook"
  expect_eq "$(wc -c <"$T/hook")" 0 "hook output for good calls"
}

hook_payload() {  # SESSION TOOL INPUT-JSON [TOOL_USE_ID] [EVENT]
  jq -cn --arg s "$1" --arg t "$2" --argjson i "$3" --arg id "${4:-toolu_x}" --arg e "${5:-PreToolUse}" \
    '{session_id: $s, transcript_path: "/nonexistent", cwd: "/tmp", permission_mode: "default",
      hook_event_name: $e, tool_name: $t, tool_input: $i, tool_use_id: $id}
     + (if $e == "PostToolUse" then {tool_response: {}} else {} end)'
}

test_an_edit_of_a_file_not_read_is_caught_before_it_runs() {
  patlearn --trust --import "$DATA/patterns" --medium-at 0.5 >/dev/null
  local edit='{"file_path":"/srv/app/backend/app/api.py","old_string":"a","new_string":"b"}'
  hook_payload s-new Edit "$edit" toolu_e1 | patcheck --min-confidence 0.5 >"$T/out"
  expect_eq "$?" 0 "exit"
  expect_contains "$T/out" '`Edit` before `Read` of the same `file_path`'
  # The session reads the file (patlog stores it as the hooks do); the same Edit now passes.
  hook_payload s-new Read '{"file_path":"/srv/app/backend/app/api.py"}' toolu_r1 PostToolUse | patlog --hook
  [ -n "$(ls "$PAT_DB.sessions" 2>/dev/null)" ] || fail "patlog --hook kept no file of the session"
  hook_payload s-new Edit "$edit" toolu_e2 | patcheck --min-confidence 0.5 >"$T/out"
  expect_eq "$(wc -c <"$T/out")" 0 "after the Read"
  # Reading another file does not count; a new file needs no Read.
  hook_payload s-new Edit '{"file_path":"/srv/app/backend/app/db.py","old_string":"a","new_string":"b"}' \
    | patcheck --min-confidence 0.5 >"$T/out"
  expect_contains "$T/out" 'additionalContext'
  hook_payload s-new Write "{\"file_path\":\"$T/new.md\",\"content\":\"x\"}" | patcheck --min-confidence 0 >"$T/out"
  expect_eq "$(wc -c <"$T/out")" 0 "a Write of a new file"
  echo old >"$T/old.md"
  hook_payload s-new Write "{\"file_path\":\"$T/old.md\",\"content\":\"x\"}" | patcheck --min-confidence 0 >"$T/out"
  expect_contains "$T/out" 'Run `Read` on the same `file_path` before `Write`'
}

test_hook_json_has_exactly_the_fields_of_the_contract() {
  patlearn --trust --import "$DATA/patterns" >/dev/null
  hook_payload s1 mcp__git__show_commit '{"repo":"app","sha":"abc1234"}' | patcheck >"$T/block"
  expect_eq "$?" 0 "exit with a decision in JSON"
  expect_eq "$(jq -c '[paths(scalars)] | map(join("."))' "$T/block")" \
    '["hookSpecificOutput.hookEventName","hookSpecificOutput.permissionDecision","hookSpecificOutput.permissionDecisionReason"]' "block fields"
  expect_eq "$(jq -r .hookSpecificOutput.permissionDecision "$T/block")" deny "decision"
  jq -r .hookSpecificOutput.permissionDecisionReason "$T/block" >"$T/reason"
  expect_contains "$T/reason" '`sha` is 7 hex characters'
  expect_contains "$T/reason" 'confidence 0\.9[5-9], critical level, seen [0-9]+ times'
  expect_contains "$T/reason" 'Prevention: Pass `sha` as 40 hex characters'
  hook_payload s1 Bash '{"command":"pytest --cov-repot=html backend/tests"}' | patcheck >"$T/warn"
  expect_eq "$(jq -c '[paths(scalars)] | map(join("."))' "$T/warn")" \
    '["hookSpecificOutput.additionalContext","hookSpecificOutput.hookEventName"]' "warn fields"
  expect_eq "$(jq -r .hookSpecificOutput.hookEventName "$T/warn")" PreToolUse "event name"
  hook_payload s1 Bash '{"command":"git status"}' | patcheck >"$T/none"
  expect_eq "$(wc -c <"$T/none")" 0 "no match, no output"
}

test_a_false_positive_lowers_confidence_on_the_next_patlearn() {
  patlearn --trust --import "$DATA/patterns" >/dev/null
  local id before
  id=$(jq -r 'select(.tool == "Bash" and .category == "INCORRECT_PARAMETER") | .id' "$DATA/patterns")
  before=$(patlearn --export | jq -r --arg id "$id" 'select(.id == $id) | .confidence')
  hook_payload s-fp Bash '{"command":"pytest --cov-repot=html backend/tests"}' toolu_fp | patcheck >"$T/out"
  expect_contains "$T/out" additionalContext
  expect_eq "$(sql "SELECT decision || ' ' || tool_use_id FROM verdicts")" "warn toolu_fp" "verdict recorded"
  # The call ran and succeeded after all.
  hook_payload s-fp Bash '{"command":"pytest --cov-repot=html backend/tests"}' toolu_fp PostToolUse | patlog --hook
  patlearn </dev/null >/dev/null
  expect_eq "$(patlearn --export | jq -r --arg id "$id" 'select(.id == $id) | "\(.checks.warned) \(.checks.false_positive)"')" "1 1" "checks"
  expect_eq "$(patlearn --export | jq -r --arg id "$id" 'select(.id == $id) | .confidence < '"$before")" true "confidence lowered"
  # --no-record leaves no verdict behind.
  hook_payload s-fp Bash '{"command":"pytest --cov-repot=html x"}' toolu_nr | patcheck --no-record >/dev/null
  expect_eq "$(sql "SELECT count(*) FROM verdicts WHERE tool_use_id = 'toolu_nr'")" 0 "not recorded"
}

test_fail_open_and_fail_closed() {
  local payload
  payload=$(hook_payload s1 Bash '{"command":"just build"}')
  # No store.
  printf '%s' "$payload" | patcheck --db "$T/none.db" >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "no store: allowed"
  expect_eq "$(wc -c <"$T/out")" 0 "no output"
  expect_contains "$T/err" "no store at .*none.db"
  [ -e "$T/none.db" ] && fail "patcheck created a store"
  printf '%s' "$payload" | patcheck --db "$T/none.db" --fail-closed >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "claude format decides in JSON"
  expect_eq "$(jq -r .hookSpecificOutput.permissionDecision "$T/out")" deny "fail closed"
  expect_contains "$T/out" "could not check this call"
  # A corrupt store.
  head -c 20000 /dev/urandom >"$T/corrupt.db"
  printf '%s' "$payload" | patcheck --db "$T/corrupt.db" >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "corrupt store: allowed"
  expect_eq "$(wc -c <"$T/out")" 0 "no output"
  expect_contains "$T/err" "patcheck: "
  # A bad payload, and a bad line in a stream.
  patlearn --trust --import "$DATA/patterns" >/dev/null
  echo '{"hook_event_name": "PreToolUse", oops' | patcheck >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "bad payload: allowed"
  expect_contains "$T/err" "call allowed \(fail open\)"
  printf '%s\n' '{"tool":"Bash","input":{"command":"ls"}}' 'garbage' '{"tool":"Bash","input":{"command":"pytest --cov-repot=x"}}' \
    | patcheck --fail-closed >"$T/out" 2>"$T/err"
  expect_eq "$?" 2 "fail closed blocks the bad line"
  expect_eq "$(jq -r .decision "$T/out" | paste -sd' ')" "allow block warn" "one verdict per line"
  expect_contains "$T/err" "<stdin>:2: "
  expect_eq "$(sql "SELECT count(*) FROM verdicts WHERE patterns = '[]'")" 0 "a call that was not checked is no feedback"
  expect_eq "$(sql "SELECT count(*) FROM verdicts")" 1 "the warned call is recorded"
  # Usage errors keep their status.
  expect_exit 64 patcheck --no-such-flag
  expect_exit 64 patcheck Bash command
}

test_a_call_no_pattern_matches_is_answered_without_opening_the_store() {
  patlearn --trust --import "$DATA/patterns" >/dev/null
  [ -f "$PAT_DB.checks" ] || fail "patlearn wrote no check index"
  local good='{"tool":"Bash","input":{"command":"ls -la"}}' bad='{"tool":"Bash","input":{"command":"pytest --cov-repot=x"}}'
  expect_eq "$(printf '%s\n' "$bad" | patcheck --no-record | jq -r .decision)" warn "the bad call, the store intact"
  # The store's first bytes spoiled in place (the same file): the call the index clears never
  # opens it (nothing is said); the call that may match needs it, and cannot be checked.
  printf 'not a database!!' | dd of="$PAT_DB" bs=16 count=1 conv=notrunc status=none
  printf '%s\n' "$good" | patcheck >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "the good call"
  expect_eq "$(jq -r .decision "$T/out")" allow "the good call: allowed"
  expect_eq "$(wc -c <"$T/err")" 0 "the good call: nothing said"
  printf '%s\n' "$bad" | patcheck >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "the bad call: let through (fail open)"
  expect_contains "$T/err" "not a database"
  # With --fail-closed the store answers every call: both are blocked.
  printf '%s\n%s\n' "$good" "$bad" | patcheck --fail-closed >"$T/out" 2>"$T/err"
  expect_eq "$?" 2 "fail closed"
  expect_eq "$(jq -r .decision "$T/out" | paste -sd' ')" "block block" "fail closed, with the store unreadable"
}

test_the_check_index_follows_every_change_of_the_patterns() {
  local sha_call
  sha_call=$(calls_of short_sha | head -1)
  # The patterns of one tool left out: its bad call passes.
  jq -c 'select(.tool != "mcp__git__show_commit")' "$DATA/patterns" >"$T/some"
  jq -c 'select(.tool == "mcp__git__show_commit")' "$DATA/patterns" >"$T/rest"
  patlearn --trust --import "$T/some" >/dev/null
  expect_eq "$(printf '%s\n' "$sha_call" | patcheck --no-record | jq -r .decision)" allow "before the import"
  # Imported: blocked at once, and the index lists them.
  patlearn --trust --import "$T/rest" >/dev/null
  expect_eq "$(printf '%s\n' "$sha_call" | patcheck --no-record | jq -r .decision)" block "after the import"
  expect_ge "$(grep -c '^mcp__git__show_commit' "$PAT_DB.checks")" 1 "the index lists the new patterns"
  # Removed, the index is written again by the next patcheck.
  rm "$PAT_DB.checks"
  expect_eq "$(printf '%s\n' "$sha_call" | patcheck --no-record | jq -r .decision)" block "without an index"
  [ -f "$PAT_DB.checks" ] || fail "patcheck did not write the index again"
  # Four years unseen: patprune archives every pattern, and the index lists none.
  patprune --now 2031-01-01T00:00:00Z >/dev/null 2>&1
  expect_eq "$(sql "SELECT count(*) FROM patterns WHERE status = 'active'")" 0 "active after pruning"
  expect_eq "$(printf '%s\n' "$sha_call" | patcheck --no-record | jq -r .decision)" allow "after pruning"
  expect_eq "$(grep -c $'\t' "$PAT_DB.checks")" 0 "checks in the index after pruning"
}

test_ten_thousand_patterns_and_a_1_MiB_payload() {
  # 100 tools with 100 patterns each, each checking its own parameter: 10,000 in all.
  jq -cn 'range(10000) as $i | {kind: "pattern", v: 1, id: ("p\($i)"), tool: ("tool\($i % 100)"),
      category: "INCORRECT_PARAMETER", template: "failure number \($i) of tool \($i % 100)",
      mistake: {param: "param\($i)", check: {type: "value", values: ["bad\($i)"]}},
      root_cause: "param\($i) is bad\($i)", prevention: [{action: "do not pass bad\($i)", reason: "test"}],
      events: [], observations: 100, confidence: 0.95, level: "critical", status: "active", version: 1}' >"$T/many"
  patlearn --trust --import "$T/many" >/dev/null || fail "import exited $?"
  expect_eq "$(sql "SELECT count(*) FROM patterns WHERE status = 'active'")" 10000 "patterns"
  expect_exit 2 patcheck --no-record tool42 param4242=bad4242
  expect_contains "$T/err" "param4242 is bad4242"
  expect_exit 0 patcheck --no-record tool42 param4242=good
  # A 1 MiB payload (a Write of a large file) that matches one of them.
  head -c 1048576 /dev/zero | tr '\0' 'x' >"$T/big"
  jq -cn --rawfile c "$T/big" '{session_id: "s", transcript_path: "/t", cwd: "/tmp", permission_mode: "default",
      hook_event_name: "PreToolUse", tool_name: "tool7", tool_use_id: "toolu_big",
      tool_input: {content: $c, param7007: "bad7007"}}' >"$T/payload"
  expect_ge "$(wc -c <"$T/payload")" 1048576 "payload size"
  patcheck --no-record <"$T/payload" >"$T/out"
  expect_eq "$(jq -r .hookSpecificOutput.permissionDecision "$T/out")" deny "large payload"
  expect_contains "$T/out" "param7007 is bad7007"
}

run_tests
