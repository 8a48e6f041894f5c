#!/bin/sh
# Runs a command while a private redis-server listens on 127.0.0.1, then
# stops it. "@PORT@" in the command's arguments becomes the server's port.
# Usage: with-redis.sh DIR COMMAND [ARG...]
set -eu
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
  --dir "$dir" --daemonize no >"$dir/redis.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
tries=0
until redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ]; then
    echo "redis-server did not start:" >&2
    cat "$dir/redis.log" >&2
    exit 1
  fi
  sleep 0.1
done
for arg in "$@"; do
  shift
  set -- "$@" "$(printf '%s' "$arg" | sed "s/@PORT@/$port/g")"
done
"$@"
