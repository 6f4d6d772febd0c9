#!/usr/bin/env bash
# What idle connections cost the asyncore echo server (benchmarks/target/asyncore-benchmarks.jar, one
# loop thread pinned to CPU 0, the load generator on CPU 1, both on 127.0.0.1):
#   1. heap per idle connection: used heap after a full GC with N idle connections open, minus the same
#      without them, divided by N;
#   2. CPU while idle: the server's CPU time over IDLE_SECS with the N connections open;
#   3. scenario B (64 connections, 64-byte messages, 16 in flight) without and with the N idle
#      connections held open, interleaved ROUNDS times: messages/s and server CPU microseconds per message.
# Usage: benchmarks/idle-connections.sh            (env: N=10000 ROUNDS=3 DUR=5 WARM=2 IDLE_SECS=10)
# Needs the shared load generator (../shared/bench/build.sh builds it into $BENCH_BUILD), python3, jcmd,
# jstat and taskset. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-10000}
ROUNDS=${ROUNDS:-3}
DUR=${DUR:-5}
WARM=${WARM:-2}
IDLE_SECS=${IDLE_SECS:-10}
BENCH=${BENCH:-../shared/bench}
BENCH_BUILD=${BENCH_BUILD:-${TMPDIR:-/tmp}/bench-build-$(id -u)}
LOADGEN=$BENCH_BUILD/loadgen
JAR=benchmarks/target/asyncore-benchmarks.jar
[ -x "$LOADGEN" ] || bash "$BENCH/build.sh" >&2
[ -f "$JAR" ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
ulimit -n "$(ulimit -Hn)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

taskset -c 0 java -Xms512m -Xmx512m -jar "$JAR" "$PORT" > /tmp/idle-connections-server.log 2>&1 &
SERVER=$!
HOLDER=
cleanup() {
    [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null || true
    kill "$SERVER" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), timeout=1).close()" 2>/dev/null && break
    sleep 0.2
done

ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
heap_kib() {
    jcmd "$SERVER" GC.run > /dev/null
    jstat -gc "$SERVER" | tail -1 | awk '{printf "%d", $3 + $4 + $6 + $8}'
}
connections() { ss -Htn state established "( sport = :$PORT )" | wc -l; }
open_idle() {
    coproc IDLE { python3 benchmarks/scripts/hold-idle.py "$N" "$PORT"; }
    HOLDER=$IDLE_PID
    read -r line <&"${IDLE[0]}"
    [ "$line" = open ] || { echo "could not open $N connections" >&2; exit 1; }
    for _ in $(seq 1 300); do [ "$(connections)" -ge "$N" ] && break; sleep 0.1; done
}
close_idle() {
    exec {IDLE[1]}>&-
    wait "$HOLDER" 2>/dev/null || true
    HOLDER=
    for _ in $(seq 1 300); do [ "$(connections)" -lt 10 ] && break; sleep 0.1; done
}
run_b() {
    local before after out rate
    before=$(ticks)
    out=$(taskset -c 1 "$LOADGEN" -h 127.0.0.1 -p "$PORT" -c 64 -s 64 -d 16 -t "$DUR" -w "$WARM")
    after=$(ticks)
    rate=$(sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p' <<< "$out")
    # CPU over warm-up and measurement, messages over both at the measured rate
    awk -v r="$rate" -v t=$((after - before)) -v d="$DUR" -v w="$WARM" -v hz="$(getconf CLK_TCK)" \
        'BEGIN { printf "%d %.3f\n", r, (t / hz) * 1e6 / (r * (d + w)) }'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

base_heap=$(heap_kib)
open_idle
idle_heap=$(heap_kib)
t0=$(ticks)
sleep "$IDLE_SECS"
t1=$(ticks)
close_idle
echo "heap: $base_heap KiB empty, $idle_heap KiB with $N idle connections" >&2

run_b > /dev/null # warm-up: the JIT compiles the echo path first
declare -a plain_rate plain_us idle_rate idle_us
for round in $(seq 1 "$ROUNDS"); do
    read -r r u < <(run_b); plain_rate+=("$r"); plain_us+=("$u")
    open_idle
    read -r r u < <(run_b); idle_rate+=("$r"); idle_us+=("$u")
    close_idle
    echo "round $round: B ${plain_rate[-1]} msgs/s ${plain_us[-1]} us/msg; with $N idle ${idle_rate[-1]} msgs/s ${idle_us[-1]} us/msg" >&2
done

per_conn=$(awk -v a="$idle_heap" -v b="$base_heap" -v n="$N" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
idle_cpu=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')
pr=$(printf '%s\n' "${plain_rate[@]}" | median); pu=$(printf '%s\n' "${plain_us[@]}" | median)
ir=$(printf '%s\n' "${idle_rate[@]}" | median); iu=$(printf '%s\n' "${idle_us[@]}" | median)
echo
echo "| measure | value |"
echo "| --- | --- |"
echo "| heap per idle connection (after GC, $N connections) | $per_conn bytes |"
echo "| server CPU while $N connections idle for $IDLE_SECS s | $idle_cpu s |"
echo "| B without idle connections (median of $ROUNDS) | $pr msgs/s, $pu us/msg |"
echo "| B with $N idle connections (median of $ROUNDS) | $ir msgs/s, $iu us/msg |"
awk -v a="$iu" -v b="$pu" 'BEGIN { printf "| B us/msg ratio, with/without idle connections | %.2f |\n", a / b }'
