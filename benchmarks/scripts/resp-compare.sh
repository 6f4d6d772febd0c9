#!/usr/bin/env bash
# RESP (Redis protocol): the benchmark jar's RESP server (io.github.asyncore.benchmarks.resp.RespServer, one
# loop thread) against redis-server, both driven by redis-benchmark, in paired rounds. Each round starts
# both servers afresh on free loopback ports, pinned to CPU $SCPU (redis-benchmark to CPU $CCPU), the order
# alternating from round to round; each server gets an untimed warm-up (the JIT), then for each pipeline
# depth (-P 1 and -P 16, i.e. 1 and 16 requests in flight per connection, 50 connections) and each test
# (ping_mbulk, set, get) one redis-benchmark run of its own, so that the server's CPU time can be read
# around each: server µs/request = the server process's user + system time (all threads, /proc/PID/stat,
# CLK_TCK ticks) over the run / the run's requests.
#
# Usage: benchmarks/scripts/resp-compare.sh [JAR]     (JAR: benchmarks/target/asyncore-benchmarks.jar)
# Builds nothing: ./mvnw -q -B -o -pl core,benchmarks -am package -DskipTests first.
# Needs redis-server and redis-benchmark (Debian: apt-get install -y redis-server redis-tools; the package
# starts a service on 6379 that this script does not use: `service redis-server stop`).
# Env: ROUNDS (5), N1 (300000 requests per run at -P 1), N16 (4000000 at -P 16), WARM_N (200000 requests
# per test at -P 16 and a tenth of it at -P 1, untimed, after each start), TESTS ("ping_mbulk set get"),
# SCPU (0), CCPU (1), QUIET_MAX (20 s to wait for a quiet machine before each run), RESULTS
# (target/benchmarks/resp-<timestamp>). Only 127.0.0.1; every wait is bounded; every process started here is
# stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
LIB=$PWD/benchmarks/scripts/lib
# shellcheck source-path=SCRIPTDIR source=lib/server-control.sh
. "$LIB/server-control.sh"
JAR=${1:-$PWD/benchmarks/target/asyncore-benchmarks.jar}
[ -f "$JAR" ] || { echo "no $JAR (./mvnw -q -B -o -pl core,benchmarks -am package -DskipTests)" >&2; exit 1; }
for tool in redis-server redis-benchmark redis-cli; do
    command -v "$tool" >/dev/null || { echo "no $tool (apt-get install -y redis-server redis-tools)" >&2; exit 1; }
