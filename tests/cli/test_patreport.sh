#!/usr/bin/env bash
# patreport end to end: a fixed store (the generated sessions of test_patcheck.sh learned, some
# verdicts reconciled by patlearn, a few old patterns imported) reported at a fixed --now and
# compared with the golden files in tests/data/report/; the same store and --now give the same
# bytes; the Markdown passes markdownlint; the session-start context stays under its cap with
# 10,000 patterns; --output is atomic; a missing store is exit 66 (and nothing in hook mode).
#
# To rewrite the golden files after a deliberate change of the reports, run this suite with
# PAT_UPDATE_GOLDEN=1 (e.g. PAT_UPDATE_GOLDEN=1 ctest --test-dir build/default -R patreport)
# and review the diff.
source "$(dirname "$0")/lib.sh"

GOLDEN="$PAT_SRC/tests/data/report"
LINT_CONFIG="$GOLDEN/markdownlint.yaml"
NOW=2026-11-21T12:00:00Z
REPORTS="dashboard context weekly candidates"

DATA=$(mktemp -d "${TMPDIR:-/tmp}/pat-report.XXXXXX")
trap 'rm -rf "$DATA"' EXIT
STORE="$DATA/report.db"

# The fixed store, built once for all tests (the reports only read it).
build_store() {
  local db=$STORE
  "$PAT_SRC/scripts/gen-sessions" --sessions 40 --seed 1 --out "$DATA/gen" >/dev/null || return 1
  patlog -q --db "$db" "$DATA/gen/events.jsonl" "$DATA/gen/exec.jsonl" || return 1
  patdetect --db "$db" >"$DATA/obs" || return 1
  # Some mistakes made more common (copies of their observations with new ids), so that every
  # level is there: the short SHA critical, the unknown flag high, the Edit before Read medium.
  boost() {  # TOOL CATEGORY COPIES
    jq -c --arg t "$1" --arg c "$2" --argjson n "$3" \
      'select(.kind == "observation" and .tool == $t and .category == $c) | . as $o | range($n) as $k | $o | .id = "\($o.id)-\($k)"' \
      "$DATA/obs"
  }
  { cat "$DATA/obs"; boost mcp__git__show_commit PARAMETER_FORMAT 20; boost Bash INCORRECT_PARAMETER 6; } \
    | patlearn --db "$db" >/dev/null || return 1
  patlearn --db "$db" --export >"$DATA/patterns"
  pid() { jq -r --arg t "$1" --arg c "$2" 'select(.tool == $t and .category == $c) | .id' "$DATA/patterns"; }
  call() {  # TOOL OUTCOME ERROR-LIKE [OFFSET]: the tool_use_id of one stored call
    sql "SELECT tool_use_id FROM events WHERE tool = '$1' AND outcome = '$2' AND tool_use_id IS NOT NULL
           AND coalesce(json_extract(details, '$.error'), '') LIKE '$3' ORDER BY ts, id LIMIT 1 OFFSET ${4:-0}" "$db"
  }
  verdict() {  # TS TOOL TOOL_USE_ID DECISION PATTERN-ID
    local use="NULL"
    [ -z "$3" ] || use="'$3'"
    sql "INSERT INTO verdicts(ts, session, tool, tool_use_id, decision, patterns)
         VALUES('$1', 's-report', '$2', $use, '$4', json_array('$5'))" "$db"
  }
  local flag sha edit just deploy
  flag=$(pid Bash INCORRECT_PARAMETER) sha=$(pid mcp__git__show_commit PARAMETER_FORMAT)
  edit=$(pid Edit WORKFLOW_SEQUENCE) just=$(pid Bash MISSING_PREREQUISITE) deploy=$(pid deploy MISSING_PREREQUISITE)
  # The flag: warned, failed as predicted (true positive); warned, succeeded (false positive).
  verdict 2026-11-19T10:00:00.000Z Bash "$(call Bash failure '%unrecognized arguments%')" warn "$flag"
  verdict 2026-11-19T11:00:00.000Z Bash "$(call Bash success '')" warn "$flag"
  # The short SHA: blocked twice, once in an earlier week.
  verdict 2026-11-20T09:00:00.000Z mcp__git__show_commit "" block "$sha"
  verdict 2026-11-03T09:00:00.000Z mcp__git__show_commit "" block "$sha"
  # Edit before Read: blocked once, warned twice and both failed (1 of 3 stopped).
  verdict 2026-11-18T08:00:00.000Z Edit "" block "$edit"
  verdict 2026-11-18T09:00:00.000Z Edit "$(call Edit failure '%has not been read%' 0)" warn "$edit"
  verdict 2026-11-18T10:00:00.000Z Edit "$(call Edit failure '%has not been read%' 1)" warn "$edit"
  # A program that is not installed and a deploy before its reserve: blocked.
  verdict 2026-11-19T12:00:00.000Z Bash "" block "$just"
  verdict 2026-11-19T13:00:00.000Z deploy "" block "$deploy"
  patlearn --db "$db" </dev/null >/dev/null || return 1
  # Old patterns: one due for decay, one for archiving, one archived already.
  old_pattern() {  # ID TOOL OBSERVATIONS LAST-SEEN STATUS
    jq -cn --arg id "$1" --arg tool "$2" --argjson n "$3" --arg seen "$4" --arg status "$5" \
      '{kind: "pattern", v: 1, id: $id, tool: $tool, category: "INCORRECT_PARAMETER",
        template: "unknown target <*>", mistake: {param: "target", check: {type: "value", values: ["old-\($tool)"]}},
        root_cause: "A wrong parameter: the target `old-\($tool)` no longer exists.",
        prevention: [{action: "Build `all` instead", reason: "the agent recovered this way \($n) times"}],
        events: [], observations: $n, confidence: 0.5, level: "low", first_seen: "2026-06-01T00:00:00.000Z",
        last_seen: $seen, status: $status, version: 1}'
  }
  {
    old_pattern 01d0a100000000000000000000000001 legacy-build 3 2026-07-20T08:00:00.000Z active
    old_pattern 02d0a100000000000000000000000002 legacy-lint 10 2026-10-10T08:00:00.000Z active
    old_pattern 03d0a100000000000000000000000003 legacy-old 2 2026-02-01T08:00:00.000Z archived
  } >"$DATA/old"
  patlearn --db "$db" --trust --import "$DATA/old" >/dev/null
}
build_store || { echo "FAIL: cannot build the report store" >&2; exit 1; }

