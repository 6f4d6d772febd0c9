#!/usr/bin/env bash
# Two builds of the benchmark echo server against each other (before and after a change), interleaved:
# each round starts each jar pinned to CPU 0, warms it up for 3 s with the shared load generator on CPU 1,
# then measures 2 s + 5 s of scenario B (64 connections, 64-byte messages, 16 in flight), C (16
# connections, 16 KiB messages, 4 in flight) or L (B as lines) and prints messages/s and the server's CPU
# microseconds per message (/proc/PID/stat over the 7 s); D (1,000 connections, 64 bytes, 1 in flight) too.
# Only 127.0.0.1; bounded by ROUNDS. TLS echo
# before/after: BEFORE_JAR=OLD.jar BUILD=0 benchmarks/scripts/tls-compare.sh.
# Usage: benchmarks/scripts/ab-jars.sh OLD.jar NEW.jar [B|C|D|L]     (env: ROUNDS=3, BENCH_BUILD)
set -euo pipefail
OLD=$1 NEW=$2 SC=${3:-B}
ROUNDS=${ROUNDS:-3}
LG=${BENCH_BUILD:-${TMPDIR:-/tmp}/bench-build-$(id -u)}/loadgen
TCK=$(getconf CLK_TCK)
FLAGS=(-c 64 -s 64 -d 16) MODE=plain
[ "$SC" = L ] && FLAGS=(-l -c 64 -s 64 -d 16) MODE=line
[ "$SC" = C ] && FLAGS=(-c 16 -s 16384 -d 4)
[ "$SC" = D ] && FLAGS=(-c 1000 -s 64 -d 1) && ulimit -n 4096
for r in $(seq 1 "$ROUNDS"); do
    order="old new"; [ $((r % 2)) = 0 ] && order="new old"
    for v in $order; do
        jar=$OLD; [ "$v" = new ] && jar=$NEW
        PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
        taskset -c 0 java -Xms512m -Xmx512m -jar "$jar" "$PORT" --mode "$MODE" > /dev/null 2>&1 &
        P=$!
        for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
        taskset -c 1 "$LG" -h 127.0.0.1 -p "$PORT" "${FLAGS[@]}" -t 3 -w 1 > /dev/null
        c0=$(awk '{print $14+$15}' "/proc/$P/stat")
        out=$(taskset -c 1 "$LG" -h 127.0.0.1 -p "$PORT" "${FLAGS[@]}" -t 5 -w 2)
        c1=$(awk '{print $14+$15}' "/proc/$P/stat")
        kill "$P"; wait "$P" 2>/dev/null || true
        msgs=$(tr ' ' '\n' <<< "$out" | grep '^msgs_per_s=' | cut -d= -f2)
        python3 -c "print('round $r $v $SC: msgs/s', int(float('$msgs')), ' us/msg', round(($c1 - $c0) / $TCK * 1e6 / (float('$msgs') * 7), 3))"
    done
done
