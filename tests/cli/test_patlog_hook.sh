#!/usr/bin/env bash
# patlog --hook as Claude Code runs it: one payload on stdin, stored, nothing on stdout, exit 0
# whatever happens; --follow-transcript picks up what only the transcript shows.
source "$(dirname "$0")/lib.sh"

payload() {  # EVENT TOOL_USE_ID [EXTRA-JSON]
  jq -cn --arg e "$1" --arg id "$2" --arg tp "$T/session.jsonl" --argjson x "${3:-{\}}" \
    '{session_id:"s1", transcript_path:$tp, cwd:"/w", permission_mode:"default", hook_event_name:$e} + $x
     + (if $id == "" then {} else {tool_name:"Edit", tool_use_id:$id, tool_input:{file_path:"/w/a.py"}} end)'
}

transcript_use() {  # ID MSG_ID
  jq -cn --arg id "$1" --arg m "$2" '{type:"assistant", sessionId:"s1", timestamp:"2026-11-20T10:00:00.000Z", cwd:"/w",
    message:{id:$m, model:"claude-test-1", role:"assistant", usage:{input_tokens:5, output_tokens:7, cache_read_input_tokens:11, cache_creation_input_tokens:13},
             content:[{type:"tool_use", id:$id, name:"Edit", input:{file_path:"/w/a.py", old_string:"x", new_string:"y"}}]}}'
}

transcript_result() {  # ID IS_ERROR TEXT
  jq -cn --arg id "$1" --argjson e "$2" --arg t "$3" '{type:"user", sessionId:"s1", timestamp:"2026-11-20T10:00:01.500Z", cwd:"/w",
    uuid:"u-1", message:{role:"user", content:[{type:"tool_result", tool_use_id:$id, is_error:$e, content:$t}]}}'
}

test_a_payload_is_stored_silently() {
  payload PostToolUse toolu_1 '{"tool_response":{"ok":true}}' >"$T/p.json"
  expect_exit 0 patlog --hook <"$T/p.json"
  expect_eq "$(wc -c <"$T/out")" 0 "stdout"
  expect_eq "$(wc -c <"$T/err")" 0 "stderr"
  expect_eq "$(sql "SELECT event || ' ' || tool || ' ' || outcome FROM events")" "PostToolUse Edit success"
  expect_eq "$(stat -c %a "$PAT_DB")" 600 "store mode"
}

test_default_store_path_is_private() {
  unset PAT_DB
  payload Stop "" >"$T/p.json"
  expect_exit 0 patlog --hook <"$T/p.json"
  expect_eq "$(stat -c %a "$XDG_STATE_HOME/pattools")" 700 "directory mode"
  expect_eq "$(stat -c %a "$XDG_STATE_HOME/pattools/pat.db")" 600 "file mode"
}

test_the_log_stays_small_across_many_hook_runs() {
  # Hook processes leave the WAL in place and empty it every few calls: it must neither grow
  # without bound nor lose anything.
  local i
  for i in $(seq 1 300); do
    payload PostToolUse "toolu_log_$i" | patlog --hook 2>>"$T/err"
  done
  expect_eq "$(wc -c <"$T/err")" 0 "messages on stderr"
  expect_eq "$(sql "SELECT count(*) FROM events")" 300 "events stored"
  [ "$(stat -c %s "$PAT_DB-wal" 2>/dev/null || echo 0)" -lt 1048576 ] || fail "the WAL grew to $(stat -c %s "$PAT_DB-wal") bytes"
  expect_eq "$(sql "PRAGMA integrity_check")" ok
}

test_bad_payload_exits_0_and_is_kept() {
  printf '{"hook_event_name": "PostToolUse", "tool_name": ' >"$T/p.json"
  expect_exit 0 patlog --hook <"$T/p.json"
  expect_contains "$T/err" "error \(at <stdin>:1\): truncated"
  expect_eq "$(sql "SELECT raw FROM rejects")" "$(cat "$T/p.json")" "raw bytes kept"
  expect_exit 0 patlog --hook --no-such-flag <"$T/p.json"
  expect_contains "$T/err" "patlog: error:"
}