done
ROUNDS=${ROUNDS:-5} N1=${N1:-300000} N16=${N16:-4000000} WARM_N=${WARM_N:-200000}
TESTS=${TESTS:-"ping_mbulk set get"} SCPU=${SCPU:-0} CCPU=${CCPU:-1} QUIET_MAX=${QUIET_MAX:-20}
HZ=$(getconf CLK_TCK)
RESULTS=${RESULTS:-target/benchmarks/resp-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
RAW=$RESULTS/raw.txt
: >"$RAW"
trap kill_server EXIT

start_server() {  # NAME PORT LOG -> SRV_PID, once it answers PING (60 s at most)
    local name=$1 port=$2 log=$3 _
    case $name in
    redis) taskset -c "$SCPU" redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
        --daemonize no >"$log" 2>&1 & ;;
    asyncore) taskset -c "$SCPU" java -Xms512m -Xmx512m -Dloader.main=io.github.asyncore.benchmarks.resp.RespServer \
        -cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher "$port" >"$log" 2>&1 & ;;
    esac
    SRV_PID=$!
    for _ in $(seq 600); do
        [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && return 0
        kill -0 "$SRV_PID" 2>/dev/null || { echo "$name exited before answering:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    echo "$name did not answer PING within 60 s" >&2; exit 1
}

bench() {  # PORT TEST DEPTH REQUESTS -> BENCH_RPS (redis-benchmark's requests/s)
    local out
    out=$(timeout 300 taskset -c "$CCPU" redis-benchmark -h 127.0.0.1 -p "$1" -c 50 -n "$4" -t "$2" -P "$3" --csv)
    BENCH_RPS=$(awk -F'"' 'NR > 1 && $2 != "" {print $4; exit}' <<<"$out")
}

echo "RESP: ROUNDS=$ROUNDS N1=$N1 N16=$N16 tests: $TESTS; redis $(redis-server --version | awk '{print $3}');" \
    "results in $RESULTS"
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="asyncore redis"; else order="redis asyncore"; fi
    for server in $order; do
        port=$(free_port)
        start_server "$server" "$port" "$RESULTS/$server-r$round.log"
        for t in $TESTS; do  # untimed
            bench "$port" "$t" 16 "$WARM_N"
            bench "$port" "$t" 1 $((WARM_N / 10))
        done
        for depth in 1 16; do
            n=$N1; [ "$depth" = 16 ] && n=$N16
            for t in $TESTS; do
                wait_quiet
                c0=$(srv_ticks)
                bench "$port" "$t" "$depth" "$n"
                c1=$(srv_ticks)
                us=$(python3 -c "print(f'{($c1 - $c0) / $HZ * 1e6 / $n:.3f}')")
                echo "round=$round server=$server test=$t P=$depth n=$n rps=$BENCH_RPS cpu_ticks=$((c1 - c0))" \
                    "us_per_req=$us" | tee -a "$RAW"
            done
        done
        stop_server
    done
done

PYTHONPATH=$LIB python3 -B - "$RAW" <<'EOF_PY' | tee "$RESULTS/resp-compare.md"
import sys
from rows import med, num, read, rng
rows = read(sys.argv[1])
tests = list(dict.fromkeys(row["test"] for row in rows))
rounds = sorted(set(row["round"] for row in rows), key=int)
f2 = lambda v: f"{v:.2f}"
def pick(rnd, server, test, depth):
    found = [x for x in rows if x["round"] == rnd and x["server"] == server and x["test"] == test and x["P"] == depth]
    return found[0] if found else None
print("Per round: requests/s and server CPU µs/request (redis-server | asyncore)\n")
print("| round | test | P | redis req/s | asyncore req/s | redis µs/req | asyncore µs/req | req/s ratio | µs/req ratio |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
ratios = {}
for depth in ("1", "16"):
    for t in tests:
        for rnd in rounds:
            r, a = pick(rnd, "redis", t, depth), pick(rnd, "asyncore", t, depth)
            if not (r and a):
                continue
            rr, ar, ru, au = num(r, "rps"), num(a, "rps"), num(r, "us_per_req"), num(a, "us_per_req")
            q, c = ar / rr, (au / ru if ru > 0 else float("nan"))
            ratios.setdefault((t, depth), []).append((q, c))
            print(f"| {rnd} | {t} | {depth} | {rr / 1000:.0f}k | {ar / 1000:.0f}k | {ru:.3f} | {au:.3f} | {q:.2f} | {c:.2f} |")
print("\nPaired-round ratios, asyncore / redis-server of the same round: median [min-max]\n")
print("| test | P | req/s ratio | server µs/req ratio | target µs/req ≤ 1.0 |")
print("| --- | --- | --- | --- | --- |")
for (t, depth), v in ratios.items():
    q = [x[0] for x in v]
    c = [x[1] for x in v]
    print(f"| {t} | {depth} | {f2(med(q))} [{rng(q, f2)}] | {f2(med(c))} [{rng(c, f2)}] | "
          f"{'met' if med(c) <= 1.0 else 'not met'} |")
print("\nreq/s > 1: asyncore served more; µs/req < 1: asyncore spent less server CPU per request."
      " 50 connections; P = requests in flight per connection.")
EOF_PY
echo "raw rows and server logs in $RESULTS"
