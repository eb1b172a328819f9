#!/usr/bin/env bash
# Bad input never crashes patlog: each case gives a clear message naming the input and line, the
# documented exit status, the rest of the input is still processed, and rejected bytes are kept.
source "$(dirname "$0")/lib.sh"

good='{"hook_event_name":"PostToolUse","session_id":"s1","tool_name":"Read","tool_input":{"file_path":"/a"},"tool_use_id":"toolu_1"}'
good2='{"hook_event_name":"PostToolUse","session_id":"s1","tool_name":"Read","tool_input":{"file_path":"/b"},"tool_use_id":"toolu_2"}'

stored() { sql "SELECT count(*) FROM events"; }
kept_raw_hex() { sql "SELECT hex(raw) FROM rejects WHERE disposition = '${2:-rejected}' AND line = $1"; }

test_malformed_json_line_is_rejected_and_the_rest_stored() {
  printf '%s\n{"hook_event_name": "Stop", oops}\n%s\n' "$good" "$good2" >"$T/in.jsonl"
  expect_exit 65 patlog -q "$T/in.jsonl"
  expect_contains "$T/err" "^patlog: error \(at $T/in.jsonl:2\): malformed JSON"
  expect_eq "$(stored)" 2 "events stored around the bad line"
  expect_eq "$(kept_raw_hex 2)" "$(printf '{"hook_event_name": "Stop", oops}' | xxd -p | tr -d '\n' | tr a-f A-F)" "raw bytes"
}

test_stdin_is_named_in_messages() {
  printf '%s\nnot json\n' "$good" | patlog -q >"$T/out" 2>"$T/err"
  expect_eq "$?" 65 "exit status"
  expect_contains "$T/err" "error \(at <stdin>:2\)"
}

test_truncated_last_line_is_rejected() {
  printf '%s\n%s' "$good" '{"hook_event_name":"PostToolUse","session_id":"s1","tool_na' >"$T/in.jsonl"
  expect_exit 65 patlog -q "$T/in.jsonl"
  expect_contains "$T/err" "in.jsonl:2\): truncated"
  expect_eq "$(stored)" 1
  expect_eq "$(sql "SELECT count(*) FROM rejects WHERE line = 2")" 1 "kept"
}

test_truncated_json_array_keeps_the_complete_elements() {
  head -c 3000 "$FIXTURES/cka-buddy/pre_tool_use.json" >"$T/cut.json"
  expect_exit 65 patlog -q "$T/cut.json"
  expect_contains "$T/err" "truncated JSON array"
  expect_ge "$(stored)" 1 "complete elements stored"
  expect_eq "$(sql "SELECT count(*) FROM rejects WHERE reason LIKE 'truncated%'")" 1 "the cut element kept"
}

test_invalid_utf8_is_repaired_and_the_original_kept() {
  printf '{"hook_event_name":"PostToolUse","session_id":"s1","tool_name":"Bash","tool_input":{"command":"echo \xff\xfe caf\xc3"},"tool_use_id":"t9"}\n' >"$T/in.jsonl"
  expect_exit 0 patlog "$T/in.jsonl"
  expect_contains "$T/err" "warning \(at .*in.jsonl:1\): invalid UTF-8 replaced"
  expect_eq "$(jq -r .input.command "$T/out")" "echo �� caf�" "repaired text"
  expect_eq "$(stored)" 1
  expect_eq "$(kept_raw_hex 1 repaired | grep -c FFFE)" 1 "original bytes kept"
}

test_deep_nesting_is_refused_without_a_crash() {
  { printf '%s\n' "$good"; head -c 100000 /dev/zero | tr '\0' '['; head -c 100000 /dev/zero | tr '\0' ']'; printf '\n%s\n' "$good2"; } >"$T/deep.jsonl"
  expect_exit 65 patlog -q "$T/deep.jsonl"
  expect_contains "$T/err" "deep.jsonl:2\): malformed JSON: nesting deeper than 512"
  expect_eq "$(stored)" 2
  expect_eq "$(sql "SELECT length(raw) FROM rejects WHERE line = 2")" 200000 "the whole line kept"
  # The same document as a whole file (not JSONL) and as a hook payload.
  { head -c 100000 /dev/zero | tr '\0' '['; } >"$T/deep.json"
  expect_exit 65 patlog -q "$T/deep.json"
  expect_exit 0 patlog --hook <"$T/deep.json"
  expect_contains "$T/err" "nesting deeper|truncated"
}

