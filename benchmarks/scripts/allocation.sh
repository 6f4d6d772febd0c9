#!/usr/bin/env bash
# Bytes the asyncore loop thread allocates per echoed message over millions of messages: starts the core
# echo server (benchmarks/target/asyncore-benchmarks.jar, plain then line mode, one loop thread pinned to
# CPU 0), drives it with the shared load generator (scenario B, or L for lines: 64 connections, 64-byte
# messages, 16 in flight, SECS seconds, on CPU 1, 127.0.0.1 only), stops it with SIGTERM and prints the
# server's own report: the loop thread's allocated bytes (ThreadMXBean) over the 64-byte messages it echoed,
# start-up and warm-up included.
# Usage: benchmarks/scripts/allocation.sh   (env: SECS=10, BENCH=../shared/bench, BENCH_BUILD)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${SECS:-10}
BENCH=${BENCH:-../shared/bench}
BENCH_BUILD=${BENCH_BUILD:-${TMPDIR:-/tmp}/bench-build-$(id -u)}
[ -x "$BENCH_BUILD/loadgen" ] || bash "$BENCH/build.sh" >&2
[ -f benchmarks/target/asyncore-benchmarks.jar ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
for mode in plain line; do
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    LOG=$(mktemp)
    taskset -c 0 java -Xms512m -Xmx512m -jar benchmarks/target/asyncore-benchmarks.jar "$PORT" --mode "$mode" > "$LOG" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
        sleep 0.2
    done
    FLAGS=()
    [ "$mode" = line ] && FLAGS=(-l)
    taskset -c 1 "$BENCH_BUILD/loadgen" -h 127.0.0.1 -p "$PORT" "${FLAGS[@]}" -c 64 -s 64 -d 16 -t "$SECS" -w 2 \
        | tr ' ' '\n' | grep -E '^(msgs_per_s|errors|mismatches)=' | tr '\n' ' '
    echo
    kill -TERM "$SERVER"
    wait "$SERVER" || true
    echo "$mode: $(grep 'bytes per message' "$LOG")"
    rm -f "$LOG"
done
