#!/bin/sh
# Builds the program in Inputs/programs through ccache with the compiler
# plugin, in the ways ccache is used, and prints what each build did.
# Usage: ccache-build.sh WORK_DIR CLANG PLUGIN FORKSAFETY CONFIG [REMOTE]
# REMOTE is a ccache remote storage URL; with it, the script fills the
# remote storage from one local cache and builds again into an empty one.
set -eu
work=$1 clang=$2 plugin=$3 forksafety=$4 config=$5 remote=${6:-}
inputs=$(dirname "$0")/programs

rm -rf "$work"
mkdir -p "$work/src" "$work/plugin/forksafety"
cp "$inputs"/server.c "$inputs"/hooks.c "$work/src"
# A file that warns on its own, to see the warnings replayed.
cp "$inputs"/../../../../examples/worker_pool.c "$work/src"
# A private copy of the plugin, to change it later.
cp "$plugin" "$work/plugin/"
cp "$(dirname "$plugin")"/forksafety/ForkSafetyClangPluginImpl-*.so \
  "$work/plugin/forksafety/"
plugin=$work/plugin/$(basename "$plugin")

# Nothing from the user's ccache configuration.
export CCACHE_CONFIGPATH="$work/ccache.conf"
: >"$CCACHE_CONFIGPATH"
export CCACHE_DIR="$work/cache"
if [ -n "$remote" ]; then
  export CCACHE_REMOTE_STORAGE="$remote"
fi

stats() {
  ccache --print-stats | awk -v what="$1" '
    $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { hits += $2 }
    $1 == "remote_storage_hit" { remote += $2 }
    $1 == "cache_miss" { misses += $2 }
    END { printf "%s: %d hits (%d from remote storage), %d misses\n",
          what, hits, remote, misses }'
}

# build NAME: compiles the files into $work/NAME, warnings in NAME.warnings
build() {
  rm -rf "$work/$1"
  mkdir -p "$work/$1"
  ccache -z >/dev/null
  for file in server hooks worker_pool; do
    (cd "$work/src" && ccache "$clang" -fplugin="$plugin" \
      -Xclang -plugin-arg-forksafety -Xclang 'checks=-*,forksafety-*' \
      -c "$file.c" -o "$work/$1/$file.o") 2>>"$work/$1.warnings"
  done
  stats "$1"
}

# audit NAME: links the server of build NAME and audits the executable alone
audit() {
  "$clang" "$work/$1/server.o" "$work/$1/hooks.o" -o "$work/$1/server" -pthread
  (cd "$work/src" && "$forksafety" --merge --quiet --config-file="$config" \
    "$work/$1/server" >"$work/$1.findings") || true
}

build first
audit first
if [ -n "$remote" ]; then
  # Another machine: an empty local cache, the same remote storage.
  export CCACHE_DIR="$work/other-cache"
fi
build second
audit second
cmp "$work/first.warnings" "$work/second.warnings" &&
  echo "the second build replays the plugin's warnings"
cmp "$work/first.findings" "$work/second.findings" &&
  echo "the second build's executable gives the same findings"
grep -c 'warning:.*\[forksafety-' "$work/second.warnings" |
  sed 's/$/ warnings in the second build/'
# Each finding, a warning or folded into another as a note, names its check.
grep -c '\[forksafety-[a-z-]*\]$' "$work/second.findings" |
  sed 's/$/ findings in the second build/'

# A changed plugin is a new compiler: ccache hashes -fplugin= files.
printf 'changed' >>"$plugin"
build changed
