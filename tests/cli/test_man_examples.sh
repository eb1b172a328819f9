#!/usr/bin/env bash
# The manual pages cannot drift from the code: every command in EXAMPLES of each tool's page runs
# as shown, every option of TOOL --help is documented there (and every documented option
# exists), and every page renders without a warning.
source "$(dirname "$0")/lib.sh"

# The tools that have landed; each has man/man1/TOOL.1.
TOOLS="patlog patdetect patlearn patcheck patprune patreport patsetup"

# Roff text as a reader sees it: the escapes the pages use, in one pass. In commands (unroff
# strict) an escape not listed here is an error, so that a new one is not silently run as
# garbage; elsewhere it is dropped.
unroff() {
  STRICT=${1:-} perl -pe '
    my %map = ("-" => "-", "e" => "\\", "&" => "", "%" => "", "(aq" => "\x27", "(dq" => "\"", "(ga" => "`",
               "(ti" => "~", "(ha" => "^", "(rs" => "\\", "(lq" => "\"", "(rq" => "\"",
               "fB" => "", "fI" => "", "fR" => "", "fP" => "");
    s{\\(\([a-z]{2}|f[BIRP]|.)}{exists $map{$1} ? $map{$1} : $ENV{STRICT} ? die "unknown roff escape \\$1 in: $_" : ""}ge;
  '
}

# Splits the EXAMPLES section of page $2 into commands: $1/N.cmd (one command, "$ " removed) and $1/N.out
# (the output the page shows after it, possibly empty); $1/index lists "N BLOCK" and $1/count
# the number of blocks. Only .EX/.EE blocks whose first line starts with "$ " are examples;
# every "$ " line in such a block is a command, run in order in the block's environment.
extract_examples() {
  local dir=$1 page=$2
  mkdir -p "$dir"
  awk -v dir="$dir" '
    /^\.SH / { in_ex = ($0 ~ /^\.SH "?EXAMPLES"?$/); next }
    !in_ex { next }
    /^\.EX/ { block = 1; first = 1; next }
    /^\.EE/ { block = 0; next }
    !block { next }
    {
      if (first) {
        if (substr($0, 1, 2) != "$ ") { block = 0; next }
        b++
      }
      first = 0
      if (substr($0, 1, 2) == "$ ") {
        n++
        printf "%s\n", substr($0, 3) > (dir "/" n ".cmd")
        printf "" > (dir "/" n ".out")
        close(dir "/" n ".cmd")
        print n, b > (dir "/index")
      } else {
        print $0 >> (dir "/" n ".out")
      }
    }
    END { print b + 0 > (dir "/count"); printf "" >> (dir "/index") }
  ' "$page"
  local f
  for f in "$dir"/*.cmd "$dir"/*.out; do
    [ -e "$f" ] || continue
    unroff strict <"$f" >"$f.plain" || fail "cannot unescape $f"
  done
}

squeeze() {  # white space runs to one space, none at the ends
  tr -s ' \t' '  ' | sed -e 's/^ //' -e 's/ $//'
}

# Each line the page shows after a command ($1: its .out.plain) is among what the command
# printed ($2), white space aside; a line ending in "..." stands for any line that starts with
# the text before it, and a line "..." for lines left out.
expect_shown_output() {
  local shown=$1 printed=$2 what=$3 line
  squeeze <"$printed" >"$printed.squeezed"
  while IFS= read -r line; do
    line=$(printf '%s\n' "$line" | squeeze)
    [ -z "$line" ] || [ "$line" == "..." ] && continue
    if [ "${line%...}" != "$line" ]; then
      P="${line%...}" awk 'index($0, ENVIRON["P"]) == 1 { found = 1 } END { exit !found }' "$printed.squeezed" && continue
    else
      grep -qxF -- "$line" "$printed.squeezed" && continue
    fi
    fail "$what: the page shows '$line'; the command printed:"
    head -c 2000 "$printed" >&2
    echo >&2
  done <"$shown"
}

run_examples_of() {  # TOOL
  local tool=$1 n block cmd run status
  extract_examples "$T/ex-$tool" "$PAT_SRC/man/man1/$tool.1"
  expect_ge "$(cat "$T/ex-$tool/count")" 3 "examples in $tool.1"
  while read -r n block; do
    cmd=$(cat "$T/ex-$tool/$n.cmd.plain")
    [ -n "$cmd" ] || { fail "$tool.1 example $block: command $n is empty or cannot be unescaped"; continue; }
    # A fresh environment and an empty working directory for each example (block); the
    # commands of one example share them.
    run="$T/$tool-example$block"
    mkdir -p "$run/home" "$run/cwd"
    (
      cd "$run/cwd" || exit 70
      export HOME="$run/home" XDG_STATE_HOME="$run/state" XDG_CONFIG_HOME="$run/config" PAT_DB="$run/pat.db"
      unset PAT_CONFIG PAT_DATADIR
      exec bash -o pipefail -c "$cmd" >"$run/out$n" 2>&1 </dev/null
    )
    status=$?
    if [ "$status" != 0 ]; then
      fail "$tool.1 example $block exited $status: $cmd"
      head -c 2000 "$run/out$n" >&2
      echo >&2
      continue
    fi
    # Where the page shows output, the command prints something, and what the page shows.
    if [ -s "$T/ex-$tool/$n.out.plain" ]; then
      [ -s "$run/out$n" ] || fail "$tool.1 example $block printed nothing: $cmd"
      expect_shown_output "$T/ex-$tool/$n.out.plain" "$run/out$n" "$tool.1 example $block ($cmd)"
    fi
  done <"$T/ex-$tool/index"
}

test_examples_run_as_shown() {
  need jq sqlite3 || return
  local tool
  for tool in $TOOLS; do run_examples_of "$tool"; done
}

# Options as TOOL --help lists them: -x and --long.
# The options TOOL --help lists, and those of each of its subcommands (TOOL SUB --help).
help_options() {
  local sub
  {
    "$1" --help
    for sub in $("$1" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } /^$/ { on = 0 }'); do
      "$1" "$sub" --help
    done
  } | grep -oE '^  (-[A-Za-z],)?--[a-z0-9-]+' | tr ',' '\n' | tr -d ' ' | sort -u
}

# The OPTIONS section of TOOL's page, unescaped.
options_section() {
  awk '/^\.SH / { on = ($0 ~ /^\.SH "?OPTIONS"?$/); next } on' "$PAT_SRC/man/man1/$1.1" | unroff
}

test_every_help_option_is_in_the_page() {
  local tool opt
  for tool in $TOOLS; do
    options_section "$tool" >"$T/options"
    expect_ge "$(help_options "$tool" | wc -l)" 8 "options in $tool --help"
    for opt in $(help_options "$tool"); do
      grep -qE -- "(^|[^-a-z0-9])$opt([^-a-z0-9]|\$)" "$T/options" || fail "$tool --help lists $opt; OPTIONS in $tool.1 does not"
    done
  done
}

test_every_documented_option_exists() {
  local tool opt
  for tool in $TOOLS; do
    help_options "$tool" >"$T/help"
    # The item lines of OPTIONS: the line after each .TP.
    options_section "$tool" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }' |
      grep -oE '(^|[ "])--?[a-z][a-z0-9-]*' | tr -d ' "' | sort -u >"$T/documented"
    expect_ge "$(wc -l <"$T/documented")" 8 "options documented in $tool.1"
    while IFS= read -r opt; do
      grep -qxF -- "$opt" "$T/help" || fail "$tool.1 documents $opt; $tool --help does not list it"
    done <"$T/documented"
  done
}

test_pages_render_without_warnings() {
  need groff || return
  local page n=0
  for page in "$PAT_SRC"/man/man*/*.[1-9]; do
    n=$((n + 1))
    groff -man -ww -z "$page" >"$T/groff.out" 2>&1 || fail "groff failed on $page"
    [ -s "$T/groff.out" ] && { fail "groff warns about $page:"; head -20 "$T/groff.out" >&2; }
    if command -v man >/dev/null; then
      MANWIDTH=80 man -l -Tutf8 "$page" 2>"$T/man.err" >"$T/man.out" || fail "man -l failed on $page"
      [ -s "$T/man.err" ] && { fail "man -l warns about $page:"; head -20 "$T/man.err" >&2; }
      [ -s "$T/man.out" ] || fail "man -l rendered nothing for $page"
    fi
  done
  expect_ge "$n" 3 "pages under man/"
}

run_tests
