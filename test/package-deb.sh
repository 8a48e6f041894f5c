#!/bin/sh
# Packages the build with `cpack -G DEB` as the README says, then checks the
# package: its files, its dependencies, and that what it installs runs (the
# clang-tidy plugin, the compiler plugin and the tool, from an extracted
# copy). Exits 77 (skipped) without dpkg-deb.
# Usage: package-deb.sh BUILD_DIR WORK_DIR CLANG_TIDY CLANG LLVM_MAJOR
set -eu
build_dir=$1 work=$2 clang_tidy=$3 clang=$4 major=$5
command -v dpkg-deb >/dev/null || { echo "no dpkg-deb: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
(cd "$build_dir" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/forksafety_*.deb)
echo "package: $(basename "$deb")"
fail() { echo "error: $*" >&2; exit 1; }
dpkg-deb -f "$deb" Version | grep -qx "[0-9.]*+llvm$major" ||
  fail "the version does not name LLVM $major"
depends=$(dpkg-deb -f "$deb" Depends)
for dependency in "libclang-cpp$major" "libllvm$major" \
  "libclang-common-$major-dev"; do
  echo "$depends" | grep -q "$dependency" || fail "no dependency on $dependency"
done
root="$work/root"
dpkg-deb -x "$deb" "$root"
for file in bin/forksafety bin/forksafety-clangd lib/ForkSafetyClangPlugin.so \
  lib/libForkSafetyTidyModule.so \
  "lib/forksafety/ForkSafetyClangPluginImpl-llvm$major.so" \
  "lib/forksafety/libForkSafetyTidyChecks-llvm$major.so" \
  share/doc/forksafety/README.md \
  share/doc/forksafety/checks/forksafety-unsafe-call-in-child.md \
  share/doc/forksafety/checks/forksafety-fork-in-threaded-program.md; do
  test -f "$root/usr/$file" || fail "the package has no /usr/$file"
done
"$root/usr/bin/forksafety" --version | grep -q "(LLVM $major)" ||
  fail "the packaged forksafety does not run"
checks=$("$clang_tidy" --load="$root/usr/lib/libForkSafetyTidyModule.so" \
  --checks='-*,forksafety-*' --list-checks | grep -c ' forksafety-')
test "$checks" -eq 2 || fail "clang-tidy lists $checks forksafety checks"
# The packaged compiler plugin and tool find the same findings.
example=$(dirname "$0")/../examples/worker_pool.c
plugin=$("$clang" -fplugin="$root/usr/lib/ForkSafetyClangPlugin.so" \
  -Xclang -plugin-arg-forksafety -Xclang 'checks=-*,forksafety-*' \
  -fsyntax-only "$example" 2>&1 | grep -c 'warning: .*\[forksafety-')
status=0
"$root/usr/bin/forksafety" --no-cache --quiet --checks='-*,forksafety-*' \
  "$example" -- >"$work/report.txt" || status=$?
tool=$(grep -c 'warning: .*\[forksafety-' "$work/report.txt")
test "$status" -eq 1 || fail "the packaged forksafety exited with $status"
test "$plugin" -gt 0 && test "$plugin" -eq "$tool" ||
  fail "the compiler plugin found $plugin findings, forksafety $tool"
echo "package checked: $plugin findings in each front end"
