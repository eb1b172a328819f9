#!/usr/bin/env bash
# `cmake --install` gives a working installation: the six tools, their manual pages and data,
# and an installed patlog that finds the installed data (not the source tree's).
source "$(dirname "$0")/lib.sh"

BUILD_DIR=$(cd "$PAT_BIN/.." && pwd)
TOOLS="patlog patdetect patlearn patcheck patprune patreport patsetup"

install_to() {  # PREFIX: installs the build tree there; output in $T/install.log
  (unset DESTDIR; cmake --install "$BUILD_DIR" --prefix "$1") >"$T/install.log" 2>&1 ||
    { fail "cmake --install $BUILD_DIR --prefix $1 failed:"; tail -20 "$T/install.log" >&2; return 1; }
}

test_install_tree() {
  local p="$T/prefix" tool
  install_to "$p" || return
  for tool in $TOOLS; do
    [ -x "$p/bin/$tool" ] || fail "$p/bin/$tool is missing or not executable"
  done
  for tool in $TOOLS; do
    expect_exit 0 "$p/bin/$tool" --version
    expect_eq "$(cat "$T/out")" "$tool (pattools) 0.1.0" "installed $tool --version"
  done
  local page
  for page in man1/patlog.1 man1/patdetect.1 man1/patlearn.1 man1/patcheck.1 man1/patprune.1 man1/patreport.1 man1/patsetup.1 man5/pattools-records.5 man7/pattools.7; do
    [ -s "$p/share/man/$page" ] || fail "manual page $p/share/man/$page is missing"
    cmp -s "$p/share/man/$page" "$PAT_SRC/man/$page" || fail "installed $page differs from man/$page"
  done
  local data
  for data in redact.rules failure-classes.rules claude-settings.json; do
    [ -s "$p/share/pattools/$data" ] || fail "$p/share/pattools/$data is missing"
  done
  [ -d "$p/share/pattools/examples" ] || fail "$p/share/pattools/examples/ is missing"
  for data in cron/patprune.crontab systemd/patprune.service systemd/patprune.timer; do
    [ -s "$p/share/pattools/$data" ] || fail "$p/share/pattools/$data is missing"
  done
  expect_ge "$(find "$p/share/pattools/examples" -type f | wc -l)" 1 "files in share/pattools/examples"
  jq -e '.hooks | length > 0' "$p/share/pattools/claude-settings.json" >/dev/null ||
    fail "installed claude-settings.json holds no hooks"
}

test_installed_patlog_uses_the_installed_rules() {
  local p="$T/prefix"
  install_to "$p" || return
  printf '%s\n' 'text marker {zzmarker} zzmarker[0-9]+' >>"$p/share/pattools/redact.rules"
  # Outside the source tree, with no PAT_DATADIR: only the installation can supply the rule.
  mkdir -p "$T/elsewhere"
  (
    cd "$T/elsewhere" || exit 70
    unset PAT_DATADIR
    echo '{"tool":"t","input":{"c":"zzmarker42"}}' | "$p/bin/patlog" --no-db
  ) >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "exit status"
  expect_eq "$(jq -r .input.c "$T/out")" "[REDACTED:marker]" "masked by the installed rule"
  expect_eq "$(wc -c <"$T/err")" 0 "stderr"
  # The shipped rules still apply alongside it.
  (
    cd "$T/elsewhere" || exit 70
    unset PAT_DATADIR
    echo '{"tool":"t","input":{"c":"export GITHUB_TOKEN=abc123def456"}}' | "$p/bin/patlog" --no-db
  ) >"$T/out" 2>"$T/err"
  expect_eq "$(jq -r .input.c "$T/out")" "export GITHUB_TOKEN=[REDACTED:secret-assign]" "shipped rule"
}

test_installed_patdetect_uses_the_installed_class_rules() {
  local p="$T/prefix"
  install_to "$p" || return
  # A rule only the installed file has, first so that it wins.
  { echo 'WORKFLOW_SEQUENCE  zzmarker'; cat "$p/share/pattools/failure-classes.rules"; } >"$T/rules"
  cp "$T/rules" "$p/share/pattools/failure-classes.rules"
  mkdir -p "$T/elsewhere"
  (
    cd "$T/elsewhere" || exit 70
    unset PAT_DATADIR
    printf '%s\n' '{"tool":"t","params":{"a":"1"},"outcome":"success","session":"s"}' \
      '{"tool":"t","params":{"a":"2"},"outcome":"failure","error":"zzmarker 42","session":"s"}' \
      '{"tool":"t","params":{"a":"3"},"outcome":"failure","error":"zzmarker 43","session":"s"}' \
      | "$p/bin/patlog" --no-db | "$p/bin/patdetect"
  ) >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "exit status"
  expect_eq "$(jq -r 'select(.kind == "observation") | .category' "$T/out" | sort -u)" "WORKFLOW_SEQUENCE" "the installed rule"
}

test_installed_patreport_reports_a_store() {
  local p="$T/prefix"
  install_to "$p" || return
  mkdir -p "$T/elsewhere"
  (
    cd "$T/elsewhere" || exit 70
    unset PAT_DATADIR
    "$p/bin/patlog" -q --db "$T/s.db" "$PAT_SRC/share/pattools/examples/claude-hooks.jsonl" &&
      "$p/bin/patreport" --db "$T/s.db" --format json dashboard
  ) >"$T/out" 2>"$T/err"
  expect_eq "$?" 0 "exit status"
  expect_ge "$(jq .failures.failures "$T/out")" 1 "failed calls classified by the installed rules"
}

test_installed_tools_are_static_when_built_so() {
  # PAT_STATIC=ON (the default) links the tools statically, unless sanitizers are on.
  local cache="$BUILD_DIR/CMakeCache.txt"
  [ -r "$cache" ] || { echo "skip: no $cache"; return 0; }
  if ! grep -q '^PAT_STATIC:BOOL=ON' "$cache" || grep -q '^PAT_SANITIZE:BOOL=ON' "$cache"; then
    echo "skip: this build links the tools dynamically"
    return 0
  fi
  need file || return
  local p="$T/prefix" tool
  install_to "$p" || return
  for tool in $TOOLS; do
    file -L "$p/bin/$tool" | grep -q 'statically linked' || fail "$tool is not statically linked: $(file -L "$p/bin/$tool")"
  done
}

run_tests
