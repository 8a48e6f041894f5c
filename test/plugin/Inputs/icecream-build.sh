#!/bin/sh
# Compiles with the compiler plugin through icecream, on an icecream daemon
# that compiles in a chroot of the compiler environment the client ships to
# it, and prints what the builds did: the programs in Inputs/programs and
# examples/worker_pool.c, compiled by clang directly and through icecream,
# which preprocesses on this side (clang -E) or, with ICECC_REMOTE_CPP=1,
# only inlines the headers (clang -frewrite-includes).
# Usage: icecream-build.sh WORK_DIR CLANG PLUGIN FORKSAFETY CONFIG
#
# icecream finds its scheduler by broadcasting on the network, so the
# scheduler, the daemons and the builds run in network, PID and mount
# namespaces of their own: the network has only the loopback device, and
# every process started here ends with the namespace's first process, which
# is killed if the script does not end within five minutes. The daemons
# compile at a lower priority: on a busy machine (the rest of the test
# suite running beside) the script takes over a hundred seconds where it
# takes ten alone.
set -eu

if [ "${FORKSAFETY_ICECREAM_NAMESPACE:-}" != 1 ]; then
  FORKSAFETY_ICECREAM_NAMESPACE=1 exec timeout 300 unshare --net --pid \
    --kill-child --mount --mount-proc sh "$0" "$@"
fi

work=$1 clang=$2 plugin=$3 forksafety=$4 config=$5
inputs=$(cd "$(dirname "$0")" && pwd)

# Nothing runs if the namespace has a network device besides loopback.
if awk -F: 'NR > 2 { gsub(/ /, "", $1); if ($1 != "lo") found = 1 }
            END { exit !found }' /proc/net/dev; then
  echo "error: the network namespace has devices besides lo" >&2
  exit 1
fi
ip link set lo up
# The daemons make /var/run/icecc: a private /run keeps it in here.
mount -t tmpfs tmpfs /run
# Nothing from the user's icecream settings.
unset ICECC ICECC_VERSION ICECC_DEBUG ICECC_LOGFILE ICECC_REPEAT_RATE \
  ICECC_PREFERRED_HOST ICECC_CC ICECC_CXX ICECC_REMOTE_CPP \
  ICECC_CLANG_REMOTE_CPP ICECC_IGNORE_UNVERIFIED ICECC_EXTRAFILES \
  ICECC_SCHEDULER ICECC_TEST_SOCKET ICECC_TEST_REMOTEBUILD

rm -rf "$work"
mkdir -p "$work/src" "$work/env" "$work/ice"
cp "$inputs"/programs/server.c "$inputs"/programs/hooks.c \
  "$inputs"/../../../examples/worker_pool.c "$work/src"
# Run as root, the scheduler and the daemons switch to the icecc user (the
# daemons keep the capability to chroot); their files are in $work/ice.
user=icecc
id "$user" >/dev/null 2>&1 || user=nobody
chown "$user" "$work/ice"

