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

# More token formats and command forms: RULE|COMMAND|SECRET. Each secret is looked for in the
# stored events, the log, standard output, the rejects table and a --rejects file.
more_secrets() {
  cat <<'S'
gitlab-token|curl -H "Deploy-Token: gldt-AbCdEfGhIjKlMnOpQrStUv" https://gitlab.example.com|gldt-AbCdEfGhIjKlMnOpQrStUv
stripe-key|stripe charges list --api-key rk_live_AbCdEfGhIjKlMnOpQrStUvWx|rk_live_AbCdEfGhIjKlMnOpQrStUvWx
google-api-key|curl "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW"|AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW
azure-account-key|az storage blob list --connection-string "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQr==;EndpointSuffix=core.windows.net"|AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOp
azure-sas|curl "https://acct.blob.core.windows.net/c/b?sv=2022-11-02&ss=b&sig=AbCdEfGhIjKlMnOpQrStUvWxYz%2B0123456789%3D"|AbCdEfGhIjKlMnOpQrStUvWxYz%2B0123456789
jwt|echo eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyMTIzNCJ9.c2lnbmF0dXJlc2lnbmF0dXJl > token.txt|eyJzdWIiOiJ1c2VyMTIzNCJ9
pypi-token|twine upload -p pypi-AgEIcHlwaS5vcmcCJGFiY2RlZmdoLWlqa2wtbW5vcC1xcnN0LXV2d3h5ejEyMzQ1Ng dist/*|pypi-AgEIcHlwaS5vcmcCJGFiY2Rl
twilio-key|twilio api --api-key SK0123456789abcdef0123456789abcdef list|SK0123456789abcdef0123456789abcdef
sendgrid-key|SENDGRID=SG.AbCdEfGhIjKlMnOpQrStUv.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfG node mail.js|SG.AbCdEfGhIjKlMnOpQrStUv
huggingface-token|huggingface-cli login --token hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh|hf_AbCdEfGhIjKlMnOpQrStUvWxYz
digitalocean-token|doctl auth init -t dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef|dop_v1_0123456789abcdef0123456789
vault-token|vault login hvs.CAESIAbCdEfGhIjKlMnOpQrStUvWxYz0123456789|hvs.CAESIAbCdEfGhIjKlMnOpQr
databricks-token|databricks configure --token dapi0123456789abcdef0123456789abcdef|dapi0123456789abcdef0123456789abcdef
telegram-token|curl https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0/getMe|AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0
discord-token|DISCORD=MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.AbCdEfGhIjKlMnOpQrStUvWxYz0123456 node bot.js|GAbCdE.AbCdEfGhIjKlMnOpQrStUvWxYz
private-key|printf '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU' > key|b3BlbnNzaC1rZXktdjEAAAAABG5vbmU
docker-password|docker login -u ci --password Dock3rHubPassw0rd registry.example.com|Dock3rHubPassw0rd
docker-password|docker login -u ci -p Dock3rHubPassw0rd2 registry.example.com|Dock3rHubPassw0rd2
sshpass|sshpass -p Sshp4ssw0rdValue ssh deploy@host uptime|Sshp4ssw0rdValue
htpasswd|htpasswd -b -c .htpasswd admin Htp4sswdValue|Htp4sswdValue
secret-assign|printf 'SECRET_KEY_BASE=0a1b2c3d4e5f60718293a4b5c6d7e8f9\n' >> .env|0a1b2c3d4e5f60718293a4b5c6d7e8f9
secret-colon|printf 'client_secret: Cl13ntS3cr3tValue\n' > app.yml|Cl13ntS3cr3tValue
secret-colon|curl -d "{\"password\": \"Esc4pedPassw0rd\"}" https://api.example.com/login|Esc4pedPassw0rd
S
}

test_more_token_formats_are_masked_everywhere() {
  local rule cmd secret n=0
  while IFS='|' read -r rule cmd secret; do
    n=$((n + 1))
    jq -cn --arg c "$cmd" --arg n "$n" '{session_id:"s", hook_event_name:"PostToolUseFailure", tool_name:"Bash",
      tool_use_id:("toolu_" + $n), tool_input:{command:$c}, error:("failed: " + $c)}' >>"$T/in.jsonl"
    # The same bytes in a record that is not JSON: rejected, kept masked.
    printf '{"tool":"Bash","input":{"command":%s}, broken\n' "$(jq -n --arg c "$cmd" '$c')" >>"$T/bad.jsonl"
  done < <(more_secrets)
  expect_exit 0 patlog "$T/in.jsonl"
  cp "$T/out" "$T/events.jsonl"
  expect_exit 65 patlog -q --rejects "$T/rejects.txt" "$T/bad.jsonl"
  sqlite3 "$PAT_DB" .dump >"$T/dump.sql"
  cat "$PAT_DB"* >"$T/files.bin"
  while IFS='|' read -r rule cmd secret; do
    expect_contains "$T/events.jsonl" "\[REDACTED:$rule\]"
    for f in events.jsonl rejects.txt dump.sql files.bin; do
      grep -qaF -- "$secret" "$T/$f" && fail "$rule: the secret is in $f"
    done
  done < <(more_secrets)
  expect_ge "$(sql "SELECT count(*) FROM rejects")" 1 "the bad records kept"
}

# tests/data/secrets.jsonl holds one secret of each of over 100 kinds ({kind, text, secret}): the
# token formats public rule sets know, passwords in command forms and config files, PEM blocks,
# and random strings in secret-looking positions. Each is placed in six places an agent's data
# passes through (tool input, tool response, error text, prompt, assistant message, transcript
# tool call and result), through the hook (spooled while the store is busy, then drained) and in
# bulk, with a broken copy rejected; no secret may reach the store, its WAL, standard output or
# error, the rejects (table and file) or the spool.
test_no_secret_of_the_corpus_reaches_store_wal_output_rejects_or_spool() {
  local corpus="$PAT_SRC/tests/data/secrets.jsonl" f leaked
  expect_ge "$(jq -s 'map(.kind) | unique | length' "$corpus")" 70 "kinds in the corpus"
  jq -r .secret "$corpus" >"$T/secrets.list"
  jq -c 'input_line_number as $n | ($n | tostring) as $i |
    {session_id:"s", hook_event_name:"PostToolUseFailure", tool_name:"Bash", tool_use_id:("f" + $i),
     tool_input:{command:.text}, error:("Exit code 1\n" + .text)},
    {session_id:"s", hook_event_name:"PostToolUse", tool_name:"Read", tool_use_id:("r" + $i),
     tool_input:{file_path:"/w/.env"}, tool_response:{type:"text", file:{filePath:"/w/.env", content:.text}}},
    {session_id:"s", hook_event_name:"UserPromptSubmit", prompt:("use this: " + .text)}' "$corpus" >"$T/hooks.jsonl"
  jq -c 'input_line_number as $n | ($n | tostring) as $i |
    {type:"assistant", sessionId:"t", uuid:("a" + $i), timestamp:"2026-11-20T10:00:00.000Z", cwd:"/w",
     message:{id:("m" + $i), role:"assistant", content:[{type:"text", text:("I will run: " + .text)},
       {type:"tool_use", id:("t" + $i), name:"Bash", input:{command:.text}}]}},
    {type:"user", sessionId:"t", uuid:("u" + $i), timestamp:"2026-11-20T10:00:01.000Z", cwd:"/w",
     message:{role:"user", content:[{type:"tool_result", tool_use_id:("t" + $i), is_error:true, content:.text}]}}' \
    "$corpus" >"$T/transcript.jsonl"
  { echo '{"tool":"Bash","input":{"command":"ls"},"outcome":"success"}'  # a first good line: JSONL
    jq -r '"{\"tool\":\"Bash\",\"input\":{\"command\":\(.text | tojson)}, broken"' "$corpus"; } >"$T/bad.jsonl"
  # The hook while another process holds the write lock: every payload waits in the spool.
  patlog --hook </dev/null 2>/dev/null  # creates the store
  hold_write_lock "$PAT_DB"
  head -n 60 "$T/hooks.jsonl" | while IFS= read -r payload; do
    printf '%s' "$payload" | "$PAT_BIN/patlog" --hook --busy-timeout 20 2>>"$T/hook.err"
  done
  release_write_lock
  cat "$PAT_DB.spool"/*.json >"$T/spool.bin" 2>/dev/null
  expect_ge "$(find "$PAT_DB.spool" -name '*.json' | wc -l)" 60 "spooled payloads"
  # A reader keeps its connection open, so the WAL stays on disk to be read.
  rm -f "$T/release-reader"
  ( echo "SELECT count(*) FROM events;"
    for _ in $(seq 1 600); do [ -e "$T/release-reader" ] && break; sleep 0.1; done ) | sqlite3 "$PAT_DB" >/dev/null &
  patlog --hook </dev/null 2>>"$T/hook.err"  # drains the spool
  expect_eq "$(find "$PAT_DB.spool" -maxdepth 1 -name '*.json' | wc -l)" 0 "the spool drained"
  patlog "$T/hooks.jsonl" "$T/transcript.jsonl" >"$T/stdout.jsonl" 2>"$T/bulk.err"
  patlog --rejects "$T/rejects.txt" "$T/bad.jsonl" >>"$T/stdout.jsonl" 2>>"$T/bulk.err"
  cat "$PAT_DB-wal" >"$T/wal.bin" 2>/dev/null
  touch "$T/release-reader"
  wait
  expect_ge "$(wc -c <"$T/wal.bin")" 1 "the WAL was read"
  expect_ge "$(sql "SELECT count(*) FROM rejects")" "$(wc -l <"$T/secrets.list")" "the broken copies kept"
  expect_ge "$(grep -o 'REDACTED' "$T/stdout.jsonl" | wc -l)" "$(wc -l <"$T/secrets.list")" "masks in the output"
  sqlite3 "$PAT_DB" .dump >"$T/dump.sql"
  cat "$PAT_DB"* >"$T/store.bin" 2>/dev/null
  cat "$T/hook.err" "$T/bulk.err" >"$T/stderr.txt"
  for f in dump.sql store.bin wal.bin stdout.jsonl stderr.txt rejects.txt spool.bin; do
    leaked=$(grep -aoFf "$T/secrets.list" "$T/$f" | sort -u | while IFS= read -r s; do
      jq -r --arg s "$s" 'select(.secret == $s) | .kind' "$corpus"; done | sort -u | tr '\n' ' ')
    [ -z "$leaked" ] || fail "secrets in $f: $leaked"
  done
}

test_secret_looking_json_keys_are_masked() {
  printf '{"tool":"deploy","params":{"api_key":"k-123456","password":"pw-654321","region":"eu-west-1"},"outcome":"success"}\n' >"$T/r.jsonl"
  expect_exit 0 patlog "$T/r.jsonl"
  expect_eq "$(jq -c .input "$T/out")" '{"api_key":"[REDACTED:secret-key]","password":"[REDACTED:secret-key]","region":"eu-west-1"}'
}

test_an_aws_secret_key_in_json_is_masked() {
  printf '{"tool":"Bash","input":{"command":"aws sts get-session-token"},"outcome":"success","output":{"Credentials":{"AccessKeyId":"ASIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"}}}\n' >"$T/r.jsonl"
  expect_exit 0 patlog "$T/r.jsonl"
  expect_not_contains "$T/out" "wJalrXUtnFEMI"
  expect_not_contains "$T/out" "ASIAIOSFODNN7EXAMPLE"
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