test_busy_store_spools_the_payload_and_the_next_run_stores_it() {
  payload Stop "" >"$T/first.json"
  patlog --hook <"$T/first.json"
  # Another process holds the write lock until it is released.
  hold_write_lock "$PAT_DB"
  payload PostToolUse toolu_busy >"$T/p.json"
  expect_exit 0 patlog --hook --busy-timeout 200 <"$T/p.json"
  expect_contains "$T/err" "busy|locked"
  expect_contains "$T/err" "kept in .*pat.db.spool/"
  expect_eq "$(ls "$PAT_DB.spool" | wc -l)" 1 "spooled payloads"
  release_write_lock
  payload PostToolUse toolu_next >"$T/p2.json"
  expect_exit 0 patlog --hook <"$T/p2.json"
  expect_eq "$(sql "SELECT group_concat(tool_use_id) FROM (SELECT tool_use_id FROM events WHERE tool_use_id IS NOT NULL ORDER BY 1)")" \
    "toolu_busy,toolu_next" "both payloads stored"
  expect_eq "$(ls "$PAT_DB.spool" | wc -l)" 0 "spool drained"
}

test_any_run_drains_the_spool_keeping_each_payload_distinct() {
  payload Notification "" '{"message":"Claude needs your permission","notification_type":"permission_prompt"}' >"$T/n.json"
  patlog --hook <"$T/n.json"   # creates the store
  mkdir -p "$PAT_DB.spool"
  # The same payload, spooled twice at different times: two real notifications.
  cp "$T/n.json" "$PAT_DB.spool/1763700000000-100-0.json"
  cp "$T/n.json" "$PAT_DB.spool/1763700005000-101-0.json"
  printf '{"tool":"make","outcome":"success"}\n' >"$T/x.jsonl"
  expect_exit 0 patlog -q "$T/x.jsonl"
  expect_eq "$(sql "SELECT count(*) FROM events WHERE event = 'Notification'")" 3 "notifications"
  expect_eq "$(sql "SELECT group_concat(ts) FROM (SELECT ts FROM events WHERE event = 'Notification' ORDER BY ts LIMIT 2)")" \
    "2025-11-21T04:40:00.000Z,2025-11-21T04:40:05.000Z" "received times from the spool names"
  expect_eq "$(ls "$PAT_DB.spool" | wc -l)" 0 "spool drained"
}

test_spooled_payloads_are_hook_payloads_whatever_the_format() {
  payload Stop "" >"$T/stop.json"
  patlog --hook <"$T/stop.json"
  mkdir -p "$PAT_DB.spool"
  payload PreToolUse toolu_sp >"$PAT_DB.spool/1763700000000-100-0.json"
  jq -cn '{type:"assistant", sessionId:"s9", message:{id:"m", content:[]}}' >"$T/t.jsonl"
  expect_exit 0 patlog -q --format transcript "$T/t.jsonl"
  expect_eq "$(sql "SELECT source || ' ' || event FROM events WHERE tool_use_id = 'toolu_sp'")" "claude-hook PreToolUse"
  expect_eq "$(ls "$PAT_DB.spool" | wc -l)" 0 "spool drained"
}

test_session_end_stores_a_call_that_never_got_its_result() {
  transcript_use toolu_int msg_1 >"$T/session.jsonl"
  payload Stop "" >"$T/stop.json"
  patlog --hook --follow-transcript <"$T/stop.json"
  expect_eq "$(sql "SELECT count(*) FROM events WHERE tool_use_id = 'toolu_int'")" 0 "still waiting at Stop"
  payload SessionEnd "" '{"reason":"other"}' >"$T/end.json"
  expect_exit 0 patlog --hook --follow-transcript <"$T/end.json"
  expect_eq "$(sql "SELECT tool || ' ' || outcome FROM events WHERE tool_use_id = 'toolu_int'")" "Edit unknown"
  expect_eq "$(sql "SELECT offset FROM transcript_offsets")" "$(wc -c <"$T/session.jsonl")" "offset past the call"
}

