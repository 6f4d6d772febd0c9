#!/usr/bin/env bash
# A TLS handshake storm, and what it does to the plain echo on the same loop: each round starts each demo
# jar pinned to CPU 0 (one loop thread), runs `openssl s_time -new` (a full handshake per connection, no
# reuse) against its TLS echo for DUR seconds from CPU 1, while a probe sends a 64-byte message every 5 ms to
# its plain echo and times each round trip; then the same storm against the references, with the demo's
# development key (RSA 2048) on CPU 0: `openssl s_server`, and Netty's SslHandler on the JDK provider
# (NettyTlsEcho from the benchmarks jar, when NETTY_JAR names it). Prints per round and server: handshakes
# per second, the server's CPU per handshake (utime+stime of /proc/PID/stat over the storm, all threads),
# the probe's worst and 99th-percentile round trip, and the stalls the demo logged during the storm; for the
# demo also the loop thread's CPU per handshake (utime+stime of its /proc/PID/task entry: what the
# handshakes still cost the loop) and the longest GC pause during the storm (-Xlog:gc; a round trip
# cannot beat a stop-the-world pause).
# Usage: benchmarks/scripts/tls-storm.sh DEMO.jar [OTHER_DEMO.jar ...]   (an argument 'DEMO.jar --x=y ...' gives
# that run the demo options after the jar, e.g. 'demo.jar --asyncore.loop.handshake-threads=0')
# Env: ROUNDS (3), DUR (10 s), REUSE (0; 1 adds an `s_time -reuse` run: TLS session resumption),
# CONSCRYPT (0; 1 runs the last demo jar a second time with --asyncore.ssl.provider=conscrypt; all: every jar),
# NETTY_JAR (benchmarks/target/asyncore-benchmarks.jar to add Netty), RESULTS (a folder for storm.txt, the
# lines printed, and tls-storm.md, their summary: medians and per-round ratios against s_server and Netty).
# Only 127.0.0.1; every wait is bounded.
set -euo pipefail
cd "$(dirname "$0")/../.."
LIB=$PWD/benchmarks/scripts/lib
# shellcheck source-path=SCRIPTDIR source=lib/server-control.sh
. "$LIB/server-control.sh" # free_port
JARS=("$@")
ROUNDS=${ROUNDS:-3} DUR=${DUR:-10} REUSE=${REUSE:-0}
TCK=$(getconf CLK_TCK)
CERT=demo-service/src/main/resources/dev-tls/dev-tls.crt KEY=demo-service/src/main/resources/dev-tls/dev-tls.key
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
RESULTS=${RESULTS:-$OUT}
mkdir -p "$RESULTS"
wait_port() { for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
probe() { # probe PORT SECONDS -> "max_ms p99_ms"
    python3 - "$1" "$2" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(5)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
msg = b"x" * 63 + b"\n"; rtts = []; end = time.time() + float(sys.argv[2])
while time.time() < end:
    t = time.perf_counter(); s.sendall(msg); got = b""
    while len(got) < len(msg):
        got += s.recv(64 - len(got))
    rtts.append((time.perf_counter() - t) * 1000); time.sleep(0.005)
rtts.sort(); print(f"{rtts[-1]:.1f} {rtts[int(len(rtts) * 0.99) - 1]:.1f}")
PY
}
loop_cpu() { # loop_cpu PID -> CPU ticks of the demo's loop thread (asyncore-0) so far, or -
    local t
    for t in /proc/"$1"/task/*; do
        [ "$(cat "$t/comm" 2>/dev/null)" = asyncore-0 ] && { awk '{print $14+$15}' "$t/stat"; return; }
    done
    echo -
}
gc_max() { # gc_max LOG FROM_LINE -> the longest GC pause (ms) logged after that line, or -
    [ -f "$1" ] || { echo -; return; }
    tail -n +"$(($2 + 1))" "$1" | grep -o 'Pause.* \([0-9.]*\)ms$' | grep -o '[0-9.]*ms$' | tr -d ms | sort -n | tail -1 | grep . || echo 0
}
storm() { # storm NAME PID TLSPORT [PLAINPORT]
    local name=$1 pid=$2 tls=$3 plain=${4:-} mode
    for mode in new $([ "$REUSE" = 1 ] && echo reuse); do
        taskset -c 1 openssl s_time -connect "127.0.0.1:$tls" -new -time 2 > /dev/null 2>&1 || true  # warm-up
        local c0 b0 g0 p="" out; c0=$(cpu "$pid") b0=$(loop_cpu "$pid") g0=$(wc -l < "$OUT/gc.log" 2>/dev/null || echo 0)
        [ -n "$plain" ] && { probe "$plain" $((DUR + 1)) > "$OUT/probe" & p=$!; }
        out=$(taskset -c 1 openssl s_time -connect "127.0.0.1:$tls" "-$mode" -time "$DUR" 2>&1 || true)
        local c1 b1 gc="-"; c1=$(cpu "$pid") b1=$(loop_cpu "$pid")
        [ -n "$plain" ] && gc=$(gc_max "$OUT/gc.log" "$g0")
        [ -n "$p" ] && wait "$p"
        local conns secs # s_time's own count and whole seconds (it finishes the connection under way at the end)
        read -r conns secs < <(grep -o '^[0-9]* connections in [0-9.]* real seconds' <<< "$out" | head -1 | awk '{print $1, $4}')
        local rtt="- -"; [ -n "$plain" ] && rtt=$(cat "$OUT/probe")
        python3 -c "
c=int('${conns:-0}'); b0, b1 = '$b0', '$b1'
loop = round((float(b1) - float(b0)) / $TCK * 1e6 / max(c, 1)) if '-' not in (b0, b1) else '-'
print('round $r $name $mode: handshakes/s', round(c / max(float('${secs:-0}' or 0), $DUR)), ' cpu_us/handshake', round(($c1-$c0)/$TCK*1e6/max(c,1)),
      ' loop_us/handshake', loop, ' probe_max_ms', '${rtt% *}', ' probe_p99_ms', '${rtt#* }', ' gc_max_ms', '$gc')"
    done
}
CONSCRYPT=${CONSCRYPT:-0} NETTY_JAR=${NETTY_JAR:-}
RUNS=()
i=0
for jar in "${JARS[@]}"; do
    i=$((i + 1)) extra=""
    [[ $jar == *' '* ]] && extra=${jar#* }
    RUNS+=("demo$i|${jar%% *}|$extra")
done
[ "$CONSCRYPT" = 1 ] && RUNS+=("demo$i-conscrypt|${JARS[-1]%% *}|--asyncore.ssl.provider=conscrypt")
if [ "$CONSCRYPT" = all ]; then
    i=0
    for jar in "${JARS[@]}"; do i=$((i + 1)); RUNS+=("demo$i-conscrypt|${jar%% *}|--asyncore.ssl.provider=conscrypt"); done
fi
if [ -n "$NETTY_JAR" ]; then
    openssl pkcs12 -export -in "$CERT" -inkey "$KEY" -out "$OUT/dev-tls.p12" -passout pass:changeit
fi
{
for r in $(seq 1 "$ROUNDS"); do
    for run in "${RUNS[@]}"; do
        IFS='|' read -r name jar extra <<< "$run"
        E=$(free_port) T=$(free_port) M=$(free_port) H=$(free_port) C=$(free_port) U=$(free_port)
        rm -f "$OUT/gc.log"
        # shellcheck disable=SC2086 # $extra: the run's demo options, split into words on purpose
        taskset -c 0 java -Xms256m -Xmx256m -Xlog:gc:file="$OUT/gc.log" -jar "$jar" --server.address=127.0.0.1 --server.port="$H" \
            --management.server.port="$M" --management.server.address=127.0.0.1 --asyncore.loop.threads=1 \
            --asyncore.dispatchers.echoServer.address=127.0.0.1:"$E" --asyncore.dispatchers.chatServer.address=127.0.0.1:"$C" \
            --asyncore.dispatchers.udpEchoServer.address=127.0.0.1:"$U" --asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:"$T" \
            $extra > "$OUT/demo.log" 2>&1 &
        P=$!
        wait_port "$T" && wait_port "$E"
        storm "$name" "$P" "$T" "$E"
        kill "$P"; wait "$P" 2>/dev/null || true
        echo "round $r $name: stalls logged $(grep -c 'over the stall threshold' "$OUT/demo.log" || true)"
    done
    if [ -n "$NETTY_JAR" ]; then
        N=$(free_port)
        taskset -c 0 java -Xms256m -Xmx256m -Dloader.main=io.github.asyncore.benchmarks.NettyTlsEcho -cp "$NETTY_JAR" \
            org.springframework.boot.loader.launch.PropertiesLauncher "$N" --keystore "$OUT/dev-tls.p12" \
            --storepass changeit > /dev/null 2>&1 &
        P=$!
        wait_port "$N"
        storm netty "$P" "$N"
        kill "$P"; wait "$P" 2>/dev/null || true
    fi
    S=$(free_port)
    taskset -c 0 openssl s_server -accept "127.0.0.1:$S" -cert "$CERT" -key "$KEY" -quiet -naccept 1000000 > /dev/null 2>&1 &
    P=$!
    wait_port "$S"
    storm s_server "$P" "$S"
    kill "$P"; wait "$P" 2>/dev/null || true
done
} | tee "$RESULTS/storm.txt"
PYTHONPATH=benchmarks/scripts/lib python3 -B benchmarks/scripts/lib/storm-summary.py "$RESULTS/storm.txt" \
    | tee "$RESULTS/tls-storm.md"
