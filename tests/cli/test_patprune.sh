#!/usr/bin/env bash
# patprune: decay by whole periods unseen (once, however often it runs), archive old low
# patterns (never delete), restore them, a dry run that changes nothing, old events removed but
# not the evidence patterns cite, and the ways of cron: quiet when nothing changed, no write lock
# taken when nothing is due, a minimal environment, a second run at the same time; the files of
# idle sessions removed.
source "$(dirname "$0")/lib.sh"

# Patterns learned from generated sessions whose calls are all before 2026-11-20.
learn() {
  "$PAT_SRC/scripts/gen-sessions" --sessions 12 --seed 3 --out "$T/gen" >/dev/null || fail "gen-sessions"
  patlog -q "$T/gen/events.jsonl" "$T/gen/exec.jsonl"
  patdetect --db "$PAT_DB" | patlearn >/dev/null
  patlearn --export >"$T/before"
  expect_ge "$(wc -l <"$T/before")" 3 "patterns"
}

pattern() {  # ID JQ
  patlearn --export | jq -r --arg id "$1" "select(.id == \$id) | $2"
}

test_decay_by_whole_periods_once_per_period() {
  learn
  local id c0
  id=$(head -1 "$T/before" | jq -r .id)
  c0=$(head -1 "$T/before" | jq -r .confidence)
  # Less than 30 days after the last call: nothing, and nothing printed.
  expect_exit 0 patprune --now 2026-12-01T00:00:00Z
  expect_eq "$(cat "$T/out" "$T/err")" "" "a quiet run"
  # 60-something days: two periods.
  expect_exit 0 patprune --now 2027-01-25T00:00:00Z
  expect_eq "$(wc -l <"$T/out")" "$(wc -l <"$T/before")" "one action per pattern"
  expect_eq "$(jq -r .action "$T/out" | sort -u)" decay "actions"
  expect_contains "$T/err" '^patprune: decayed [0-9]+, pruned 0, average change -0\.1000$'
  expect_eq "$(pattern "$id" .decay)" 0.1 "decay"
  expect_eq "$(pattern "$id" '.confidence')" "$(echo "$c0 - 0.1" | bc -l | sed 's/^\./0./; s/0*$//')" "confidence"
  expect_eq "$(pattern "$id" .version)" 2 "a new version"
  expect_eq "$(sql "SELECT reason FROM pattern_versions WHERE pattern = '$id' AND version = 2")" "patprune: decay to 0.1" "why"
  # Again the same day, and a day later: nothing more.
  expect_exit 0 patprune --now 2027-01-25T20:00:00Z
  expect_eq "$(cat "$T/out" "$T/err")" "" "second run the same day"
  expect_exit 0 patprune --now 2027-01-26T00:00:00Z -v
  expect_eq "$(wc -c <"$T/out")" 0 "a day later"
  expect_contains "$T/err" 'decayed 0, pruned 0'
  # Seen again: patlearn gives the decay back.
  jq -c 'select(.kind == "observation")' <(patdetect --db "$PAT_DB") | head -1 | jq -c '.id += "-again"' | patlearn >/dev/null
  expect_eq "$(patlearn --export | jq -r 'select(.decay == null)' | jq -s length)" 1 "the pattern seen again"
}

test_prune_archives_and_restore_brings_back() {
  learn
  patprune --now 2027-03-01T00:00:00Z >"$T/actions" 2>"$T/err"
  expect_eq "$(jq -r 'select(.action == "prune") | .pattern' "$T/actions" | wc -l)" "$(wc -l <"$T/before")" "all archived"
  expect_eq "$(patlearn --export | wc -l)" "$(wc -l <"$T/before")" "nothing deleted"
  expect_eq "$(patlearn --export | jq -r .status | sort -u)" archived "status"
  local id
  id=$(jq -r 'select(.action == "prune") | .pattern' "$T/actions" | head -1)
  expect_eq "$(jq -r --arg id "$id" 'select(.pattern == $id and .action == "prune") | .reason' "$T/actions")" \
    "$(jq -r --arg id "$id" 'select(.pattern == $id and .action == "prune") | "unseen for \(.reason | capture("(?<d>[0-9]+) days").d) days, confidence \(.from.confidence) under 0.7"' "$T/actions")" "reason"
  # patcheck does not see archived patterns.
  expect_eq "$(sql "SELECT count(*) FROM patterns WHERE status = 'active'")" 0 "active"
  expect_exit 0 patprune --restore "$id"
  expect_eq "$(jq -r .action "$T/out")" restore "action"
  expect_eq "$(pattern "$id" .status)" active "restored"
  expect_exit 65 patprune --restore "$id"
  expect_contains "$T/err" "is not archived"
  expect_exit 65 patprune --restore 00000000000000000000000000000000
  expect_contains "$T/err" "no pattern"
  # A rollback undoes the restore.
  patlearn --rollback "$id" >/dev/null
  expect_eq "$(pattern "$id" .status)" archived "rolled back"
}

