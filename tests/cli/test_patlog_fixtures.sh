#!/usr/bin/env bash
# patlog on the real hook logs and transcript in shared/fixtures: every record ingested, none
# rejected, counts per event and per tool equal to the files', failures keeping their text.
source "$(dirname "$0")/lib.sh"

hook_logs() { find "$FIXTURES" -name '*.json' ! -name chat.json | sort; }

test_every_fixture_is_ingested_without_rejects() {
  local f n
  for f in $(find "$FIXTURES" -type f ! -name README.md | sort); do
    expect_exit 0 patlog -q "$f"
    expect_not_contains "$T/err" "error"
  done
  expect_eq "$(sql "SELECT count(*) FROM rejects WHERE disposition = 'rejected'")" 0 "rejected records"
  n=$(sql "SELECT count(*) FROM events")
  expect_ge "$n" 1000 "events stored"
}

test_counts_per_event_and_tool_equal_the_files() {
  local f want got
  for f in $(hook_logs); do
    rm -f "$PAT_DB"*
    expect_exit 0 patlog -q "$f"
    want=$(jq -r '.[] | [.hook_event_name, (.tool_name // "")] | @tsv' "$f" | sort | uniq -c)
    got=$(sql "SELECT event, coalesce(tool, '') FROM events" | tr '|' '\t' | sort | uniq -c)
    expect_eq "$got" "$want" "event/tool counts of $(basename "$(dirname "$f")")/$(basename "$f")"
  done
}

test_stdout_has_one_event_per_payload() {
  local f
  for f in $(hook_logs); do
    expect_exit 0 patlog --no-db "$f"
    expect_eq "$(wc -l <"$T/out")" "$(jq length "$f")" "events written for $f"
    expect_eq "$(jq -r 'select(.kind != "event" or .v != 1)' "$T/out" | wc -l)" 0 "record kind and version"
  done
}

test_failures_keep_their_error_text_and_exit_code() {
  local f
  for f in "$FIXTURES"/*/post_tool_use_failure.json; do
    expect_exit 0 patlog --no-db "$f"
    # The error is the hook's text without the "Exit code N" line, and N is the exit code.
    jq -r '.[] | .error | sub("^Exit code [0-9]+\n"; "") | .[0:60]' "$f" | sort >"$T/want"
    jq -r '.error | .[0:60]' "$T/out" | sort >"$T/got"
    expect_eq "$(diff "$T/want" "$T/got" && echo same)" same "error texts of $f"
    expect_eq "$(jq -r 'select(.outcome != "failure")' "$T/out" | wc -l)" 0 "outcome failure"
    expect_eq "$(jq -r '.[] | .error | capture("^Exit code (?<n>[0-9]+)").n' "$f" | sort | tr '\n' ' ')" \
      "$(jq -r '.exit_code // empty' "$T/out" | sort | tr '\n' ' ')" "exit codes of $f"
  done
}

test_unmodelled_fields_are_kept_in_extra() {
  expect_exit 0 patlog --no-db "$FIXTURES/ice-hockey-game/post_tool_use.json"
  # tool_response, permission_mode and transcript_path are not modelled: they travel in extra.
  expect_eq "$(jq -r 'select(.extra.tool_response == null or .extra.permission_mode == null)' "$T/out" | wc -l)" 0
  expect_eq "$(jq -s 'map(select(.agent != null)) | length' "$T/out")" \
    "$(jq 'map(select(.agent_type != null)) | length' "$FIXTURES/ice-hockey-game/post_tool_use.json")" "agent"
}

test_transcript_calls_are_paired_with_their_results() {
  local chat="$FIXTURES/cka-buddy/chat.json"
  expect_exit 0 patlog --no-db "$chat"
  local uses results
  uses=$(jq '[.[] | .message.content? | arrays | .[] | select(.type == "tool_use")] | length' "$chat")
  results=$(jq '[.[] | .message.content? | arrays | .[] | select(.type == "tool_result")] | length' "$chat")
  expect_eq "$(wc -l <"$T/out")" "$uses" "one event per tool_use"
  expect_eq "$(jq -r 'select(.event == "PostToolUse" or .event == "PostToolUseFailure") | .tool_use_id' "$T/out" | wc -l)" \
    "$results" "events with a result"
  expect_eq "$(jq -r 'select(.tool == null or .model == null or .tokens == null or .extra.unpaired)' "$T/out" | wc -l)" 0 \
    "every call has its tool, model and tokens"
  # Tool names by use, from the file and from the events.
  expect_eq "$(jq -r 'select(.tool) | .tool' "$T/out" | sort | uniq -c)" \
    "$(jq -r '.[] | .message.content? | arrays | .[] | select(.type == "tool_use") | .name' "$chat" | sort | uniq -c)" "tools"
}

test_hook_and_transcript_copies_of_a_call_are_stored_once() {
  local chat="$FIXTURES/cka-buddy/chat.json" post="$FIXTURES/cka-buddy/post_tool_use.json" common
  common=$(comm -12 <(jq -r '.[] | .message.content? | arrays | .[] | select(.type == "tool_result") | .tool_use_id' "$chat" | sort) \
    <(jq -r '.[].tool_use_id' "$post" | sort) | wc -l)
  expect_ge "$common" 1 "calls in both files"
  expect_exit 0 patlog -q "$post"
  expect_exit 0 patlog -q -v "$chat"
  expect_contains "$T/err" "already stored"
  expect_eq "$(sql "SELECT count(*) FROM events")" "$(($(jq length "$post") + $(jq '[.[] | .message.content? | arrays | .[] | select(.type == "tool_use")] | length' "$chat") - common))" "events"
  # The hook's copy gained the transcript's model and tokens.
  expect_eq "$(sql "SELECT count(*) FROM events WHERE source = 'claude-hook' AND model IS NOT NULL AND json_extract(details, '$.tokens.output') IS NOT NULL")" "$common" "merged calls"
}

test_the_store_rebuilds_the_records_patlog_wrote() {
  # events keeps columns plus the other fields as details; the event_records view must give back
  # every record exactly as it was written to standard output.
  local f
  for f in "$FIXTURES"/*/*.json; do
    rm -f "$PAT_DB"*
    patlog "$f" 2>/dev/null | jq -cS . | sort >"$T/written"
    sql "SELECT record FROM event_records" | jq -cS . | sort >"$T/stored"
    expect_eq "$(cmp -s "$T/written" "$T/stored" && echo same)" same "records of $f"
    expect_eq "$(wc -l <"$T/stored")" "$(wc -l <"$T/written")" "record count of $f"
  done
}

