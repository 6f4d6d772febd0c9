#!/usr/bin/env bash
# The demo's line chat across two instances through Redis pub/sub (demo.chat.relay=redis, issue 17), against
# one instance alone (relay=local) as the reference, in interleaved rounds. Each round starts, in an order
# that alternates from round to round:
#   single  one demo jar, relay=local: senders and readers chat on the same instance
#   two     redis-server and two demo jars A and B, relay=redis: senders chat on A, readers on B, so every line
#           a reader hears crossed the relay (A's publisher thread, Redis, B's subscription thread)
# and runs the load generator (ChatRelayLoadGenerator in the benchmarks jar) twice on it:
#   throughput  $SENDERS senders each send 64-byte lines with at most $WINDOW of their lines not yet heard by
#               every reader (a closed loop: the rate is what the path sustains, and no queue grows, so the
#               relay's 10,000-line publisher queue never fills and drops nothing), for WARM then DUR seconds;
#               $READERS readers count the lines they hear: lines/s per reader (for `two`: lines across the
#               relay per second) and deliveries/s (all readers)
#   latency     one sender, one reader: one line every $INTERVAL_US µs, $WARM_COUNT unrecorded then $COUNT
#               recorded; each sample = the reader's receive time - the send time written in the line (one
#               process, System.nanoTime): p50, p99, max per run. The relay's added latency = two's figure
#               minus single's of the same round, and their ratio.
# Every process of the servers' side (demo jars, redis-server) is pinned to CPU $SCPU, the load generator to
# CPU $CCPU: two instances and Redis share the one core that one instance has alone, so lines/s compare the
# same CPU budget, and the CPU columns say where it goes (user + system time of each process over the
# measured part, /proc/PID/stat; and per thread group of each demo over the whole throughput run). Each JVM
# pinned to one CPU sees one processor: SerialGC, and pools sized for one CPU.
# The relay's own counters (demo.chat.relay.published|received|dropped on the management port) are read
# around each measured run: dropped must stay 0, and missing (lines a reader never heard) too.
#
# Usage: benchmarks/scripts/chat-relay.sh
# Needs redis-server and redis-cli (Debian: apt-get install -y redis-server redis-tools) and curl.
# Env: ROUNDS (3), DUR (5 s measured), WARM (2 s warm-up per throughput run), PREWARM (15 s untimed load after
# each start, for the JIT), SENDERS (4), READERS (4), WINDOW (64 lines per sender), INTERVAL_US (2000),
# COUNT (5000), WARM_COUNT (3000: 6 s, for the JIT to settle on the one-line path), SCPU (0), CCPU (1),
# MAX_FOREIGN (0.10: a run during which other work used more than this many cores is repeated), TRIES (2 per
# run), QUIET_MAX (30 s to wait for a quiet machine before each run), BUILD (1: ./mvnw package first; 0: use
# the jars as they are), DEMO_JAR (another demo build to measure, e.g. one made in a worktree at an earlier
# commit), RESULTS (target/benchmarks/chat-relay-<timestamp>: raw.txt, the servers' logs, chat-relay.md).
# Only 127.0.0.1 (free ports, never the demo's defaults); every wait is bounded; every process started here
# is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
LIB=$PWD/benchmarks/scripts/lib
# shellcheck source-path=SCRIPTDIR source=lib/server-control.sh
. "$LIB/server-control.sh" # free_port, wait_quiet (SRV_PID: the instance the senders use, idle meanwhile)
ROUNDS=${ROUNDS:-3} DUR=${DUR:-5} WARM=${WARM:-2} PREWARM=${PREWARM:-15}
SENDERS=${SENDERS:-4} READERS=${READERS:-4} WINDOW=${WINDOW:-64}
INTERVAL_US=${INTERVAL_US:-2000} COUNT=${COUNT:-5000} WARM_COUNT=${WARM_COUNT:-3000}
SCPU=${SCPU:-0} CCPU=${CCPU:-1} MAX_FOREIGN=${MAX_FOREIGN:-0.10} TRIES=${TRIES:-2} QUIET_MAX=${QUIET_MAX:-30}
HZ=$(getconf CLK_TCK)
HEAP=(-Xms256m -Xmx256m)
for tool in redis-server redis-cli curl; do
    command -v "$tool" >/dev/null || { echo "no $tool (apt-get install -y redis-server redis-tools curl)" >&2; exit 1; }
