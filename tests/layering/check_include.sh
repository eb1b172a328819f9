#!/usr/bin/env bash
# check_include.sh CXX ok|refused HEADER -IDIR...: compiles a file that includes HEADER with a
# layer's include directories (tests/CMakeLists.txt passes them) and expects it to compile (ok)
# or to fail because HEADER cannot be found (refused): an include against the grain of the
# layers must not compile.
set -u
cxx=$1 expect=$2 header=$3
shift 3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pat-layering.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
printf '#include "%s"\n' "$header" >"$tmp/probe.cpp"
"$cxx" -std=c++20 -fsyntax-only "$@" "$tmp/probe.cpp" >"$tmp/out" 2>&1
status=$?
case $expect in
  ok)
    [ $status -eq 0 ] && exit 0
    echo "FAIL: $header should compile with these include directories:" >&2
    head -20 "$tmp/out" >&2
    exit 1 ;;
  refused)
    if [ $status -ne 0 ] && grep -q -- "$header: No such file or directory" "$tmp/out"; then exit 0; fi
    echo "FAIL: $header is visible where the layers forbid it (or failed for another reason):" >&2
    head -20 "$tmp/out" >&2
    exit 1 ;;
esac
echo "usage: check_include.sh CXX ok|refused HEADER -IDIR..." >&2
exit 64