report() {  # REPORT FORMAT [OPTIONS...]: the report of the fixed store at $NOW on stdout
  local name=$1 format=$2
  shift 2
  patreport --db "$STORE" --now "$NOW" --format "$format" "$name" "$@"
}

test_reports_match_the_golden_files() {
  local r f ext
  for r in $REPORTS; do
    for f in md json; do
      ext=$f
      report "$r" "$f" >"$T/$r.$ext" || fail "patreport $r --format $f exited $?"
      golden "$GOLDEN" "$r.$ext" "$T/$r.$ext"
    done
  done
  report context md --hook >"$T/context-hook.json" || fail "context --hook exited $?"
  golden "$GOLDEN" context-hook.json "$T/context-hook.json"
}

test_the_same_store_and_now_give_the_same_bytes() {
  local r f
  sqlite3 "$STORE" "VACUUM INTO '$T/copy.db'"  # (cp would miss what is still in the WAL)
  for r in $REPORTS; do
    for f in md json; do
      report "$r" "$f" >"$T/a" && report "$r" "$f" >"$T/b" || fail "$r $f exited $?"
      cmp -s "$T/a" "$T/b" || fail "$r --format $f differs from one run to the next"
      patreport --db "$T/copy.db" --now "$NOW" --format "$f" "$r" >"$T/c"
      cmp -s "$T/a" "$T/c" || fail "$r --format $f differs on a copy of the store"
    done
  done
  # Options may come before or after the report's name; a config file sets them too.
  patreport --db "$STORE" --now "$NOW" dashboard --format json --top 3 >"$T/after"
  patreport --db "$STORE" --now "$NOW" --format json --top 3 dashboard >"$T/before"
  cmp -s "$T/after" "$T/before" || fail "options after the report's name"
  expect_eq "$(jq '.top_by_confidence | length' "$T/after")" 3 "--top"
  mkdir -p "$XDG_CONFIG_HOME/pattools"
  printf '[patreport]\ntop = 3\nformat = "json"\n' >"$XDG_CONFIG_HOME/pattools/config.toml"
  patreport --db "$STORE" --now "$NOW" dashboard >"$T/from-config"
  cmp -s "$T/after" "$T/from-config" || fail "options from the config file"
}

