#!/usr/bin/env bash
# TLS echo: the asyncore core echo with TLS (EchoServers --tls) against Netty's SslHandler with the JDK
# provider (NettyTlsEcho), interleaved rounds, one table of medians. The shared harness's C load generator
# has no TLS, so the load comes from TlsLoadGenerator (JDK SSLSocket, one thread per connection, every
# echoed byte verified); everything else follows the harness: server pinned to CPU $SCPU, load generator
# to CPU $CCPU, -Xms512m -Xmx512m, each server restarted every round, the order alternating.
#
# Scenarios (one in flight per connection; handshakes happen once per connection, before the warm-up):
#   T1  64 connections x 64 B       T2  16 connections x 16 KiB
# Server µs/msg = the server's user + system CPU time (all threads, /proc/PID/stat, read by the load
# generator at the measured window's start and end, CLK_TCK ticks) / messages echoed in the window.
#
# Usage: benchmarks/scripts/tls-compare.sh
# Env: ROUNDS (3), DUR (5 s measured), WARM (2 s warm-up per run), PREWARM (2 s untimed per scenario after
# each server start, for the JIT), SCENARIOS ("T1 T2"), SCPU (0), CCPU (1), PROTOCOL (TLSv1.3), CIPHER
# (TLS_AES_128_GCM_SHA256: the client offers only this suite, so both servers negotiate the same one; "any"
# for the JDK client's defaults), BASE_PORT (27300), RESULTS (target/benchmarks/tls-<timestamp>),
# BUILD (1: build the jar first; 0: use benchmarks/target/asyncore-benchmarks.jar as it is), BEFORE_JAR
# (another build's asyncore-benchmarks.jar: its asyncore TLS echo replaces Netty as the reference, for
# before/after figures of a change).
# The key store is a throwaway PKCS12 (EC P-256, CN=localhost, SAN IP 127.0.0.1) made with keytool in a
# temporary folder and deleted at the end. Only 127.0.0.1; every wait is bounded; every process started
# here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
LIB=$PWD/benchmarks/scripts/lib
# shellcheck source-path=SCRIPTDIR source=lib/server-control.sh
. "$LIB/server-control.sh"
ROUNDS=${ROUNDS:-3} DUR=${DUR:-5} WARM=${WARM:-2} PREWARM=${PREWARM:-2}
SCENARIOS=${SCENARIOS:-"T1 T2"} SCPU=${SCPU:-0} CCPU=${CCPU:-1}
PROTOCOL=${PROTOCOL:-TLSv1.3} CIPHER=${CIPHER:-TLS_AES_128_GCM_SHA256}
PORT=${BASE_PORT:-27300}
HEAP=(-Xms512m -Xmx512m)
HZ=$(getconf CLK_TCK)
RESULTS=${RESULTS:-target/benchmarks/tls-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
RAW=$RESULTS/raw.txt
: >"$RAW"

[ "${BUILD:-1}" = 0 ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
JAR=$PWD/benchmarks/target/asyncore-benchmarks.jar
[ -f "$JAR" ] || { echo "no $JAR (build it, or BUILD=1)" >&2; exit 1; }
LAUNCH=(-cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher)  # after -Dloader.main=...
PKG=io.github.asyncore.benchmarks
REF=netty
if [ -n "${BEFORE_JAR:-}" ]; then
    REF=before
    [ -f "$BEFORE_JAR" ] || { echo "no $BEFORE_JAR" >&2; exit 1; }
fi

KEYS=$(mktemp -d)
cleanup() {
    kill_server
    rm -rf "$KEYS"
}
trap cleanup EXIT
STORE=$KEYS/server.p12 PASS=bench-$RANDOM$RANDOM
keytool -genkeypair -alias server -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
    -dname CN=localhost -ext san=ip:127.0.0.1,dns:localhost -validity 2 \
    -storetype PKCS12 -keystore "$STORE" -storepass "$PASS" -keypass "$PASS" 2>/dev/null
TLS_ARGS=(--keystore "$STORE" --storepass "$PASS")

scen() {  # NAME -> SC (load generator arguments)
    case $1 in
    T1) SC=(-c 64 -s 64) ;;
    T2) SC=(-c 16 -s 16384) ;;
    *) echo "unknown scenario $1 (T1 T2)" >&2; exit 2 ;;
    esac
}
for s in $SCENARIOS; do scen "$s"; done

start_server() {  # NAME PORT LOG -> SRV_PID, once the server says it listens (60 s at most)
    case $1 in
    asyncore) launch_server "$@" java "${HEAP[@]}" -jar "$JAR" "$2" --tls "${TLS_ARGS[@]}" ;;
    netty) launch_server "$@" java "${HEAP[@]}" "-Dloader.main=$PKG.NettyTlsEcho" "${LAUNCH[@]}" "$2" "${TLS_ARGS[@]}" ;;
    before) launch_server "$@" java "${HEAP[@]}" -jar "$BEFORE_JAR" "$2" --tls "${TLS_ARGS[@]}" ;;
    esac
}

