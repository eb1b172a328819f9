#!/usr/bin/env bash
# patsetup: install wires Claude Code's hooks by absolute path, keeps the user's own hooks, backs
# up what it changes and changes nothing the second time; uninstall removes exactly what install
# added; the doctor tells what is wrong; and a mistake made through the installed hooks in one
# session is learned when the session ends (no cron, no manual step) and warned in the next.
source "$(dirname "$0")/lib.sh"

SETTINGS_OF_USER='{"model": "opus", "permissions": {"allow": ["Bash(ls:*)"]},
  "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo mine"}]}],
            "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]}}'

settings() { echo "$HOME/.claude/settings.json"; }

test_install_keeps_the_users_hooks_and_uninstall_removes_exactly_what_it_added() {
  mkdir -p "$HOME/.claude"
  printf '%s\n' "$SETTINGS_OF_USER" >"$(settings)"
  cp "$(settings)" "$T/original"
  expect_exit 0 patsetup install --dry-run
  expect_eq "$(grep -c '^would add: ' "$T/out")" 14 "entries a dry run shows"
  expect_eq "$(cmp -s "$(settings)" "$T/original" && echo same)" same "a dry run changes nothing"
  expect_exit 0 patsetup install
  expect_eq "$(grep -c '^added: ' "$T/out")" 14 "entries added"
  # Every command names its program by absolute path; the user's hooks and settings stay.
  expect_eq "$(jq -r '[.hooks[][].hooks[].command | select(startswith("pat"))] | length' "$(settings)")" 0 "bare names"
  expect_eq "$(jq -r '.hooks.PreToolUse[] | select(.matcher == "*") | .hooks[].command' "$(settings)" | paste -sd' ')" \
    "$PAT_BIN/patlog --hook $PAT_BIN/patcheck" "PreToolUse"
  expect_eq "$(jq -c '[.model, .permissions.allow[0], (.hooks.PreToolUse[0].hooks[0].command), (.hooks.Stop[0].hooks[0].command)]' \
    "$(settings)")" '["opus","Bash(ls:*)","echo mine","notify-send done"]' "the user's settings"
  local backup
  backup=$(ls "$HOME/.claude/" | grep '^settings.json.pattools-backup-')
  expect_eq "$(cmp -s "$HOME/.claude/$backup" "$T/original" && echo same)" same "the backup"
  # Idempotent.
  cp "$(settings)" "$T/installed"
  expect_exit 0 patsetup install
  expect_eq "$(wc -c <"$T/out")" 0 "a second install adds nothing"
  expect_contains "$T/err" "nothing to change"
  expect_eq "$(cmp -s "$(settings)" "$T/installed" && echo same)" same "a second install changes nothing"
  # Uninstall: the user's file as it was (as JSON), and a backup of the installed one.
  expect_exit 0 patsetup uninstall
  expect_eq "$(grep -c '^removed: ' "$T/out")" 14 "entries removed"
  expect_eq "$(jq -S . "$(settings)")" "$(jq -S . "$T/original")" "after uninstall"
  expect_eq "$(ls "$HOME/.claude/" | grep -c '^settings.json.pattools-backup-')" 2 "backups"
  expect_exit 0 patsetup uninstall
  expect_contains "$T/err" "nothing to change"
}

test_a_project_install_and_a_settings_file_that_is_not_json() {
  mkdir -p "$T/proj"
  expect_exit 0 patsetup install --project "$T/proj"
  expect_eq "$(jq '[.hooks[][].hooks[]] | length' "$T/proj/.claude/settings.json")" 14 "project hooks"
  expect_eq "$(stat -c %a "$T/proj/.claude/settings.json")" 600 "a new settings file's mode"
  [ -e "$(settings)" ] && fail "a project install wrote the user's settings"
  mkdir -p "$HOME/.claude"
  printf '{"hooks": {"PreToolUse": [' >"$(settings)"
  cp "$(settings)" "$T/broken"
  expect_exit 65 patsetup install
  expect_contains "$T/err" "settings.json"
  expect_eq "$(cmp -s "$(settings)" "$T/broken" && echo same)" same "a file that is not JSON is left alone"
  printf '{"hooks": {"PreToolUse": {"matcher": "*"}}}' >"$(settings)"
  expect_exit 65 patsetup install
  expect_contains "$T/err" '"PreToolUse" is not an array'
}

test_the_doctor_says_what_is_wrong_and_what_to_do() {
  expect_exit 1 patsetup doctor --project "$T"
  expect_contains "$T/out" '^PROBLEM +Claude Code hooks \(user, .*\): 0 of 14 wired'
  expect_contains "$T/out" 'fix: run `patsetup install`'
  patsetup install >/dev/null 2>&1
  expect_exit 0 patsetup doctor --project "$T"
  expect_not_contains "$T/out" PROBLEM
  expect_contains "$T/out" '^ok +programs: all seven in '
  # A learning run that failed, and a payload that could never be stored.
  printf '%s' '{"session_id": "s", "hook_event_name": "UserPromptSubmit", "prompt": "hi"}' | patlog --hook
  sql "INSERT INTO learning_runs(trigger, started_at, finished_at, status, events, patterns, message)
       VALUES('session-end', '2026-12-01T10:00:00.000Z', '2026-12-01T10:00:01.000Z', 'failed', 3, 0, 'patdetect exited 70')"
  mkdir -p "$PAT_DB.spool/failed" && echo '{}' >"$PAT_DB.spool/failed/x.json"
  expect_exit 1 patsetup doctor --project "$T"
  expect_contains "$T/out" '^ok +events: 1 stored, the last at '
  expect_contains "$T/out" '^PROBLEM +learning: last run 2026-12-01T10:00:01.000Z \(session-end\): failed'
  expect_contains "$T/out" 'fix: see .*\.learn\.log, then run `patsetup learn`'
  expect_contains "$T/out" '^PROBLEM +spool: 0 payloads waiting, 1 set aside'
  patreport weekly | tr '\n' ' ' >"$T/weekly.md" || fail "weekly"
  expect_contains "$T/weekly.md" '- Learning last ran at 2026-12-01T10:00:00\.000Z \(session-end; failed: patdetect +exited +70\)'
}

