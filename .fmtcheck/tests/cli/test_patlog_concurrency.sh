#!/usr/bin/env bash
# Many hook processes write one store at once: none fails and no row is lost.
source "$(dirname "$0")/lib.sh"

WORKERS=32
PER_WORKER=200

worker() {  # N: stores PER_WORKER distinct events, one patlog --hook process each
  local w=$1 i failures=0
  for i in $(seq 1 "$PER_WORKER"); do
    printf '{"session_id":"w%d","hook_event_name":"PostToolUse","tool_name":"Bash","tool_use_id":"toolu_%d_%d","tool_input":{"command":"echo %d"},"cwd":"/w"}' \
      "$w" "$w" "$i" "$i" | patlog --hook 2>>"$T/err.$w" || failures=$((failures + 1))
  done
  echo "$failures" >"$T/failures.$w"
}

test_32_hook_processes_store_6400_events() {
  local w pids=()
  for w in $(seq 1 "$WORKERS"); do
    worker "$w" &
    pids+=($!)
  done
  wait "${pids[@]}"
  expect_eq "$(cat "$T"/failures.* | paste -sd+ | bc)" 0 "failed processes"
  expect_eq "$(cat "$T"/err.* | wc -c)" 0 "messages on stderr"
  expect_eq "$(sql "SELECT count(*) FROM events")" $((WORKERS * PER_WORKER)) "events stored"
  expect_eq "$(sql "SELECT count(DISTINCT session) FROM events")" "$WORKERS" "sessions"
  expect_eq "$(ls "$PAT_DB.spool" 2>/dev/null | wc -l)" 0 "nothing left in the spool"
  expect_eq "$(sql "PRAGMA integrity_check")" ok
}

run_tests