test_the_numbers_follow_their_definitions() {
  report dashboard json >"$T/d.json"
  # Prevention success rate and false-positive rate from the patterns' checks.
  local blocked tp fp
  blocked=$(patlearn --db "$STORE" --export | jq -s 'map(.checks.blocked) | add')
  tp=$(patlearn --db "$STORE" --export | jq -s 'map(.checks.true_positive) | add')
  fp=$(patlearn --db "$STORE" --export | jq -s 'map(.checks.false_positive) | add')
  expect_eq "$blocked $tp $fp" "5 3 1" "checks from the verdicts"
  expect_eq "$(jq -c '.prevention.prevention_success_rate' "$T/d.json")" '{"part":5,"rate":0.625,"whole":8}' "prevention success rate"
  expect_eq "$(jq -c '.prevention.false_positive_rate' "$T/d.json")" '{"part":1,"rate":0.25,"whole":4}' "false-positive rate"
  # Failures: usage mistakes and other errors as patdetect counts them.
  expect_eq "$(jq -c '.failures | [.failures, .usage_mistakes, .other_errors]' "$T/d.json")" "[62,42,20]" "failures"
  expect_eq "$(jq -r '.failures.by_class.network.usage_mistake' "$T/d.json")" false "network is another error"
  # Aging: the pattern unseen since July is due for decay and archiving, October's for decay.
  expect_eq "$(jq -c '[.aging.decay[] | [.pattern.tool, .days_unseen, .decay_due, .confidence_after]]' "$T/d.json")" \
    '[["legacy-build",124,0.2,0.4],["legacy-lint",42,0.05,0.7]]' "due for decay"
  expect_eq "$(jq -c '[.aging.prune[].pattern.tool]' "$T/d.json")" '["legacy-build"]' "due for archiving"
  expect_eq "$(jq -c '.totals | [.active_patterns, .archived_patterns]' "$T/d.json")" "[8,1]" "patterns"
  # The trend: the verdict of 2026-11-03 in week 45, the others in week 47.
  expect_eq "$(jq -c '[.weekly_trend[] | select(.warned + .blocked > 0) | [.week, .warned, .blocked]]' "$T/d.json")" \
    '[["2026-W45",0,1],["2026-W47",4,4]]' "weekly trend"
  # Candidates: confidence on the patterns' curve, thresholds as given.
  report candidates json --min-occurrences 20 --min-confidence 0.9 >"$T/c.json"
  expect_eq "$(jq '[.candidates[] | select(.occurrences < 20 or .confidence < 0.9)] | length' "$T/c.json")" 0 "thresholds"
  expect_eq "$(jq '[.candidates[] | select(.occurrences == 132)][0].confidence' "$T/c.json")" 0.95 "confidence of 132"
  report candidates json --min-savings 2m >"$T/c.json"
  expect_eq "$(jq '[.candidates[] | select(.saving_total_ms < 120000)] | length' "$T/c.json")" 0 "--min-savings"
  # Weekly: the patterns stopped less than 80 % of the time are flagged; time saved says how.
  report weekly json >"$T/w.json"
  expect_eq "$(jq -c '[.improve[] | [.tool, .prevention_success_rate.rate]]' "$T/w.json")" \
    '[["Bash",0],["Edit",0.3333]]' "patterns to improve"
  expect_eq "$(jq -c '[.time_saved.by_pattern[] | [.tool, .blocked, .basis]] | sort' "$T/w.json")" \
    '[["Bash",1,"finished_calls_of_tool"],["Edit",1,"finished_calls_of_tool"],["deploy",1,"failed_calls_of_tool"],["mcp__git__show_commit",1,"finished_calls_of_tool"]]' \
    "time saved"
  expect_eq "$(jq '.time_saved.total_ms == ([.time_saved.by_pattern[].saved_ms] | add)' "$T/w.json")" true "total time saved"
}

