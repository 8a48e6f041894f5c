#!/bin/sh
# Installs the build into a fresh prefix and checks that clang-tidy loads the
# installed plugin and finds both checks, that clang runs the installed
# compiler plugin, and that bin/forksafety runs.
# Usage: install-plugin.sh BUILD_DIR PREFIX CLANG_TIDY CLANG
set -eu
build_dir=$1 prefix=$2 clang_tidy=$3 clang=$4
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
# links its SARIF rules to the project's doc pages, or with an empty
# --docs-url to the installed ones, the links inside the help too.
"$prefix/bin/forksafety" --version
example=$(dirname "$0")/../examples/worker_pool.c
status=0
"$prefix/bin/forksafety" --no-cache --quiet --checks=-*,forksafety-* \
  --format=sarif "$example" -- >"$prefix/report.sarif" || status=$?
test "$status" -eq 1
grep -q '"helpUri": "https://github.com/forksafety/forksafety/blob/main/docs/checks/forksafety-unsafe-call-in-child.md"' \
  "$prefix/report.sarif"
status=0
"$prefix/bin/forksafety" --no-cache --quiet --checks=-*,forksafety-* \
  --docs-url= --format=sarif "$example" -- >"$prefix/installed.sarif" ||
  status=$?
test "$status" -eq 1
grep -q "\"helpUri\": \"file://$prefix/share/doc/forksafety/checks/forksafety-unsafe-call-in-child.md\"" \
  "$prefix/installed.sarif"
grep -q "(file://$prefix/share/doc/forksafety/libc-profiles.md)" \
  "$prefix/installed.sarif"
# The compiler plugin reports in the compile and embeds the summary, which
# the installed forksafety reads back from the object.
"$clang" -fplugin="$prefix/lib/ForkSafetyClangPlugin.so" \
  -Xclang -plugin-arg-forksafety -Xclang 'checks=-*,forksafety-*' \
  -c "$example" -o "$prefix/example.o" 2>"$prefix/compile.txt"
grep -q "warning: call to 'printf' in the child of a fork is not async-signal-safe \[forksafety-unsafe-call-in-child\]" \
  "$prefix/compile.txt"
status=0
"$prefix/bin/forksafety" --merge --quiet --checks=-*,forksafety-* \
  "$prefix/example.o" >"$prefix/merged.txt" || status=$?
test "$status" -eq 1
grep -q "forksafety-unsafe-call-in-child" "$prefix/merged.txt"
# forksafety-clangd, where it is built, installs next to them and runs.
if [ -x "$build_dir/bin/forksafety-clangd" ]; then
  "$prefix/bin/forksafety-clangd" --version
fi