# run_hooks EVENT PAYLOAD: the commands the installed settings give EVENT (for its tool), run as
# Claude Code runs them: by sh, the payload on stdin, in a minimal environment; their output in
# $T/hook-out.
run_hooks() {
  local event=$1 payload=$2 tool command
  tool=$(jq -r '.tool_name // ""' <<<"$payload")
  : >"$T/hook-out"
  while IFS= read -r command; do
    env -i HOME="$HOME" PATH=/usr/bin:/bin sh -c "$command" <<<"$payload" >>"$T/hook-out" 2>>"$T/hook-err" \
      || fail "hook $command exited $?"
  done < <(jq -r --arg e "$event" --arg t "$tool" \
    '.hooks[$e] // [] | .[] | select((.matcher // "") as $m | $m == "" or $m == "*" or ($t | test("^(" + $m + ")$")))
     | .hooks[].command' "$(settings)")
}

test_a_mistake_is_learned_when_the_session_ends_and_warned_in_the_next_one() {
  unset PAT_DB PAT_NO_LEARN XDG_STATE_HOME  # as a user runs it: the default store, learning at the end
  patsetup install >/dev/null 2>&1 || fail "install"
  local s=0b6f1c2e-aaaa-4e8b-9c1d-2f3a4b5c6d7e i
  call() {  # EVENT TOOL_USE_ID COMMAND [ERROR]
    jq -cn --arg e "$1" --arg s "${5:-$s}" --arg id "$2" --arg c "$3" --arg err "${4:-}" \
      '{session_id: $s, transcript_path: "/nonexistent", cwd: "/home/dev/shop", permission_mode: "default",
        hook_event_name: $e, tool_name: "Bash", tool_input: {command: $c}, tool_use_id: $id}
       + (if $e == "PostToolUse" then {tool_response: {stdout: "ok", stderr: ""}} else {} end)
       + (if $e == "PostToolUseFailure" then {error: $err} else {} end)'
  }
  run_hooks SessionStart "{\"session_id\": \"$s\", \"hook_event_name\": \"SessionStart\", \"source\": \"startup\"}"
  for i in $(seq 12); do
    run_hooks PreToolUse "$(call PreToolUse "toolu_ok$i" "make build-$i")"
    run_hooks PostToolUse "$(call PostToolUse "toolu_ok$i" "make build-$i")"
    run_hooks PreToolUse "$(call PreToolUse "toolu_bad$i" "quillctl deploy --env prod-$i")"
    run_hooks PostToolUseFailure "$(call PostToolUseFailure "toolu_bad$i" "quillctl deploy --env prod-$i" \
      "Exit code 127"$'\n'"/bin/bash: line 1: quillctl: command not found")"
  done
  expect_eq "$(wc -c <"$T/hook-out")" 0 "nothing learned during the session"
  run_hooks Stop "{\"session_id\": \"$s\", \"hook_event_name\": \"Stop\", \"transcript_path\": \"/nonexistent\"}"
  run_hooks SessionEnd "{\"session_id\": \"$s\", \"hook_event_name\": \"SessionEnd\", \"reason\": \"exit\", \"transcript_path\": \"/nonexistent\"}"
  # The learning run is detached from the hook: wait for its record (at most a minute).
  local db="$HOME/.local/state/pattools/pat.db" waited=0
  until [ "$(sqlite3 "$db" 'SELECT count(*) FROM learning_runs' 2>/dev/null)" = 1 ] || [ $waited -ge 600 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  expect_eq "$(sqlite3 -separator ' ' "$db" 'SELECT trigger, status FROM learning_runs')" "session-end ok" "the run"
  # The next session: the same mistake with another value is warned before it runs.
  run_hooks PreToolUse "$(call PreToolUse toolu_next "quillctl status" "" 1c2d3e4f-bbbb-4e8b-9c1d-2f3a4b5c6d7e)"
  expect_contains "$T/hook-out" '"additionalContext":"pattools warning: this Bash call looks like a known mistake.'
  expect_contains "$T/hook-out" 'quillctl'
  # ... and the good calls are not.
  run_hooks PreToolUse "$(call PreToolUse toolu_good "make build-99" "" 1c2d3e4f-bbbb-4e8b-9c1d-2f3a4b5c6d7e)"
  expect_eq "$(wc -c <"$T/hook-out")" 0 "a good call"
  patsetup doctor --project "$T" >"$T/doctor" || fail "doctor: $(cat "$T/doctor")"
  expect_contains "$T/doctor" '^ok +learning: last run .* \(session-end\): ok, [0-9]+ events'
  # The reports say so too, and what waits for the next run (the next session's calls).
  patreport dashboard | tr '\n' ' ' >"$T/dashboard.md" || fail "dashboard"  # one line: paragraphs wrap
  expect_contains "$T/dashboard.md" 'Learning last ran at [^ ]+ \(session-end; ok: [1-9][0-9]* events learned from, 1 active'
  expect_contains "$T/dashboard.md" 'pattern after it\); [1-9][0-9]* new events? for the next run\.'
  expect_eq "$(patreport --format json weekly | jq -c '.learning | [.last_run.status, .last_run.trigger, .events_waiting > 0]')" \
    '["ok","session-end",true]' "the weekly report"
}

run_tests
