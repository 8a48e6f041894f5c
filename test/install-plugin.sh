#!/bin/sh
# Installs the build into a fresh prefix and checks that clang-tidy loads the
# installed plugin and finds both checks.
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
# forksafety-clangd, where it is built, installs next to them and runs.
if [ -x "$build_dir/bin/forksafety-clangd" ]; then
  "$prefix/bin/forksafety-clangd" --version
fi