loadgen() {  # PORT WARM DUR SCEN... -> LG_LINE (the load generator's key=value line), LG_RC (its exit status)
    local port=$1 warm=$2 dur=$3
    shift 3
    LG_RC=0
    timeout $((${dur%.*} + ${warm%.*} + 120)) taskset -c "$CCPU" java "${HEAP[@]}" \
        "-Dloader.main=$PKG.TlsLoadGenerator" "${LAUNCH[@]}" -p "$port" "${TLS_ARGS[@]}" "$@" \
        -w "$warm" -t "$dur" --server-pid "$SRV_PID" --clk-tck "$HZ" --protocol "$PROTOCOL" --cipher "$CIPHER" \
        >"$KEYS/loadgen.out" 2>>"$RESULTS/loadgen.err" || LG_RC=$?
    LG_LINE=$(tail -n 1 "$KEYS/loadgen.out")
}

echo "TLS echo: ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM PREWARM=$PREWARM scenarios: $SCENARIOS; $PROTOCOL $CIPHER;" \
    "results in $RESULTS"
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="asyncore $REF"; else order="$REF asyncore"; fi
    for server in $order; do
        PORT=$((PORT + 1))
        start_server "$server" "$PORT" "$RESULTS/$server-r$round.log"
        for s in $SCENARIOS; do  # untimed: the JIT of both server and load generator
            [ "$PREWARM" = 0 ] && break
            scen "$s"; loadgen "$PORT" 0 "$PREWARM" "${SC[@]}"
        done
        for s in $SCENARIOS; do
            scen "$s"
            loadgen "$PORT" "$WARM" "$DUR" "${SC[@]}"
            echo "round=$round server=$server scen=$s rc=$LG_RC $LG_LINE" | tee -a "$RAW"
        done
        stop_server
    done
done

PYTHONPATH=$LIB python3 -B - "$RAW" "$DUR" "$REF" <<'EOF' | tee "$RESULTS/tls-compare.md"
import sys
from rows import med, num, read, rng
rows = read(sys.argv[1])
k = lambda v: f"{v / 1000:.1f}k"
i = lambda v: f"{v:.0f}"
u = lambda v: f"{v:.2f}"
r = lambda v: f"{v:.2f}"
scens = list(dict.fromkeys(row["scen"] for row in rows))
suites = sorted(set(f"{row.get('protocol', '?')} {row.get('cipher', '?')}" for row in rows))
print(f"TLS echo, negotiated {', '.join(suites)}; median of "
      f"{len(set(row['round'] for row in rows))} interleaved rounds (min-max over rounds)\n")
print("| scen | server | msgs/s | p99 µs | server µs/msg | server cores | errors + mismatches | max foreign cores |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for s in scens:
    for server in (sys.argv[3], "asyncore"):
        rs = [row for row in rows if row["scen"] == s and row["server"] == server]
        if not rs:
            continue
        m = [num(x, "msgs_per_s") for x in rs]
        p = [num(x, "p99_us") for x in rs]
        c = [num(x, "server_us_per_msg") for x in rs]
        load = [num(x, "server_cpu_s") / float(sys.argv[2]) for x in rs]
        # errors and mismatches reported, plus one for every run that printed no result line
        bad = sum(int(x["errors"]) + int(x["mismatches"]) if "errors" in x else 1 for x in rs)
        fo = max((v for v in (num(x, "foreign_cores") for x in rs) if v == v), default=float("nan"))
        name = {"asyncore": "**asyncore**", "netty": "Netty SslHandler (JDK)", "before": "asyncore before"}[server]
        print(f"| {s} | {name} | {k(med(m))} ({rng(m, k)}) | {i(med(p))} ({rng(p, i)}) | "
              f"{u(med(c))} ({rng(c, u)}) | {med(load):.2f} | {bad} | {fo:.2f} |")
print()
print("| scen | msgs/s ratio | p99 ratio | µs/msg ratio |")
print("| --- | --- | --- | --- |")
for s in scens:
    ratios = {"msgs_per_s": [], "p99_us": [], "server_us_per_msg": []}
    for rnd in sorted(set(row["round"] for row in rows), key=int):
        a = [x for x in rows if x["scen"] == s and x["round"] == rnd and x["server"] == "asyncore"]
        n = [x for x in rows if x["scen"] == s and x["round"] == rnd and x["server"] == sys.argv[3]]
        if a and n:
            for key in ratios:
                if num(n[0], key) > 0:
                    ratios[key].append(num(a[0], key) / num(n[0], key))
    cells = [f"{r(med(v))} [{rng(v, r)}]" for v in ratios.values()]
    print(f"| {s} | " + " | ".join(cells) + " |")
print(f"\nratios asyncore / {'Netty' if sys.argv[3] == 'netty' else 'asyncore before'}, per round then median [range over rounds]: msgs/s > 1 = asyncore faster;"
      " p99 and µs/msg < 1 = asyncore lower. server cores = server CPU time / window (1.00 = its core saturated;"
      " below it the load generator's core is the limit)")
EOF
echo "raw rows and server logs in $RESULTS"
