#!/usr/bin/env bash
# Runs redisrate's checks against a real Redis started for the run.
#
#   testdata/with-redis.sh                 # go vet, go test -race, then the timing tests (TIM_TIMING_TESTS=1) without -race
#   testdata/with-redis.sh go test -v -run TestFleet -count=3 .   # any command, with Redis up
#
# It installs redis-server from Debian's packages when it is missing (as root,
# or with passwordless sudo), starts one on a free loopback port with no
# persistence, exports TIM_REDIS_ADDR=127.0.0.1:PORT, runs the command in the
# redisrate module and stops Redis when it exits, on failure too.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "with-redis: installing redis-server from Debian's packages" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
  # Keep the package's service from starting on the default port 6379.
  policy=/usr/sbin/policy-rc.d
  made_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    made_policy=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  if [ -n "$made_policy" ]; then $sudo rm -f "$policy"; fi
fi

dir=$(mktemp -d)
pid=""
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap stop EXIT

# A port nothing listens on; if another process takes it first, try again.
for _ in $(seq 20); do
  port=$((20000 + RANDOM % 20000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$dir" --logfile "$dir/redis.log" &
  pid=$!
  for _ in $(seq 50); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then break 2; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
done
if [ -z "$pid" ]; then
  echo "with-redis: could not start redis-server" >&2
  cat "$dir/redis.log" >&2 || true
  exit 1
fi
export TIM_REDIS_ADDR="127.0.0.1:$port"
echo "with-redis: $(redis-server --version | cut -d' ' -f1-3) on $TIM_REDIS_ADDR" >&2

if [ "$#" -gt 0 ]; then
  "$@"
else
  go vet ./...
  # The fleet tests time five processes at the fake. The race detector's
  # cost on a small machine adds jitter of its own to every call's transit,
  # so they run in a build without it; everything else runs with it.
  go test -race -count=1 ./...
  # The tests with wall-clock bounds (a burst at once, a wait ending near its
  # deadline, the fallback's pauses, the fleet's most calls in a sliding
  # second) skip themselves unless TIM_TIMING_TESTS=1: they run here, in a
  # build without the race detector, whose cost on a small machine is
  # jitter of its own.
  TIM_TIMING_TESTS=1 go test -count=1 -v ./... 2>&1 | grep -v -e '^time=' -e '^=== '
fi
