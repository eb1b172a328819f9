# Shared helpers for the end-to-end suites: each suite sources this file, defines test_* functions
# and calls run_tests. Every test runs in a fresh environment (its own HOME, XDG dirs and store).
set -u
: "${PAT_BIN:?PAT_BIN must name the directory of the built tools}"
: "${PAT_SRC:?PAT_SRC must name the source tree}"
: "${PAT_FIXTURES:=$PAT_SRC/../shared/fixtures}"
export PATH="$PAT_BIN:$PATH"
FIXTURES="$PAT_FIXTURES/claude-code"
export FIXTURES

_failures=0
_current=""

fail() {
  echo "FAIL: $_current: $*" >&2
  _failures=$((_failures + 1))
  return 1
}

expect_eq() {  # ACTUAL EXPECTED [WHAT]
  [ "$1" == "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

expect_ne() {  # ACTUAL UNEXPECTED [WHAT]
  [ "$1" != "$2" ] || fail "${3:-value}: did not expect '$2'"
}

expect_ge() {  # ACTUAL MINIMUM [WHAT]
  [ "$1" -ge "$2" ] || fail "${3:-value}: expected at least $2, got $1"
}

expect_contains() {  # FILE PATTERN (grep -E)
  grep -qE -- "$2" "$1" || { fail "$1 does not match /$2/:"; head -c 2000 "$1" >&2; echo >&2; }
}

expect_not_contains() {  # FILE PATTERN
  ! grep -qE -- "$2" "$1" || { fail "$1 matches /$2/ but should not:"; grep -E -- "$2" "$1" | head -5 >&2; }
}

expect_exit() {  # STATUS COMMAND...: runs COMMAND with stdout/stderr in $T/out, $T/err
  local want=$1
  shift
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  [ "$got" == "$want" ] || { fail "'$*' exited $got, expected $want"; head -c 2000 "$T/err" >&2; echo >&2; }
}

hold_write_lock() {  # DB: another process holds DB's write lock, in the background, until
  # release_write_lock (at most 60 s); returns once the lock is held, however slow the machine.
  rm -f "$T/release-lock"
  ( echo "BEGIN IMMEDIATE; INSERT INTO cursors VALUES ('lock', 0, '');"
    for _ in $(seq 1 600); do [ -e "$T/release-lock" ] && break; sleep 0.1; done
    echo "ROLLBACK;" ) | sqlite3 -cmd ".timeout 5000" "$1" >/dev/null &
  local i
  for i in $(seq 1 200); do
    sqlite3 -cmd ".timeout 0" "$1" "BEGIN IMMEDIATE; ROLLBACK;" >/dev/null 2>&1 || return 0
    sleep 0.05
  done
  fail "$1 was never seen locked"
}

release_write_lock() {  # ends hold_write_lock and waits for its process
  touch "$T/release-lock"
  wait
}

golden() {  # DIR NAME FILE: FILE equals DIR/NAME (PAT_UPDATE_GOLDEN=1 rewrites DIR/NAME instead)
  local want="$1/$2"
  if [ "${PAT_UPDATE_GOLDEN:-}" == 1 ]; then
    mkdir -p "$(dirname "$want")"
    cp "$3" "$want"
    echo "updated: $want"
    return 0
  fi
  [ -e "$want" ] || { fail "no golden file $want (PAT_UPDATE_GOLDEN=1 writes it)"; return 1; }
  cmp -s "$3" "$want" || { fail "$2 differs from the golden file (PAT_UPDATE_GOLDEN=1 rewrites it):"; diff -u "$want" "$3" | head -60 >&2; }
}

need() {  # PROGRAM...: fails the test unless each is installed (scripts/setup installs them all)
  local p missing=0
  for p in "$@"; do
    command -v "$p" >/dev/null || { fail "$p is not installed (scripts/setup installs it)"; missing=1; }
  done
  return "$missing"
}

sql() {  # SQL [DB]: one value or rows, separator |
  sqlite3 -batch -noheader "${2:-$PAT_DB}" "$1"
}

reset_env() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/pat-test.XXXXXX")
  export HOME="$T/home" XDG_STATE_HOME="$T/state" XDG_CONFIG_HOME="$T/config" PAT_DB="$T/pat.db"
  # A session's end starts no learning of its own in the background, except where a test asks.
  export PAT_NO_LEARN=1
  unset PAT_CONFIG PAT_DATADIR
  mkdir -p "$HOME"
}

run_tests() {
  local fn passed=0 failed=0 before
  for fn in $(declare -F | awk '{print $3}' | grep '^test_' | sort); do
    _current=$fn
    reset_env
    before=$_failures
    "$fn"
    if [ "$_failures" == "$before" ]; then
      passed=$((passed + 1))
      echo "ok: $fn"
      rm -rf "$T"
    else
      failed=$((failed + 1))
      echo "not ok: $fn (files kept in $T)"
    fi
  done
  echo "$passed passed, $failed failed"
  [ "$failed" == 0 ]
}