test_follow_transcript_captures_failed_edits_hooks_never_see() {
  transcript_use toolu_e1 msg_1 >"$T/session.jsonl"
  transcript_result toolu_e1 true "<tool_use_error>String to replace not found in file.</tool_use_error>" >>"$T/session.jsonl"
  payload Stop "" >"$T/stop.json"
  expect_exit 0 patlog --hook --follow-transcript <"$T/stop.json"
  expect_eq "$(sql "SELECT source || '|' || event || '|' || tool || '|' || json_extract(details, '$.error') || '|' || model || '|' || json_extract(details, '$.tokens.cache_write') FROM events WHERE tool IS NOT NULL")" \
    "claude-transcript|PostToolUseFailure|Edit|String to replace not found in file.|claude-test-1|13"
  expect_eq "$(sql "SELECT offset FROM transcript_offsets")" "$(wc -c <"$T/session.jsonl")" "offset at the end"
  # Nothing new: nothing stored; new lines: only they are read.
  expect_exit 0 patlog --hook --follow-transcript <"$T/stop.json"
  expect_eq "$(sql "SELECT count(*) FROM events WHERE source = 'claude-transcript'")" 1
  transcript_use toolu_e2 msg_2 >>"$T/session.jsonl"
  transcript_result toolu_e2 false "The file /w/a.py has been updated." >>"$T/session.jsonl"
  payload Stop "" '{"stop_hook_active":true}' >"$T/stop2.json"
  expect_exit 0 patlog --hook --follow-transcript <"$T/stop2.json"
  expect_eq "$(sql "SELECT group_concat(outcome) FROM (SELECT outcome FROM events WHERE source = 'claude-transcript' ORDER BY tool_use_id)")" "failure,success"
}

test_a_call_still_running_is_read_again_next_time() {
  transcript_use toolu_r1 msg_1 >"$T/session.jsonl"
  payload Stop "" >"$T/stop.json"
  patlog --hook --follow-transcript <"$T/stop.json"
  expect_eq "$(sql "SELECT count(*) FROM events WHERE source = 'claude-transcript'")" 0 "no result yet"
  expect_eq "$(sql "SELECT offset FROM transcript_offsets")" 0 "offset stays at the call"
  transcript_result toolu_r1 true "<tool_use_error>File has not been read yet. Read it first before writing to it.</tool_use_error>" >>"$T/session.jsonl"
  # A line still being written (no newline yet) is left for later.
  printf '{"type":"user","sessionId":"s1","mess' >>"$T/session.jsonl"
  payload SessionEnd "" '{"reason":"other"}' >"$T/end.json"
  expect_exit 0 patlog --hook --follow-transcript <"$T/end.json"
  expect_eq "$(sql "SELECT tool || ' ' || outcome FROM events WHERE source = 'claude-transcript'")" "Edit failure"
  expect_eq "$(sql "SELECT count(*) FROM rejects")" 0 "the partial line is not rejected"
}

test_a_call_seen_by_hook_and_transcript_is_stored_once() {
  payload PostToolUseFailure toolu_d1 '{"error":"String to replace not found in file.","is_interrupt":false}' >"$T/fail.json"
  patlog --hook <"$T/fail.json"
  transcript_use toolu_d1 msg_1 >"$T/session.jsonl"
  transcript_result toolu_d1 true "<tool_use_error>String to replace not found in file.</tool_use_error>" >>"$T/session.jsonl"
  payload Stop "" >"$T/stop.json"
  patlog --hook --follow-transcript <"$T/stop.json"
  expect_eq "$(sql "SELECT count(*) FROM events WHERE tool_use_id = 'toolu_d1'")" 1 "stored once"
  expect_eq "$(sql "SELECT source || ' ' || model FROM events WHERE tool_use_id = 'toolu_d1'")" "claude-hook claude-test-1" "gained the model"
}

test_settings_wire_every_hook_event_to_patlog() {
  local settings="$PAT_SRC/share/pattools/claude-settings.json" e
  for e in SessionStart UserPromptSubmit PreToolUse PermissionRequest PostToolUse PostToolUseFailure \
    Notification SubagentStart SubagentStop PreCompact Stop SessionEnd; do
    expect_eq "$(jq -r --arg e "$e" '.hooks[$e][0].hooks[0].command | startswith("patlog --hook")' "$settings")" true "$e"
  done
  for e in Stop SessionEnd; do
    expect_eq "$(jq -r --arg e "$e" '.hooks[$e][0].hooks[0].command' "$settings")" "patlog --hook --follow-transcript" "$e"
  done
}

run_tests
