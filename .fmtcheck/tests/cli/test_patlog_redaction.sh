#!/usr/bin/env bash
# Secrets are masked before anything is stored or printed: in tool_input, in error text, in
# extra fields, in rejected bytes; rules are data and users add their own.
source "$(dirname "$0")/lib.sh"

# One secret of each kind, the rule that must catch it, and the part that must stay readable.
secrets() {
  cat <<'S'
aws-access-key|aws s3 ls --access-key AKIAIOSFODNN7EXAMPLE|aws s3 ls --access-key
github-token|git clone https://x:ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789@github.com/o/r|git clone
github-pat|GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ gh pr list|gh pr list
gitlab-token|curl -H "PRIVATE-TOKEN: glpat-AbCdEfGhIjKlMnOpQrSt" https://gitlab.com/api/v4/projects|PRIVATE-TOKEN
slack-token|slack-cli send --token xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx|slack-cli send
openai-key|OPENAI=sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 python run.py|python run.py
anthropic-key|claude --key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789|claude --key
bearer|curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' https://api.example.com|Authorization: Bearer
secret-param|mysql --url 'db://host/app?user=app&password=hunter2hunter2'|password=
secret-param|deploy --url https://ci.example.com/hook?token=abcdef123456 now|token=
secret-param|./setup.sh secret=s3cr3tvalue|secret=
secret-param|client --api_key=k3yk3yk3yk3y --verbose|api_key=
key-assign|export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY && make|export AWS_SECRET_ACCESS_KEY=
secret-assign|DB_PASSWORD="correct horse battery" ./migrate|DB_PASSWORD=
secret-assign|export github_token=gh0stt0k3nvalue && gh auth status|export github_token=
secret-colon|printf 'password: hunter3hunter3\n' > config.yml|> config.yml
secret-colon|curl -H 'x-api-key: k3y-0f-th3-api' https://api.example.com|x-api-key
basic-auth|curl -u admin:Sup3rS3cr3tPw https://intranet.example.com/api|curl -u admin:
mysql-password|mysql -u root -pR00tPassw0rd shop < dump.sql|mysql -u root -p
private-key|printf '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----' > id_rsa|> id_rsa
S
}

secret_of() {  # the secret part of a command: what must not appear anywhere
  case "$1" in
    aws-access-key) echo AKIAIOSFODNN7EXAMPLE ;; github-token) echo ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ;;
    github-pat) echo github_pat_11ABCDEFG0123456789 ;; gitlab-token) echo glpat-AbCdEfGhIjKlMnOpQrSt ;;
    slack-token) echo xoxb-123456789012 ;; openai-key) echo sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz ;;
    anthropic-key) echo sk-ant-api03-AbCdEfGhIjKlMnOp ;; bearer) echo eyJhbGciOiJIUzI1NiJ9 ;;
    private-key) echo MIIEowIBAAKCAQEA7 ;;
    *) echo "$2" | grep -oE '(hunter2hunter2|abcdef123456|s3cr3tvalue|k3yk3yk3yk3y|wJalrXUtnFEMI|correct horse|gh0stt0k3nvalue|hunter3hunter3|k3y-0f-th3-api|Sup3rS3cr3tPw|R00tPassw0rd)' ;;
  esac
}

test_each_secret_kind_is_masked_in_input_error_and_store() {
  local rule cmd keep secret n=0
  while IFS='|' read -r rule cmd keep; do
    n=$((n + 1))
    secret=$(secret_of "$rule" "$cmd")
    jq -cn --arg c "$cmd" --arg n "$n" '{session_id:"s", hook_event_name:"PostToolUseFailure", tool_name:"Bash",
      tool_use_id:("toolu_" + $n), tool_input:{command:$c}, error:("Exit code 1\nfailed: " + $c)}' >"$T/p$n.json"
    expect_exit 0 patlog "$T/p$n.json"
    expect_not_contains "$T/out" "$secret"
    expect_contains "$T/out" "\[REDACTED:$rule\]"
    expect_eq "$(jq -r '.input.command | contains($k)' --arg k "$keep" "$T/out")" true "readable part of $rule"
    expect_eq "$(jq -r '.error | contains("[REDACTED:")' "$T/out")" true "error text of $rule"
  done < <(secrets)
  expect_eq "$(sqlite3 "$PAT_DB" .dump | grep -cE 'AKIAIOSFODNN7EXAMPLE|hunter2hunter2|ghp_aBcDeF|MIIEowIBAAKCAQEA7|sk-ant-api03|wJalrXUtnFEMI')" 0 "secrets in the store"
}

