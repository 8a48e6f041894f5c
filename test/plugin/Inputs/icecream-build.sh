#!/bin/sh
# Compiles the program in Inputs/programs through icecream with the compiler
# plugin, on a second icecream daemon that compiles in a chroot of a shipped
# compiler environment, and prints what the build did.
# Usage: icecream-build.sh WORK_DIR CLANG PLUGIN FORKSAFETY CONFIG
#
# icecream finds its scheduler by broadcasting on the network, so the
# scheduler, the daemons and the build run in network, PID and mount
# namespaces of their own: the network has only the loopback device, and
# every process started here ends with the namespace's first process.
set -eu

if [ "${FORKSAFETY_ICECREAM_NAMESPACE:-}" != 1 ]; then
  FORKSAFETY_ICECREAM_NAMESPACE=1 exec unshare --net --pid --fork \
    --mount --mount-proc sh "$0" "$@"
fi

work=$1 clang=$2 plugin=$3 forksafety=$4 config=$5
inputs=$(cd "$(dirname "$0")" && pwd)/programs

# Refuse to run anything if the namespace has a network device besides
# loopback.
if awk -F: 'NR > 2 { gsub(/ /, "", $1); if ($1 != "lo") found = 1 }
            END { exit !found }' /proc/net/dev; then
  echo "error: the network namespace has devices besides lo" >&2
  exit 1
fi
ip link set lo up
# The daemons make /var/run/icecc: a private /run keeps it in here.
mount -t tmpfs tmpfs /run

rm -rf "$work"
mkdir -p "$work/src" "$work/local" "$work/remote" "$work/env" "$work/ice"
cp "$inputs"/server.c "$inputs"/hooks.c "$inputs"/../../../../examples/worker_pool.c \
  "$work/src"
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
}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM

# The compiler environment: clang, its libraries and the plugin, the
# loader and the implementation it loads at their paths on this machine,
# which the remote daemon extracts and compiles in as its root.
(cd "$work/env" && icecc-create-env --clang "$clang" \
  --addfile "$plugin" \
  --addfile "$(dirname "$plugin")"/forksafety/ForkSafetyClangPluginImpl-*.so \
  --compression none) >"$work/create-env.log" 2>&1
environment=$(ls "$work"/env/*.tar)
plugin_in_env=$(tar -tf "$environment" | grep -c -F \
  -e "${plugin#/}" -e "$(dirname "${plugin#/}")/forksafety/" || true)
echo "the environment carries $plugin_in_env plugin files"

port=8765
netname=forksafety-test
icecc-scheduler -p "$port" -n "$netname" -u "$user" \
  -l "$work/ice/scheduler.log" -vvv &
pids="$pids $!"
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

# Both daemons connect to the scheduler (their logs are flushed by line).
tries=0
until grep -q "Connected to scheduler" "$work/ice/localice.log" 2>/dev/null &&
    grep -q "Connected to scheduler" "$work/ice/remoteice.log" 2>/dev/null; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ]; then
    echo "error: the icecream daemons did not connect to the scheduler" >&2
    tail -n 20 "$work"/ice/*.log >&2
    exit 1
  fi
  sleep 0.1
done
echo "the daemons are connected to the scheduler"

# compile DIR COMMAND...: compiles the program's files and a threaded file
# that forks, which the plugin warns about, into DIR.
compile() {
  out=$1
  shift
  for file in server hooks worker_pool; do
    (cd "$work/src" && "$@" -fplugin="$plugin" \
      -Xclang -plugin-arg-forksafety -Xclang 'checks=-*,forksafety-*' \
      -c "$file.c" -o "$work/$out/$file.o") 2>>"$work/$out.warnings"
  done
}
compile local "$clang"
ICECC_TEST_SOCKET="$work/ice/socket-localice" ICECC_VERSION="$environment" \
  ICECC_TEST_REMOTEBUILD=1 ICECC_PREFERRED_HOST=remoteice \
  ICECC_DEBUG=debug ICECC_LOGFILE="$work/icecc.log" \
  compile remote icecc "$clang"

# Each job went to the remote daemon, which compiled it in its chroot;
# none fell back to a compile on this side.
grep -c "Remote compilation completed with exit code 0" \
  "$work/ice/remoteice.log" | sed 's/$/ jobs compiled by the remote daemon/'
grep -c "building_local\|building myself" "$work/icecc.log" |
  sed 's/$/ jobs compiled by the client/'

for file in server hooks worker_pool; do
  llvm-readelf -S "$work/remote/$file.o" | grep -q '\.forksafety ' &&
    echo "the remote $file.o carries a .forksafety section"
done
# The remote compile reads the preprocessed file: its warnings are the same,
# but quote the lines with macros expanded.
for build in local remote; do
  grep -E '^[^ ].*: (warning|note): ' "$work/$build.warnings" \
    >"$work/$build.diagnostics" || true
done
diff "$work/local.diagnostics" "$work/remote.diagnostics" >&2 &&
  echo "the remote compile gives the plugin's warnings"
grep -c 'warning:.*\[forksafety-' "$work/remote.diagnostics" |
  sed 's/$/ warnings in the remote compile/'

# audit NAME OBJECTS...: the findings of a program of build NAME
audit() {
  name=$1
  shift
  (cd "$work/src" && "$forksafety" --merge --quiet --config-file="$config" \
    "$@" >"$work/$name.findings") || true
}
for build in local remote; do
  audit "$build-server" "$work/$build/server.o" "$work/$build/hooks.o"
  audit "$build-worker_pool" "$work/$build/worker_pool.o"
done
for program in server worker_pool; do
  diff "$work/local-$program.findings" "$work/remote-$program.findings" >&2 &&
    echo "the remote objects of $program give the same findings"
  grep -c 'warning:' "$work/remote-$program.findings" |
    sed "s/\$/ findings in the remote $program/"
done