test_dry_run_changes_nothing() {
  learn
  expect_exit 0 patprune --now 2027-03-01T00:00:00Z --dry-run --keep-events 1d
  expect_ge "$(grep -c '"action":"prune"' "$T/out")" 1 "prunes shown"
  expect_contains "$T/err" 'dry run: nothing changed'
  expect_contains "$T/err" '[1-9][0-9]* events removed'
  patlearn --export >"$T/after"
  expect_eq "$(cmp -s "$T/before" "$T/after" && echo same)" same "patterns unchanged"
  expect_eq "$(sql "SELECT count(*) FROM events")" "$(patlog --no-db "$T/gen/events.jsonl" "$T/gen/exec.jsonl" | wc -l)" "events unchanged"
}

test_a_run_with_nothing_due_keeps_no_hook_waiting() {
  learn
  hold_write_lock "$PAT_DB"
  # Nothing is due yet, and a dry run never writes: neither waits for the write lock.
  expect_exit 0 patprune --busy-timeout 200 --now 2026-12-01T00:00:00Z
  expect_exit 0 patprune --busy-timeout 200 --dry-run --now 2027-06-01T00:00:00Z
  expect_contains "$T/out" '"action":"decay"'
  # Work due: it waits for the lock, and says so when it gives up.
  expect_exit 75 patprune --busy-timeout 200 --now 2027-06-01T00:00:00Z
  release_write_lock
  expect_exit 0 patprune --now 2027-06-01T00:00:00Z
  expect_contains "$T/out" '"action":"decay"'
}

test_the_files_of_sessions_idle_for_a_day_are_removed() {
  ran() {  # SESSION: a successful Read of the session, as the hooks store it
    jq -cn --arg s "$1" '{session_id: $s, transcript_path: "/nonexistent", cwd: "/tmp", permission_mode: "default",
      hook_event_name: "PostToolUse", tool_name: "Read", tool_input: {file_path: "/tmp/x"}, tool_use_id: "toolu_\($s)",
      tool_response: {}}' | patlog --hook
  }
  ran idle
  touch -d '2 days ago' "$PAT_DB.sessions"/*
  ran live
  expect_eq "$(find "$PAT_DB.sessions" -type f | wc -l)" 2 "files of sessions"
  expect_exit 0 patprune --dry-run
  expect_eq "$(find "$PAT_DB.sessions" -type f | wc -l)" 2 "after a dry run"
  expect_exit 0 patprune
  expect_eq "$(find "$PAT_DB.sessions" -type f -mmin -60 | wc -l)" 1 "the live session's file"
  expect_eq "$(find "$PAT_DB.sessions" -type f | wc -l)" 1 "files after the run"
}

test_keep_events_keeps_the_evidence() {
  learn
  local cited
  cited=$(jq -r '.events[]' "$T/before" | sort -u)
  expect_exit 0 patprune --now 2027-03-01T00:00:00Z --keep-events 30d --vacuum
  expect_contains "$T/err" "[1-9][0-9]* events removed"
  expect_eq "$(sql "SELECT id FROM events ORDER BY id" | sort -u)" \
    "$( (echo "$cited"; sql "SELECT value FROM candidates, json_each(json_extract(record, '\$.examples'))") | sort -u | grep -Fxf <(sql "SELECT id FROM events") )" "only the cited events are left"
  expect_ge "$(sql "SELECT count(*) FROM events")" "$(echo "$cited" | wc -l)" "the cited events"
  expect_eq "$(sql "PRAGMA integrity_check")" ok "integrity"
  expect_exit 64 patprune --keep-events forever
}

test_cron_minimal_environment_and_a_concurrent_run() {
  learn
  # No HOME, no XDG variables, a bare PATH: only PAT_DB.
  env -i PATH=/usr/bin:/bin PAT_DB="$PAT_DB" "$PAT_BIN/patprune" --now 2027-01-25T00:00:00Z >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "exit in cron's environment"
  expect_ge "$(wc -l <"$T/out")" 1 "actions"
  # Another writer holds the store: the run waits, then gives up with 75 and changes nothing.
  hold_write_lock "$PAT_DB"
  patlearn --export >"$T/held"
  expect_exit 75 patprune --now 2027-03-01T00:00:00Z --busy-timeout 200
  release_write_lock
  expect_eq "$(patlearn --export | cmp -s - "$T/held" && echo same)" same "nothing changed"
  # Two runs at once: one waits for the other; between them each pattern is pruned once.
  patprune --now 2027-03-01T00:00:00Z >"$T/a" 2>&1 &
  patprune --now 2027-03-01T00:00:00Z >"$T/b" 2>&1 &
  wait
  expect_eq "$(cat "$T/a" "$T/b" | grep -c '"action":"prune"')" "$(wc -l <"$T/before")" "pruned once each"
  expect_exit 66 patprune --db "$T/none.db"
  expect_exit 64 patprune --now yesterday
}

run_tests