test_ingesting_again_stores_nothing_new() {
  local f before
  for f in $(find "$FIXTURES" -type f ! -name README.md | sort); do patlog -q "$f" 2>/dev/null; done
  before=$(sql "SELECT count(*) FROM events")
  for f in $(find "$FIXTURES" -type f ! -name README.md | sort); do
    expect_exit 0 patlog -q -v "$f"
    expect_contains "$T/err" "events \(0 stored"
  done
  expect_eq "$(sql "SELECT count(*) FROM events")" "$before" "events after the second run"
}

test_same_payloads_as_jsonl_stream_and_single_objects() {
  local f="$FIXTURES/cka-buddy/pre_tool_use.json"
  patlog --no-db "$f" | jq -r .id | sort >"$T/ids_array"
  jq -c '.[]' "$f" | patlog --no-db | jq -r .id | sort >"$T/ids_jsonl"
  expect_eq "$(cmp -s "$T/ids_array" "$T/ids_jsonl" && echo same)" same "ids from an array and from JSONL"
  # One pretty-printed payload on stdin, as a hook receives it.
  jq '.[0]' "$f" | patlog --no-db >"$T/one"
  expect_eq "$(wc -l <"$T/one")" 1 "events from one pretty-printed payload"
  expect_eq "$(jq -r .tool "$T/one")" "$(jq -r '.[0].tool_name' "$f")" "tool"
}

test_debug_logs_become_one_event_per_entry() {
  local f
  for f in "$FIXTURES"/*/subagent_debug.log; do
    expect_exit 0 patlog --no-db "$f"
    expect_eq "$(wc -l <"$T/out")" "$(grep -c '^\[20[0-9][0-9]-' "$f")" "entries of $f"
  done
}

test_a_log_array_keeps_its_order_and_the_times_it_carries() {
  # One log of a session as a logging hook keeps it: untimed PostToolUse payloads around a failure
  # the hook stamped, and a second session stamped nowhere.
  local dir="$FIXTURES/cka-buddy" failure_ts
  jq -s '(.[1][0].session_id) as $s | [(.[0][0:3][] | .session_id = $s), .[1][0], (.[0][3:5][] | .session_id = $s),
          (.[0][5:7][] | .session_id = "untimed-session")]' \
    "$dir/post_tool_use.json" "$dir/post_tool_use_failure.json" >"$T/log.json"
  failure_ts=$(patlog --no-db "$dir/post_tool_use_failure.json" | jq -r 'select(.outcome == "failure") | .ts' | head -1)
  PAT_NOW=2026-12-01T00:00:00Z patlog -q "$T/log.json" || fail "patlog exited $?"
  # Every event of the session takes the time of the one the hook stamped, in the log's order.
  expect_eq "$(sql "SELECT group_concat(DISTINCT ts) FROM events WHERE session != 'untimed-session'")" "$failure_ts" \
    "the session's time"
  expect_eq "$(sql "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM events WHERE session != 'untimed-session'
                    ORDER BY ts, rowid)")" "success,success,success,failure,success,success" "the log's order"
  expect_eq "$(sql "SELECT group_concat(DISTINCT ts) FROM events WHERE session = 'untimed-session'")" \
    "2026-12-01T00:00:00.000Z" "a session stamped nowhere: the time of the import"
}

run_tests