pids=
cleanup() {
  for pid in $pids; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  # The environment is big; the logs stay.
  rm -rf "$work/env" "$work"/ice/envs-*
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

# wait_for COUNT FILE PATTERN: waits until FILE has COUNT lines with PATTERN.
wait_for() {
  tries=0
  until count=$(grep -c "$3" "$2" 2>/dev/null) && [ "$count" -ge "$1" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 1200 ]; then
      echo "error: no '$3' in $2 after 120 s" >&2
      tail -n 20 "$work"/ice/*.log >&2
      exit 1
    fi
    sleep 0.1
  done
}

port=8765
netname=forksafety-test
icecc-scheduler -p "$port" -n "$netname" -u "$user" \
  -l "$work/ice/scheduler.log" -vvv &
pids="$pids $!"
wait_for 1 "$work/ice/scheduler.log" "scheduler ready"
# The daemon the client talks to compiles nothing itself; the other one
# takes the jobs and compiles them in a chroot of the environment.
daemon() {
  name=$1
  shift
  ICECC_TEST_SOCKET="$work/ice/socket-$name" iceccd -s "127.0.0.1:$port" \
    -n "$netname" -N "$name" -b "$work/ice/envs-$name" -u "$user" \
    -l "$work/ice/$name.log" -m 1 -vvv "$@" &
  pids="$pids $!"
}
daemon localice --no-remote -p 10245
daemon remoteice -p 10246

# The compiler environment: clang, its libraries, and the plugin's loader
# and the implementation it loads at their paths on this machine; the
# remote daemon extracts it and compiles with it as the root directory.
(cd "$work/env" && icecc-create-env --clang "$clang" \
  --addfile "$plugin" \
  --addfile "$(dirname "$plugin")"/forksafety/ForkSafetyClangPluginImpl-*.so \
  --compression none) >"$work/create-env.log" 2>&1
environment=$(ls "$work"/env/*.tar)
tar -tf "$environment" | grep -c -F -e "${plugin#/}" \
  -e "$(dirname "${plugin#/}")/forksafety/" |
  sed 's/$/ plugin files in the environment/'

files="server hooks worker_pool"
# compile NAME COMMAND...: compiles the files into $work/NAME.
compile() {
  build=$1
  shift
  mkdir -p "$work/$build"
  for file in $files; do
    (cd "$work/src" && "$@" -fplugin="$plugin" \
      -Xclang -plugin-arg-forksafety -Xclang 'checks=-*,forksafety-*' \
      -c "$file.c" -o "$work/$build/$file.o") 2>>"$work/$build.warnings"
  done
}
compile local "$clang"

# The daemons have connected to the scheduler meanwhile.
wait_for 1 "$work/ice/localice.log" "Connected to scheduler"
wait_for 1 "$work/ice/remoteice.log" "Connected to scheduler"
if grep -q "Cannot use chroot" "$work/ice/remoteice.log"; then
  echo "error: the remote daemon cannot chroot" >&2
  exit 1
fi

# audit NAME: the findings of the programs of build NAME
audit() {
  (cd "$work/src" && "$forksafety" --merge --quiet --config-file="$config" \
    "$work/$1/server.o" "$work/$1/hooks.o" >"$work/$1.server.findings") ||
    true
  (cd "$work/src" && "$forksafety" --merge --quiet --config-file="$config" \
    "$work/$1/worker_pool.o" >"$work/$1.worker_pool.findings") || true
}
audit local

# diagnostics NAME: the warnings and notes of build NAME, without the
# quoted lines (clang quotes the preprocessed file it compiles)
diagnostics() {
  grep -E '^[^ ].*: (warning|note): ' "$work/$1.warnings" || true
}

remote_jobs=0
# remote NAME [VARIABLE=VALUE...]: the build through icecream
remote() {
  name=$1
  shift
  (
    export ICECC_TEST_SOCKET="$work/ice/socket-localice" \
      ICECC_VERSION="$environment" ICECC_TEST_REMOTEBUILD=1 \
      ICECC_PREFERRED_HOST=remoteice ICECC_DEBUG=debug \
      ICECC_LOGFILE="$work/$name.icecc.log"
    for setting in "$@"; do
      export "$setting"
    done
    compile "$name" icecc "$clang"
  )
  # Each job went to the remote daemon, which compiled it in its chroot;
  # none was compiled on this side.
  remote_jobs=$((remote_jobs + $(echo $files | wc -w)))
  wait_for "$remote_jobs" "$work/ice/remoteice.log" \
    "Remote compilation completed with exit code 0"
  echo "$name: $(grep -c 'Have to use host 127.0.0.1:10246' \
    "$work/$name.icecc.log") jobs compiled by the remote daemon," \
    "$(grep -c 'building_local\|building myself' "$work/$name.icecc.log")" \
    "on this side"
  for file in $files; do
    if llvm-readelf -S "$work/$name/$file.o" | grep -q '\.forksafety '; then
      echo "$name: $file.o carries a .forksafety section"
    fi
  done
  diagnostics local >"$work/local.diagnostics"
  diagnostics "$name" >"$work/$name.diagnostics"
  if diff "$work/local.diagnostics" "$work/$name.diagnostics" >&2; then
    echo "$name: the compile gives the same warnings:" \
      "$(grep -c 'warning:' "$work/$name.diagnostics")"
  fi
  audit "$name"
  for program in server worker_pool; do
    if diff "$work/local.$program.findings" "$work/$name.$program.findings" \
        >&2; then
      echo "$name: the objects of $program give the same findings:" \
        "$(grep -c '\[forksafety-[a-z-]*\]$' "$work/$name.$program.findings")"
    fi
  done
}
remote preprocessed
remote rewritten-includes ICECC_REMOTE_CPP=1
grep -c -- "-frewrite-includes" "$work/rewritten-includes.icecc.log" |
  sed 's/$/ sources preprocessed with -frewrite-includes/'
