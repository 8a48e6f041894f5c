#!/bin/sh
# Installs the build into a fresh prefix and checks that clang-tidy loads the
# installed plugin and finds both checks, and that bin/forksafety runs.
# Usage: install-plugin.sh BUILD_DIR PREFIX CLANG_TIDY
set -eu
build_dir=$1 prefix=$2 clang_tidy=$3
rm -rf "$prefix"
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
test -f "$prefix/lib/libForkSafetyTidyModule.so"
test -f "$prefix/share/doc/forksafety/checks/forksafety-unsafe-call-in-child.md"
checks=$("$clang_tidy" --load="$prefix/lib/libForkSafetyTidyModule.so" \
  --checks='-*,forksafety-*' --list-checks)
echo "$checks"
echo "$checks" | grep -q 'forksafety-fork-in-threaded-program'
echo "$checks" | grep -q 'forksafety-unsafe-call-in-child'
# The whole-program tool runs from the prefix, finds clang's headers and
# links its SARIF rules to the installed doc pages.
"$prefix/bin/forksafety" --version
example=$(dirname "$0")/../examples/worker_pool.c
status=0
"$prefix/bin/forksafety" --no-cache --quiet --checks=-*,forksafety-* \
  --format=sarif "$example" -- >"$prefix/report.sarif" || status=$?
test "$status" -eq 1
grep -q "\"helpUri\": \"file://$prefix/share/doc/forksafety/checks/forksafety-unsafe-call-in-child.md\"" \
  "$prefix/report.sarif"
# forksafety-clangd, where it is built, installs next to them and runs.
if [ -x "$build_dir/bin/forksafety-clangd" ]; then
  "$prefix/bin/forksafety-clangd" --version
fi