test_secret_looking_json_keys_are_masked() {
  printf '{"tool":"deploy","params":{"api_key":"k-123456","password":"pw-654321","region":"eu-west-1"},"outcome":"success"}\n' >"$T/r.jsonl"
  expect_exit 0 patlog "$T/r.jsonl"
  expect_eq "$(jq -c .input "$T/out")" '{"api_key":"[REDACTED:secret-key]","password":"[REDACTED:secret-key]","region":"eu-west-1"}'
}

test_innocent_text_is_left_alone() {
  printf '{"tool":"Bash","input":{"command":"git cherry-pick 9f2c4e1a6b0d3c8e7f5a4b2c1d0e9f8a7b6c5d4e && make -j8 tokens=12"},"outcome":"success","max_tokens":4096}\n' >"$T/r.jsonl"
  expect_exit 0 patlog "$T/r.jsonl"
  expect_not_contains "$T/out" "REDACTED"
}

test_rejected_bytes_are_masked_too() {
  printf '{"tool":"Bash","input":{"command":"export GITHUB_TOKEN=ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"}, broken\n' >"$T/r.jsonl"
  expect_exit 65 patlog -q --rejects "$T/rejects.txt" "$T/r.jsonl"
  expect_eq "$(sql "SELECT count(*) FROM rejects WHERE CAST(raw AS TEXT) LIKE '%ghp_aBcDeF%'")" 0 "secret in the rejects table"
  expect_eq "$(sql "SELECT count(*) FROM rejects WHERE CAST(raw AS TEXT) LIKE '%REDACTED%'")" 1 "masked copy kept"
  expect_not_contains "$T/rejects.txt" "ghp_aBcDeF"
}

test_no_redact_keeps_secrets() {
  printf '{"tool":"Bash","input":{"command":"echo AKIAIOSFODNN7EXAMPLE"},"outcome":"success"}\n' >"$T/r.jsonl"
  expect_exit 0 patlog --no-db --no-redact "$T/r.jsonl"
  expect_contains "$T/out" "AKIAIOSFODNN7EXAMPLE"
}

test_users_add_rules() {
  mkdir -p "$XDG_CONFIG_HOME/pattools"
  printf 'text employee-id \\bEMP-[0-9]{6}\\b\n' >"$XDG_CONFIG_HOME/pattools/redact.rules"
  printf 'text ticket (?i)ticket=([0-9]+)\n' >"$T/more.rules"
  printf '{"tool":"Bash","input":{"command":"lookup EMP-123456 ticket=4242"},"outcome":"success"}\n' >"$T/r.jsonl"
  expect_exit 0 patlog --no-db --redact-rules "$T/more.rules" "$T/r.jsonl"
  expect_eq "$(jq -r .input.command "$T/out")" "lookup [REDACTED:employee-id] ticket=[REDACTED:ticket]"
  printf 'text broken (unclosed\n' >"$T/bad.rules"
  expect_exit 78 patlog --no-db --redact-rules "$T/bad.rules" "$T/r.jsonl"
  expect_contains "$T/err" "bad.rules:1: bad regular expression"
}

test_installed_rules_file_is_what_the_tool_uses() {
  mkdir -p "$T/share"
  printf 'text only-this \\bMAGIC[0-9]+\\b\n' >"$T/share/redact.rules"
  printf '{"tool":"Bash","input":{"command":"MAGIC42 AKIAIOSFODNN7EXAMPLE"},"outcome":"success"}\n' >"$T/r.jsonl"
  PAT_DATADIR="$T/share" patlog --no-db "$T/r.jsonl" >"$T/out"
  expect_eq "$(jq -r .input.command "$T/out")" "[REDACTED:only-this] AKIAIOSFODNN7EXAMPLE"
}

run_tests