done
[ "${BUILD:-1}" = 0 ] || ./mvnw -q -B -pl benchmarks,demo-service -am package -DskipTests
JAR=$PWD/benchmarks/target/asyncore-benchmarks.jar DEMO_JAR=${DEMO_JAR:-$PWD/demo-service/target/asyncore-demo-service.jar}
for jar in "$JAR" "$DEMO_JAR"; do [ -f "$jar" ] || { echo "no $jar (BUILD=1)" >&2; exit 1; }; done
RESULTS=${RESULTS:-target/benchmarks/chat-relay-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
RAW=$RESULTS/raw.txt
: >"$RAW"
TMP=$(mktemp -d)
PIDS=() # every process of the topology under way

cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

stop_all() { # SIGTERM to each, SIGKILL after 20 s
    local pid _
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}

start_redis() { # PORT LOG -> REDIS_PID, once it answers PING (30 s at most)
    local _
    taskset -c "$SCPU" redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "$TMP" \
        --daemonize no >"$2" 2>&1 &
    REDIS_PID=$!
    PIDS+=("$REDIS_PID")
    for _ in $(seq 300); do
        [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ] && return 0
        kill -0 "$REDIS_PID" 2>/dev/null || { echo "redis-server exited:" >&2; cat "$2" >&2; exit 1; }
        sleep 0.1
    done
    echo "redis-server did not answer PING within 30 s" >&2; exit 1
}

start_demo() { # LOG RELAY [REDIS_PORT] -> DEMO_PID, DEMO_CHAT, DEMO_MGMT: once the chat listens and health is UP
    local log=$1 relay=$2 redis_port=${3:-} _ redis_args=()
    DEMO_CHAT=$(free_port) DEMO_MGMT=$(free_port)
    [ -n "$redis_port" ] && redis_args=(--spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$redis_port")
    taskset -c "$SCPU" java "${HEAP[@]}" -jar "$DEMO_JAR" --spring.main.banner-mode=off \
        --server.address=127.0.0.1 --server.port="$(free_port)" \
        --management.server.address=127.0.0.1 --management.server.port="$DEMO_MGMT" \
        --asyncore.dispatchers.chatServer.address=127.0.0.1:"$DEMO_CHAT" \
        --asyncore.dispatchers.echoServer.address=127.0.0.1:"$(free_port)" \
        --asyncore.dispatchers.udpEchoServer.address=127.0.0.1:"$(free_port)" \
        --asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:"$(free_port)" \
        --demo.chat.max-lines-per-second=1000000 --demo.chat.burst=1000000 --demo.chat.relay="$relay" \
        "${redis_args[@]}" >"$log" 2>&1 &
    DEMO_PID=$!
    PIDS+=("$DEMO_PID")
    for _ in $(seq 900); do
        if grep -q "listening on 127.0.0.1:$DEMO_CHAT" "$log" 2>/dev/null \
            && curl -fsS -m 2 "http://127.0.0.1:$DEMO_MGMT/actuator/health" >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$DEMO_PID" 2>/dev/null || { echo "demo exited before serving:" >&2; tail -40 "$log" >&2; exit 1; }
        sleep 0.1
    done
    echo "demo did not serve within 90 s ($log)" >&2; exit 1
}

metric() { # MGMT_PORT NAME -> the meter's value (integer), or - when absent
    curl -fsS -m 5 "http://127.0.0.1:$1/actuator/metrics/$2" 2>/dev/null \
        | python3 -c 'import json, sys; print(int(json.load(sys.stdin)["measurements"][0]["value"]))' 2>/dev/null \
        || echo -
}

thread_ticks() { # NAME PID -> "NAME_loop=T NAME_lettuce=T ...": user + system ticks of the process's threads by group
    local t
    for t in /proc/"$2"/task/*; do
        printf '%s\t%s\n' "$(cat "$t/comm" 2>/dev/null)" "$(awk '{print $14 + $15}' "$t/stat" 2>/dev/null)"
    done | awk -F'\t' -v n="$1" '$2 != "" {
        g = "other"
        if ($1 ~ /^asyncore-/) g = "loop"; else if ($1 ~ /^lettuce-/) g = "lettuce"
        else if ($1 ~ /^chat-relay-[0-9]/) g = "publisher"; else if ($1 ~ /Compiler/) g = "jit"
        else if ($1 ~ /^(VM Thread|GC )/) g = "gc"
        t[g] += $2
    } END {for (g in t) printf "%s_%s=%d ", n, g, t[g]}'
}

server_ticks() { # -> thread_ticks of A, and of B for `two`
    thread_ticks a "$PID_A"
    [ "$topo" = two ] && thread_ticks b "$PID_B"
    return 0
}

relay_counts() { # -> "published=A dropped=A received=B" for `two`, empty for `single`
    [ "$topo" = two ] || return 0
    echo "published=$(metric "$MGMT_A" demo.chat.relay.published) dropped=$(metric "$MGMT_A" demo.chat.relay.dropped)" \
        "received=$(metric "$MGMT_B" demo.chat.relay.received)"
}

loadgen() { # MODE EXTRA_ARGS... -> LG_LINE (the load generator's key=value line), LG_RC (its exit status)
    local mode=$1
    shift
    LG_RC=0
    timeout 300 taskset -c "$CCPU" java -Xms512m -Xmx512m -Dloader.main=io.github.asyncore.benchmarks.ChatRelayLoadGenerator \
        -cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher --mode "$mode" \
        --send-port "$SEND_PORT" --read-port "$READ_PORT" --clk-tck "$HZ" "${PID_ARGS[@]}" "$@" \
        >"$TMP/loadgen.out" 2>>"$RESULTS/loadgen.err" || LG_RC=$?
    LG_LINE=$(grep '^chat_relay_loadgen' "$TMP/loadgen.out" | tail -n 1 || true)
    [ -n "$LG_LINE" ] || LG_LINE="errors=1 note=no_result"
}

throughput() { loadgen throughput --senders "$SENDERS" --readers "$READERS" -W "$WINDOW" "$@"; }
latency() { loadgen latency --senders 1 --readers 1 --interval-us "$INTERVAL_US" "$@"; }

measure() { # KIND (throughput|latency): one kept run, repeated while other work disturbed it
    local kind=$1 attempt keep foreign before threads
    for attempt in $(seq "$TRIES"); do
        wait_quiet
        before=$(relay_counts) threads=$(server_ticks)
        if [ "$kind" = throughput ]; then
            throughput -w "$WARM" -t "$DUR"
        else
            latency --warm-count "$WARM_COUNT" --count "$COUNT"
        fi
        foreign=$(sed -n 's/.* foreign_cores=\([-0-9.]*\).*/\1/p' <<<"$LG_LINE")
        keep=1
        if [ "$attempt" -lt "$TRIES" ] && awk -v f="${foreign:-0}" -v m="$MAX_FOREIGN" 'BEGIN {exit !(f > m)}'; then
            keep=0
        fi
        echo "round=$round topo=$topo kind=$kind attempt=$attempt keep=$keep rc=$LG_RC" \
            "load1=$(cut -d' ' -f1 /proc/loadavg) $(delta relay_ "$before" "$(relay_counts)")" \
            "$(delta thr_ "$threads" "$(server_ticks)") $LG_LINE" | tee -a "$RAW"
        [ "$keep" = 1 ] && break
    done
}

delta() { # PREFIX BEFORE AFTER ("k=v ..." each) -> "PREFIXk=after-before ..."
    python3 -c '
import sys
b = dict(w.split("=") for w in sys.argv[2].split())
a = dict(w.split("=") for w in sys.argv[3].split())
d = lambda k: str(int(a[k]) - int(b[k])) if a[k] != "-" and b.get(k, "-") != "-" else "-"
print(" ".join(sys.argv[1] + k + "=" + d(k) for k in a))
' "$1" "$2" "$3"
}

start_topology() { # single | two -> SEND_PORT, READ_PORT, PID_ARGS; SRV_PID (for wait_quiet)
    local log=$RESULTS/$1-r$round
    if [ "$1" = single ]; then
        start_demo "$log-a.log" local
        SEND_PORT=$DEMO_CHAT READ_PORT=$DEMO_CHAT
        PID_ARGS=(--pid "a=$DEMO_PID")
        SRV_PID=$DEMO_PID PID_A=$DEMO_PID
    else
        local redis_port
        redis_port=$(free_port)
        start_redis "$redis_port" "$log-redis.log"
        start_demo "$log-a.log" redis "$redis_port"
        local pid_a=$DEMO_PID
        SEND_PORT=$DEMO_CHAT MGMT_A=$DEMO_MGMT
        start_demo "$log-b.log" redis "$redis_port"
        READ_PORT=$DEMO_CHAT MGMT_B=$DEMO_MGMT
        PID_ARGS=(--pid "a=$pid_a" --pid "b=$DEMO_PID" --pid "redis=$REDIS_PID")
        SRV_PID=$pid_a PID_A=$pid_a PID_B=$DEMO_PID
    fi
}

echo "chat relay: ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM SENDERS=$SENDERS READERS=$READERS WINDOW=$WINDOW" \
    "INTERVAL_US=$INTERVAL_US COUNT=$COUNT; servers on CPU $SCPU, load on CPU $CCPU; load average now" \
    "$(cut -d' ' -f1-3 /proc/loadavg); results in $RESULTS"
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then order="single two"; else order="two single"; fi
    for topo in $order; do
        start_topology "$topo"
        if [ "$PREWARM" != 0 ]; then # untimed: the JIT of the servers and of the load generator
            throughput -w 0 -t "$PREWARM"
            [ "$LG_RC" = 0 ] || echo "   (prewarm of $topo: rc=$LG_RC $LG_LINE)" >&2
            latency --warm-count 0 --count 500
        fi
        measure throughput
        measure latency
        stop_all
        SRV_PID=
    done
done

PYTHONPATH=$LIB python3 -B - "$RAW" "$MAX_FOREIGN" <<'EOF' | tee "$RESULTS/chat-relay.md"
import sys
from rows import med, num, read, rng
rows = read(sys.argv[1])
kept = [r for r in rows if r.get("keep") == "1"]
max_foreign = float(sys.argv[2])
rounds = sorted(set(r["round"] for r in kept), key=int)
names = {"single": "one instance (relay=local)", "two": "A → Redis → B (relay=redis)"}
k = lambda v: f"{v / 1000:.1f}k"
i0 = lambda v: f"{v:.0f}"
f2 = lambda v: f"{v:.2f}"
f3 = lambda v: f"{v:.3f}"
def pick(rnd, topo, kind):
    found = [r for r in kept if r["round"] == rnd and r["topo"] == topo and r["kind"] == kind]
    return found[0] if found else None
def col(topo, kind, key):
    return [num(r, key) for r in kept if r["topo"] == topo and r["kind"] == kind]
def cell(topo, kind, key, fmt):
    v = col(topo, kind, key)
    return f"{fmt(med(v))} [{rng(v, fmt)}]" if any(x == x for x in v) else "-"
def total(topo, kind, key):
    v = [num(r, key) for r in kept if r["topo"] == topo and r["kind"] == kind]
    v = [x for x in v if x == x]
    return f"{sum(v):.0f}" if v else "-"
def bad(topo, kind):
    rs = [r for r in kept if r["topo"] == topo and r["kind"] == kind]
    return sum(int(num(r, "errors") == num(r, "errors") and num(r, "errors") > 0) + (r.get("rc") != "0") for r in rs)
def dirty(topo, kind):
    rs = [r for r in kept if r["topo"] == topo and r["kind"] == kind]
    fo = max((v for v in (num(r, "foreign_cores") for r in rs) if v == v), default=float("nan"))
    n = sum(1 for r in rs if num(r, "foreign_cores") > max_foreign)
    retried = sum(1 for r in rows if r["topo"] == topo and r["kind"] == kind and r.get("keep") == "0")
    return f"{fo:.2f}" + (f" ({n} dirty)" if n else ""), retried
topos = [t for t in ("single", "two") if any(r["topo"] == t for r in kept)]
first = kept[0] if kept else {}
tp = next((r for r in kept if r["kind"] == "throughput"), {})
lt = next((r for r in kept if r["kind"] == "latency"), {})
print(f"Chat lines across two demo instances through Redis pub/sub, against one instance; median [min-max] over "
      f"{len(rounds)} interleaved rounds. Servers (demo jars, redis-server) pinned to one CPU, the load generator "
      "to the other.\n")
print(f"Throughput: {tp.get('senders', '?')} senders, {tp.get('readers', '?')} readers, 64-byte lines, at most "
      f"{tp.get('window', '?')} lines per sender not yet heard by every reader (closed loop).\n")
print("| topology | lines/s per reader | deliveries/s (all readers) | server cores: A / B / redis |"
      " server µs per line: A / B / redis | all servers µs per line | relay dropped | missing + reordered | errors |"
      " retried | max foreign cores |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for t in topos:
    cores = " / ".join(cell(t, "throughput", f"cpu_{p}_cores", f2) for p in ("a", "b", "redis"))
    us = " / ".join(cell(t, "throughput", f"cpu_{p}_us_per_line", f2) for p in ("a", "b", "redis"))
    for r in kept:  # every server process's CPU per line together
        if r["topo"] == t and r["kind"] == "throughput":
            parts = [num(r, f"cpu_{p}_us_per_line") for p in ("a", "b", "redis")]
            r["cpu_all_us_per_line"] = str(sum(x for x in parts if x == x))
    us_all = cell(t, "throughput", "cpu_all_us_per_line", f2)
    mr = sum(int(num(r, "missing")) + int(num(r, "reordered")) for r in kept
             if r["topo"] == t and r["kind"] == "throughput" and num(r, "missing") == num(r, "missing"))
    fo, retried = dirty(t, "throughput")
    drop = total(t, "throughput", "relay_dropped") if t == "two" else "-"
    print(f"| {names[t]} | {cell(t, 'throughput', 'lines_per_s', k)} | {cell(t, 'throughput', 'deliveries_per_s', k)} | "
          f"{cores} | {us} | {us_all} | {drop} | {mr} | {bad(t, 'throughput')} | {retried} | {fo} |")
def ratios(kind, key, how):
    out = []
    for rnd in rounds:
        s, w = pick(rnd, "single", kind), pick(rnd, "two", kind)
        if s and w and num(s, key) == num(s, key) and num(w, key) == num(w, key) and num(s, key) > 0:
            out.append(how(num(w, key), num(s, key)))
    return out
if len(topos) == 2:
    q = ratios("throughput", "lines_per_s", lambda a, b: a / b)
    c = ratios("throughput", "cpu_all_us_per_line", lambda a, b: a / b)
    print(f"\nTwo instances / one, per round, median [min-max]: lines/s per reader {f2(med(q))} [{rng(q, f2)}];"
          f" all servers' CPU per line {f2(med(c))} [{rng(c, f2)}]")
print(f"\nLatency: one sender, one reader, one line every {lt.get('interval_us', '?')} µs (measured mean interval),"
      " receive time - send time in one process.\n")
print("| topology | p50 µs | p90 µs | p99 µs | max µs | samples | relay dropped | missing + reordered | errors | retried | max foreign cores |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for t in topos:
    mr = sum(int(num(r, "missing")) + int(num(r, "reordered")) for r in kept
             if r["topo"] == t and r["kind"] == "latency" and num(r, "missing") == num(r, "missing"))
    fo, retried = dirty(t, "latency")
    drop = total(t, "latency", "relay_dropped") if t == "two" else "-"
    print(f"| {names[t]} | {cell(t, 'latency', 'p50_us', i0)} | {cell(t, 'latency', 'p90_us', i0)} | "
          f"{cell(t, 'latency', 'p99_us', i0)} | {cell(t, 'latency', 'max_us', i0)} | {cell(t, 'latency', 'samples', i0)} | "
          f"{drop} | {mr} | {bad(t, 'latency')} | {retried} | {fo} |")
if len(topos) == 2:
    print("\nThe relay's added latency, two instances against one in the same round: median [min-max] over rounds\n")
    print("| percentile | added µs (two - one) | ratio (two / one) |")
    print("| --- | --- | --- |")
    for p in ("p50", "p99"):
        d = ratios("latency", f"{p}_us", lambda a, b: a - b)
        r = ratios("latency", f"{p}_us", lambda a, b: a / b)
        print(f"| {p} | {i0(med(d))} [{rng(d, i0)}] | {f2(med(r))} [{rng(r, f2)}] |")
groups = [("loop", "asyncore event loop"), ("lettuce", "Lettuce (Netty) I/O threads"), ("publisher", "relay publisher"),
          ("jit", "JIT compilers"), ("gc", "GC + VM thread"), ("other", "other")]
print("\nWhere each demo's CPU went in the throughput runs (connect, join and warm-up included): share of the"
      " process's CPU time by thread group, median over rounds\n")
print("| topology | process | " + " | ".join(g[1] for g in groups) + " |")
print("| --- | --- | " + " | ".join("---" for _ in groups) + " |")
for t in topos:
    for proc in ("a", "b"):
        rs = [r for r in kept if r["topo"] == t and r["kind"] == "throughput" and f"thr_{proc}_loop" in r]
        if not rs:
            continue
        shares = []
        for g, _ in groups:
            v = []
            for r in rs:
                all_ = sum(num(r, f"thr_{proc}_{h}") for h, _ in groups if num(r, f"thr_{proc}_{h}") == num(r, f"thr_{proc}_{h}"))
                x = num(r, f"thr_{proc}_{g}")
                v.append(100 * (x if x == x else 0) / all_ if all_ > 0 else float("nan"))
            shares.append(f"{med(v):.0f} %")
        print(f"| {names[t]} | {proc.upper()} | " + " | ".join(shares) + " |")
loads = [num(r, "load1") for r in kept]
print(f"\nload average (1 min) at the end of each kept run: {rng(loads, f2)}")
print("\nlines/s per reader: for A → Redis → B, the lines that crossed the relay per second (each is published once"
      " and delivered to every reader on B). server µs per line = the process's CPU time over the measured part /"
      " lines sent (each heard by every reader). relay dropped = demo.chat.relay.dropped on A over the measured"
      " runs (their warm-up included); missing = lines a reader never heard. Retried = runs repeated because other work used more than"
      f" {max_foreign} cores; dirty = kept anyway after the last try.")
EOF
echo "raw rows and server logs in $RESULTS"