test_markdown_passes_markdownlint() {
  need markdownlint || return
  local r
  for r in $REPORTS; do report "$r" md >"$T/$r.md"; done
  report weekly md --days 1 >"$T/weekly-1.md"
  report dashboard md --db "$T/empty.db" >"$T/empty.md" 2>/dev/null || true
  patlog -q --db "$T/empty.db" </dev/null 2>/dev/null
  report dashboard md --db "$T/empty.db" >"$T/empty-dashboard.md"
  report context md --db "$T/empty.db" >"$T/empty-context.md"
  report weekly md --db "$T/empty.db" >"$T/empty-weekly.md"
  report candidates md --db "$T/empty.db" >"$T/empty-candidates.md"
  rm -f "$T/empty.md"
  markdownlint --config "$LINT_CONFIG" "$T"/*.md >"$T/lint" 2>&1 || { fail "markdownlint:"; head -40 "$T/lint" >&2; }
}

test_hostile_text_stays_valid_markdown() {
  # Text from the store that Markdown would read as syntax: lists, headings, quotes, HTML, pipes,
  # fences, stray backticks, emphasis, links, bare URLs, math, control characters.
  local nasty
  nasty=$(printf -- '- item\n# heading\n> quote <div>html</div> | pipe | ``` fence ``` `unclosed 1. one 2) two __b__ *em* [link](http://x.y) https://example.com/a_b www.example.com user@example.com $x$ &amp; ~~s~~ \\ === --- +++ \001 end  ')
  jq -cn --arg n "$nasty" 'range(12) as $i | {kind: "pattern", v: 1, id: ("ad\($i)"), tool: ("tool`|\($i) # x"),
      category: "INCORRECT_PARAMETER", template: ("t\($i) " + $n), mistake: {param: "p\($i)", check: {type: "value", values: ["v"]}},
      root_cause: ($n + " " + $n), prevention: [{action: $n, reason: "r"}], events: [], observations: (10 + $i * 10),
      confidence: 0.5, level: "low", status: "active", version: 1, last_seen: "2026-05-01T00:00:00.000Z"}' >"$T/p"
  patlearn --merge-threshold 1 --trust --import "$T/p" >/dev/null || fail "import exited $?"
  {
    jq -cn --arg n "$nasty" 'range(4) as $i | {kind: "candidate", v: 1, id: ("c\($i)"),
        type: (if $i % 2 == 0 then "repeated_execution" else "file_template" end), signature: ("sig`\($i)` " + $n),
        occurrences: (10 + $i), examples: ["e1"], invariants: {($n): $n, "k": null, "arr": [1, "`x`"]},
        variables: {($n): [$n, null, 3]}, template: ($n + "\n\tline2  \n````\n"), estimated_savings: {runs: 3},
        ts: "2026-11-20T00:00:00.000Z"}'
    jq -cn --arg n "$nasty" 'range(3) as $i | {kind: "candidate", v: 1, id: ("a\($i)"), type: "anti_pattern",
        signature: "anti-pattern:T`|\($i):abc", occurrences: (3 + $i), examples: [], invariants: {}, variables: {},
        template: $n, estimated_savings: {runs: 3}, ts: "2026-11-20T00:00:00.000Z"}'
  } | patlearn >/dev/null || fail "candidates exited $?"
  sql "INSERT INTO verdicts(ts, tool, decision, patterns) VALUES
       ('2026-11-20T00:00:00.000Z', 'x', 'block', '[\"ad1\"]'), ('2026-11-20T00:00:00.000Z', 'x', 'warn', '[\"ad11\"]')"
  local r
  for r in $REPORTS; do
    patreport --now "$NOW" --top 50 "$r" >"$T/$r.md" || fail "$r exited $?"
    patreport --now "$NOW" --top 50 --format json "$r" | jq -e . >/dev/null || fail "$r: not JSON"
  done
  expect_not_contains "$T/context.md" '^  *(- |#|>|[0-9]+\. |```)'
  need markdownlint || return
  markdownlint --config "$LINT_CONFIG" "$T"/*.md >"$T/lint" 2>&1 || { fail "markdownlint:"; head -20 "$T/lint" >&2; }
}

# 10,000 patterns with long root causes and prevention steps, many characters of two bytes.
many_patterns() {
  jq -cn 'range(10000) as $i | {kind: "pattern", v: 1, id: ("p\($i)"), tool: ("tool\($i % 100)"),
      category: "INCORRECT_PARAMETER", template: "failure number \($i) of tool \($i % 100)",
      mistake: {param: "param\($i)", check: {type: "value", values: ["bad\($i)"]}},
      root_cause: ("`param\($i)` is bad\($i) — " + ("a long explanation with é and `code` " * 30)),
      prevention: [{action: ("Do not pass bad\($i) " + ("because é " * 60)), reason: "test"}],
      events: [], observations: (1 + $i % 150), confidence: 0.5, level: "low", status: "active", version: 1}'
}

test_the_session_context_stays_under_its_cap_with_10000_patterns() {
  many_patterns >"$T/many"
  patlearn --merge-threshold 1 --trust --import "$T/many" >/dev/null || fail "import exited $?"
  expect_eq "$(sql "SELECT count(*) FROM patterns")" 10000 "patterns"
  local top
  for top in 15 10000; do
    expect_exit 0 patreport context --hook --top "$top"
    jq -e '.hookSpecificOutput.hookEventName == "SessionStart" and (.hookSpecificOutput | keys == ["additionalContext", "hookEventName"])' \
      "$T/out" >/dev/null || fail "--top $top: not SessionStart hook output: $(head -c 300 "$T/out")"
    jq -j .hookSpecificOutput.additionalContext "$T/out" >"$T/context-$top.md"
    expect_eq "$(jq '.hookSpecificOutput.additionalContext | length <= 10000' "$T/out")" true "--top $top: characters"
    expect_ge 10000 "$(wc -c <"$T/context-$top.md")" "--top $top: bytes"
    expect_eq "$(wc -l <"$T/out")" 1 "one line of JSON"
  done
  expect_contains "$T/context-15.md" '^## Critical: blocked before they run$'
  expect_contains "$T/context-10000.md" 'more patterns are not shown \(the context is capped at 10000'
  patreport context --top 10000 --max-chars 50000 >"$T/large.md"
  expect_ge "$(wc -c <"$T/large.md")" 40000 "--max-chars raises the cap outside hooks"
  need markdownlint || return
  markdownlint --config "$LINT_CONFIG" "$T"/context-*.md "$T/large.md" >"$T/lint" 2>&1 || { fail "markdownlint:"; head -20 "$T/lint" >&2; }
}

test_hook_mode_never_breaks_the_session() {
  # No store: no output, exit 0, the reason on stderr, and no store created.
  expect_exit 0 patreport context --hook
  expect_eq "$(wc -c <"$T/out")" 0 "stdout"
  expect_contains "$T/err" "^patreport: error: no store at $PAT_DB"
  [ ! -e "$PAT_DB" ] || fail "a store was created"
  # A store with nothing confident enough: no output either.
  patlog -q </dev/null 2>/dev/null
  expect_exit 0 patreport context --hook
  expect_eq "$(wc -c <"$T/out")" 0 "stdout with nothing to say"
  # As Claude Code runs it at the start of a session (the payload on stdin is not needed).
  local settings="$PAT_SRC/share/pattools/claude-settings.json"
  expect_eq "$(jq -r '.hooks.SessionStart[0].hooks[1].command' "$settings")" "patreport context --hook" "settings"
  echo '{"hook_event_name":"SessionStart","session_id":"s","source":"startup"}' >"$T/payload"
  patreport --db "$STORE" context --hook <"$T/payload" >"$T/out" || fail "exit $?"
  expect_eq "$(jq -r .hookSpecificOutput.hookEventName "$T/out")" SessionStart "hook event"
  # Bad usage in hook mode: exit 0 too.
  expect_exit 0 patreport context --hook --now yesterday
  expect_contains "$T/err" "is not a time"
}

test_output_is_written_atomically() {
  echo "old report" >"$T/report.md"
  expect_exit 0 report dashboard md --output "$T/report.md"
  expect_eq "$(wc -c <"$T/out")" 0 "nothing on stdout"
  report dashboard md >"$T/expected.md"
  cmp -s "$T/report.md" "$T/expected.md" || fail "--output wrote something else than stdout"
  # Failures leave the old file as it was, and no temporary file behind.
  echo "old report" >"$T/report.md"
  expect_exit 64 report dashboard md --output "$T/report.md" --now never
  expect_eq "$(cat "$T/report.md")" "old report" "after a usage error"
  expect_exit 73 report dashboard md --output "$T/missing-dir/report.md"
  expect_contains "$T/err" "cannot create .*missing-dir/report.md"
  mkdir "$T/a-directory"
  expect_exit 73 report dashboard md --output "$T/a-directory"
  [ -d "$T/a-directory" ] || fail "the directory was replaced"
  # A directory that cannot be written (root writes anywhere: as root, the check runs as nobody,
  # on a copy of the store that nobody may use).
  mkdir -p "$T/shared/locked"
  echo "old report" >"$T/shared/locked/report.md"
  chmod 555 "$T/shared/locked"
  local as=()
  if [ "$(id -u)" == 0 ]; then
    if command -v setpriv >/dev/null && id nobody >/dev/null 2>&1; then
      as=(setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups)
      sqlite3 "$STORE" "VACUUM INTO '$T/shared/store.db'"
      chmod 777 "$T/shared" && chmod 666 "$T/shared/store.db" && chmod o+x "$T"
    else
      echo "skip: running as root without setpriv: the unwritable-directory case is not checked"
    fi
  else
    sqlite3 "$STORE" "VACUUM INTO '$T/shared/store.db'"
  fi
  if [ "$(id -u)" != 0 ] || [ ${#as[@]} != 0 ]; then
    expect_exit 73 "${as[@]}" "$PAT_BIN/patreport" --db "$T/shared/store.db" --now "$NOW" dashboard \
      --output "$T/shared/locked/report.md"
    expect_contains "$T/err" "cannot create .*locked/report.md"
    expect_eq "$(cat "$T/shared/locked/report.md")" "old report" "in a directory that cannot be written"
  fi
  chmod 755 "$T/shared/locked"
  expect_eq "$(find "$T" -name '.*.tmp.*' | wc -l)" 0 "temporary files left"
}

test_a_missing_store_is_exit_66_and_usage_errors_64() {
  expect_exit 66 patreport dashboard
  expect_contains "$T/err" "^patreport: error: no store at $PAT_DB"
  [ ! -e "$PAT_DB" ] || fail "a store was created"
  expect_exit 64 patreport
  expect_exit 64 patreport --db "$STORE" summary
  expect_exit 64 patreport --db "$STORE" dashboard --format html
  # --hook is for the context only; in hook mode even a usage error exits 0.
  expect_exit 0 patreport --db "$STORE" dashboard --hook
  expect_contains "$T/err" "--hook is for"
  expect_eq "$(wc -c <"$T/out")" 0 "stdout"
  expect_exit 64 patreport --db "$STORE" candidates --min-savings 5
  expect_exit 0 patreport --help
  expect_contains "$T/out" "dashboard"
  expect_exit 0 patreport --version
  expect_eq "$(cat "$T/out")" "patreport (pattools) 0.1.0" "--version"
}

run_tests