test_a_64_MiB_line_is_refused_and_kept() {
  local head='{"hook_event_name":"Stop","last_assistant_message":"' len
  len=$((${#head} + 64 * 1024 * 1024 + 2))
  { printf '%s\n%s' "$good" "$head"
    head -c $((64 * 1024 * 1024)) /dev/zero | tr '\0' 'a'
    printf '"}\n%s\n' "$good2"; } >"$T/huge.jsonl"
  expect_exit 65 patlog -q "$T/huge.jsonl"
  expect_contains "$T/err" "huge.jsonl:2\): line of $len bytes exceeds the limit of 16777216"
  expect_eq "$(stored)" 2 "the lines around it"
  expect_eq "$(sql "SELECT length(raw) FROM rejects WHERE line = 2")" "$len" "all its bytes kept"
  # A larger limit accepts it.
  rm -f "$PAT_DB"*
  expect_exit 0 patlog -q --max-line $((80 * 1024 * 1024)) "$T/huge.jsonl"
  expect_eq "$(stored)" 3
}

test_nul_bytes_and_binary_data() {
  { printf '%s\n' "$good"; printf '{"hook_event_name":"Stop",\0"x":1}\n'; head -c 4096 /dev/urandom; printf '\n%s\n' "$good2"; } >"$T/bin.jsonl"
  expect_exit 65 patlog -q "$T/bin.jsonl"
  expect_contains "$T/err" "bin.jsonl:2\): malformed JSON"
  expect_eq "$(stored)" 2 "good lines around binary data"
  expect_eq "$(kept_raw_hex 2 | grep -c '2C0022')" 1 "the NUL byte kept"
  head -c 100000 /dev/urandom >"$T/random.bin"
  patlog -q "$T/random.bin" >/dev/null 2>&1
  expect_eq "$?" 65 "random bytes: rejected, no crash"
}

test_empty_input() {
  : >"$T/empty.json"
  expect_exit 0 patlog "$T/empty.json"
  expect_contains "$T/err" "empty.json: empty input"
  expect_eq "$(wc -c <"$T/out")" 0
  expect_exit 0 patlog --hook </dev/null
  expect_contains "$T/err" "empty hook payload"
  expect_eq "$(sql "SELECT count(*) FROM rejects")" 1 "the empty payload is recorded"
}

test_directory_and_missing_file_are_named_and_the_rest_processed() {
  printf '%s\n' "$good" >"$T/good.jsonl"
  expect_exit 66 patlog -q "$T" "$T/missing.json" "$T/good.jsonl"
  expect_contains "$T/err" "error: $T: is a directory"
  expect_contains "$T/err" "missing.json: No such file or directory"
  expect_eq "$(stored)" 1 "the readable file"
}

test_a_long_first_line_does_not_turn_jsonl_into_one_document() {
  # The shape of an input is decided on its whole first line: after a 5,000-byte first line, a
  # broken line 2 is one reject and the lines after it are still stored.
  { printf '{"command":"echo %s","exit_code":0}\n' "$(head -c 5000 /dev/zero | tr '\0' x)"
    printf '{"command":"broken", "exit_code": 1\n'
    for i in 1 2 3; do printf '{"command":"make t%d","exit_code":0}\n' "$i"; done; } >"$T/long.jsonl"
  expect_exit 65 patlog -q "$T/long.jsonl"
  expect_contains "$T/err" "long.jsonl:2\)"
  expect_eq "$(stored)" 4 "events around the broken line"
}

test_a_stray_bracket_in_an_array_stores_nothing_twice() {
  printf '[}{"command":"make x","ts":"2024-01-01T00:00:00Z"}]' >"$T/stray.json"
  patlog -q "$T/stray.json" 2>"$T/err"
  expect_eq "$(stored)" 1 "events"
  expect_contains "$T/err" "stray.json:1\)"
}

test_generic_records_sharing_an_id_are_two_events() {
  printf '{"command":"deploy","id":"build","status":"ok","ts":"2024-01-01T00:00:00Z"}\n{"command":"deploy","id":"build","status":"ok","ts":"2024-01-02T00:00:00Z"}\n' >"$T/runs.jsonl"
  expect_exit 0 patlog -q "$T/runs.jsonl"
  expect_eq "$(stored)" 2 "events"
}

test_unrecognised_records_are_rejected() {
  printf '{"hello":"world"}\n[1,2]\n"text"\n%s\n' "$good" >"$T/odd.jsonl"
  expect_exit 65 patlog -q "$T/odd.jsonl"
  expect_contains "$T/err" "odd.jsonl:1\): not a record patlog knows"
  expect_eq "$(sql "SELECT count(*) FROM rejects")" 3
  expect_eq "$(stored)" 1
}

test_read_only_store() {
  printf '%s\n' "$good" >"$T/good.jsonl"
  patlog -q "$T/good.jsonl"
  chmod 0400 "$PAT_DB"
  rm -f "$PAT_DB-wal" "$PAT_DB-shm"
  printf '%s\n' "$good2" >"$T/good2.jsonl"
  if [ "$(id -u)" == 0 ]; then  # root writes read-only files: use a read-only directory instead
    chmod 0644 "$PAT_DB"
    export PAT_DB="/proc/pat.db"
  fi
  expect_exit 73 patlog -q "$T/good2.jsonl"
  expect_contains "$T/err" "^patlog: error: .*store"
  # In hook mode: exit 0, the reason on stderr.
  expect_exit 0 patlog --hook <"$T/good2.jsonl"
  expect_contains "$T/err" "patlog: error:"
}

test_rejects_file_keeps_rejected_lines_without_a_store() {
  printf '%s\nbad line one\n%s\nbad line two\n' "$good" "$good2" >"$T/in.jsonl"
  expect_exit 65 patlog --no-db --rejects "$T/rejects.txt" "$T/in.jsonl"
  expect_eq "$(wc -l <"$T/out")" 2 "good events still written"
  expect_eq "$(cat "$T/rejects.txt")" "$(printf 'bad line one\nbad line two')" "rejected bytes"
}

test_closed_stdout_ends_quietly() {
  for i in $(seq 1 5000); do printf '{"tool":"t","input":{"n":%d}}\n' "$i"; done >"$T/many.jsonl"
  patlog --no-db "$T/many.jsonl" 2>"$T/err" | head -1 >/dev/null
  expect_eq "${PIPESTATUS[0]}" 0 "exit status"
  expect_eq "$(wc -c <"$T/err")" 0 "nothing on stderr"
  # With a store, ingestion goes on to the end.
  patlog "$T/many.jsonl" 2>"$T/err" | head -1 >/dev/null
  expect_eq "$(stored)" 5000
}

test_failed_write_to_stdout_is_an_error() {
  [ -w /dev/full ] || return 0
  printf '%s\n' "$good" >"$T/good.jsonl"
  patlog --no-db "$T/good.jsonl" >/dev/full 2>"$T/err"
  expect_eq "$?" 74 "exit status"
  expect_contains "$T/err" "write error"
}

test_usage_errors() {
  expect_exit 64 patlog --format yaml
  expect_contains "$T/err" "^patlog: error: "
  expect_exit 64 patlog --no-such-option
  expect_exit 0 patlog --version
  expect_eq "$(cat "$T/out")" "patlog (pattools) 0.1.0"
}

test_bad_config_file() {
  mkdir -p "$XDG_CONFIG_HOME/pattools"
  printf '[patlog]\nmax-line = oops\n' >"$XDG_CONFIG_HOME/pattools/config.toml"
  expect_exit 78 patlog --no-db /dev/null
  expect_contains "$T/err" "config.toml:2: bad value"
  printf '[patlog]\nno-such-key = 1\n' >"$XDG_CONFIG_HOME/pattools/config.toml"
  expect_exit 78 patlog --no-db /dev/null
  expect_contains "$T/err" "config.toml:2: patlog has no option --no-such-key"
}

test_config_file_flags_and_environment_precedence() {
  mkdir -p "$XDG_CONFIG_HOME/pattools"
  printf 'db = "%s"\n[patlog]\nquiet = true\n' "$T/from-config.db" >"$XDG_CONFIG_HOME/pattools/config.toml"
  printf '%s\n' "$good" >"$T/good.jsonl"
  unset PAT_DB
  expect_exit 0 patlog "$T/good.jsonl"
  expect_eq "$(wc -c <"$T/out")" 0 "quiet from the config file"
  expect_eq "$(sql "SELECT count(*) FROM events" "$T/from-config.db")" 1 "db from the config file"
  PAT_DB="$T/from-env.db" patlog "$T/good.jsonl" 2>/dev/null
  expect_eq "$(sql "SELECT count(*) FROM events" "$T/from-env.db")" 1 "environment beats the file"
  PAT_DB="$T/from-env.db" patlog --db "$T/from-flag.db" "$T/good.jsonl" 2>/dev/null
  expect_eq "$(sql "SELECT count(*) FROM events" "$T/from-flag.db")" 1 "a flag beats both"
}

test_store_of_another_program_is_refused() {
  sqlite3 "$T/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
  printf '%s\n' "$good" >"$T/good.jsonl"
  expect_exit 74 patlog -q --db "$T/other.db" "$T/good.jsonl"
  expect_contains "$T/err" "not a pattools store"
  expect_eq "$(sqlite3 "$T/other.db" 'SELECT count(*) FROM t')" 1 "left as it was"
}

run_tests
