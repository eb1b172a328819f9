#!/usr/bin/env bash
# kill -9 in the middle of a bulk ingest leaves a consistent store, and running the same ingest
# again ends with exactly the full set: every batch is one transaction, ids are content hashes.
source "$(dirname "$0")/lib.sh"

N=1000000

generate() {  # N events as generic execution records
  seq 1 "$1" | awk '{ printf "{\"tool\":\"Bash\",\"input\":{\"command\":\"make test-%d\"},\"outcome\":\"%s\",\"session\":\"s-%d\",\"ts\":\"2026-01-01T00:00:00.000Z\"}\n", $1, ($1 % 7 == 0) ? "failure" : "success", int($1 / 50) }'
}

test_kill_9_during_bulk_ingest_then_rerun() {
  generate "$N" >"$T/events.jsonl"
  patlog -q "$T/events.jsonl" 2>"$T/err1" &
  local pid=$! n=0 waited=0
  # Wait until part of the input is committed, then kill without warning.
  while [ "$n" -lt 100000 ] && [ "$waited" -lt 600 ] && kill -0 "$pid" 2>/dev/null; do
    sleep 0.1
    waited=$((waited + 1))
    n=$(sql "SELECT count(*) FROM events" 2>/dev/null || echo 0)
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  local at_kill
  at_kill=$(sql "SELECT count(*) FROM events")
  expect_eq "$(sql "PRAGMA integrity_check")" ok "integrity after kill -9"
  expect_ge "$at_kill" 100000 "events committed before the kill"
  [ "$at_kill" -lt "$N" ] || fail "the ingest finished before it was killed ($at_kill events): nothing was tested"
  expect_exit 0 patlog -q -v "$T/events.jsonl"
  expect_contains "$T/err" "$N events \($((N - at_kill)) stored, $at_kill already stored\), 0 rejected"
  expect_eq "$(sql "SELECT count(*) FROM events")" "$N" "events after the rerun"
  expect_eq "$(sql "SELECT count(DISTINCT id) FROM events")" "$N" "distinct ids"
  expect_eq "$(sql "PRAGMA integrity_check")" ok "integrity after the rerun"
}

run_tests
