#!/usr/bin/env bash
# Broadcast (fan-out): what a server spends per delivered message when one connection's lines go to every
# other member of a room. Three servers from the benchmarks jar (FanoutServers), interleaved rounds:
#   group  asyncore AsyncChat members in a ChannelGroup, group.broadcast(line, (m) -> m != this)
#   loop   the same AsyncChat, members in an array on the loop thread, for (s : sessions) if (s != this) s.push(line)
#   netty  Netty NIO, LineBasedFrameDecoder + DefaultChannelGroup.writeAndFlush(frame, ChannelMatchers.isNot(...))
# One loop (event-loop) thread each, pinned to CPU $SCPU; the load generator (FanoutLoadGenerator: one NIO
# thread, pinned to CPU $CCPU) opens N members and one sender, waits until every member hears the sender,
# then sends 64-byte lines (63 bytes + '\n', sequence-numbered) with at most $WINDOW lines in flight at the
# slowest member, and checks every line every member receives (content and order).
#
# Scenarios: F100 (100 members), F1000 (1,000 members). A delivered message = one line received by one member
# (lines x members). Server µs/msg = the server's user + system CPU time (all threads, /proc/PID/stat, read by
# the load generator at the measured window's start and end) / delivered messages in the window.
#
# Usage: benchmarks/scripts/fanout-compare.sh
# Env: ROUNDS (3), DUR (5 s measured), WARM (2 s warm-up per run), PREWARM (2 s untimed per scenario after
# each server start, for the JIT), SCENARIOS ("F100 F1000"), SERVERS ("group loop netty"; netty is the
# reference of the ratios), WINDOW (16 lines in flight), SCPU (0), CCPU (1), BASE_PORT (27500), RESULTS
# (target/benchmarks/fanout-<timestamp>), BUILD (1: build the jar first; 0: use it as it is), MAX_FOREIGN
# (0.10: a run during which other work used more than this many cores is repeated), TRIES (3 per run),
# QUIET_MAX (60 s to wait for a quiet machine before each run).
# Two experiments can join SERVERS: group-batch (the lines of one read broadcast together) and netty-batch
# (group.write per frame, group.flush per read burst): each member then gets one write per read of the sender.
# Each server is restarted every round and the order rotates. Only 127.0.0.1; every wait is bounded; every
# process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
LIB=$PWD/benchmarks/scripts/lib
# shellcheck source-path=SCRIPTDIR source=lib/server-control.sh
. "$LIB/server-control.sh"
ROUNDS=${ROUNDS:-3} DUR=${DUR:-5} WARM=${WARM:-2} PREWARM=${PREWARM:-2}
SCENARIOS=${SCENARIOS:-"F100 F1000"} SERVERS=${SERVERS:-"group loop netty"} WINDOW=${WINDOW:-16}
SCPU=${SCPU:-0} CCPU=${CCPU:-1} MAX_FOREIGN=${MAX_FOREIGN:-0.10} TRIES=${TRIES:-3} QUIET_MAX=${QUIET_MAX:-60}
PORT=${BASE_PORT:-27500}
HEAP=(-Xms512m -Xmx512m)
HZ=$(getconf CLK_TCK)
RESULTS=${RESULTS:-target/benchmarks/fanout-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
RAW=$RESULTS/raw.txt
: >"$RAW"

# 1,000 members + the sender on each side, plus the JVM's own descriptors
if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt 4096 ]; then
    hard=$(ulimit -Hn)
    if [ "$hard" = unlimited ] || [ "$hard" -ge 4096 ]; then ulimit -Sn 4096; else ulimit -Sn "$hard"; fi
fi

[ "${BUILD:-1}" = 0 ] || ./mvnw -q -B -pl benchmarks -am package -DskipTests
JAR=$PWD/benchmarks/target/asyncore-benchmarks.jar
[ -f "$JAR" ] || { echo "no $JAR (build it, or BUILD=1)" >&2; exit 1; }
LAUNCH=(-cp "$JAR" org.springframework.boot.loader.launch.PropertiesLauncher)  # after -Dloader.main=...
PKG=io.github.asyncore.benchmarks

TMP=$(mktemp -d)
cleanup() {
    kill_server
    rm -rf "$TMP"
}
trap cleanup EXIT

scen() {  # NAME -> MEMBERS
    case $1 in
    F100) MEMBERS=100 ;;
    F1000) MEMBERS=1000 ;;
    *) echo "unknown scenario $1 (F100 F1000)" >&2; exit 2 ;;
    esac
}
for s in $SCENARIOS; do scen "$s"; done
for server in $SERVERS; do
    case $server in
    group|loop|netty|group-batch|netty-batch) ;;
    *) echo "unknown server $server (group loop netty group-batch netty-batch)" >&2; exit 2 ;;
    esac
done

loadgen() {  # PORT WARM DUR MEMBERS -> LG_LINE (the load generator's key=value line), LG_RC (its exit status)
    LG_RC=0
    timeout $((${3%.*} + ${2%.*} + 100)) taskset -c "$CCPU" java "${HEAP[@]}" \
        "-Dloader.main=$PKG.FanoutLoadGenerator" "${LAUNCH[@]}" -p "$1" -n "$4" -W "$WINDOW" \
        -w "$2" -t "$3" --server-pid "$SRV_PID" --clk-tck "$HZ" \
        >"$TMP/loadgen.out" 2>>"$RESULTS/loadgen.err" || LG_RC=$?
    LG_LINE=$(grep '^fanout_loadgen' "$TMP/loadgen.out" | tail -n 1 || true)
    [ -n "$LG_LINE" ] || LG_LINE="msgs_per_s=0 errors=1 mismatches=0 note=no_result"
}

read -r -a ALL <<<"$SERVERS"
echo "fan-out: servers: $SERVERS; scenarios: $SCENARIOS; ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM PREWARM=$PREWARM" \
    "WINDOW=$WINDOW; results in $RESULTS"
for round in $(seq "$ROUNDS"); do
    shift_by=$(( (round - 1) % ${#ALL[@]} ))
    order=("${ALL[@]:shift_by}" "${ALL[@]:0:shift_by}")  # rotates every round
    for server in "${order[@]}"; do
        PORT=$((PORT + 1))
        launch_server "$server" "$PORT" "$RESULTS/$server-r$round.log" \
            java "${HEAP[@]}" "-Dloader.main=$PKG.FanoutServers" "${LAUNCH[@]}" "$PORT" --impl "$server"
        for s in $SCENARIOS; do  # untimed: the JIT of both server and load generator
            [ "$PREWARM" = 0 ] && break
            scen "$s"; loadgen "$PORT" 0 "$PREWARM" "$MEMBERS"
        done
        for s in $SCENARIOS; do
            scen "$s"
            for attempt in $(seq "$TRIES"); do
                wait_quiet
                loadgen "$PORT" "$WARM" "$DUR" "$MEMBERS"
                foreign=$(sed -n 's/.* foreign_cores=\([-0-9.]*\).*/\1/p' <<<"$LG_LINE")
                keep=1
                if [ "$attempt" -lt "$TRIES" ] && awk -v f="${foreign:-0}" -v m="$MAX_FOREIGN" 'BEGIN {exit !(f > m)}'; then
                    keep=0
                fi
                echo "round=$round server=$server scen=$s attempt=$attempt keep=$keep rc=$LG_RC $LG_LINE" | tee -a "$RAW"
                [ "$keep" = 1 ] && break
            done
        done
        stop_server
    done
done

PYTHONPATH=$LIB python3 -B - "$RAW" "$MAX_FOREIGN" <<'EOF' | tee "$RESULTS/fanout-compare.md"
import sys
from rows import med, num, read, rng
rows = read(sys.argv[1])
kept = [r for r in rows if r.get("keep") == "1"]
max_foreign = float(sys.argv[2])
k = lambda v: f"{v / 1000:.0f}k"
u = lambda v: f"{v:.3f}"
r = lambda v: f"{v:.2f}"
names = {"group": "**asyncore ChannelGroup**", "loop": "asyncore hand-written loop", "netty": "Netty DefaultChannelGroup",
         "group-batch": "asyncore ChannelGroup, one broadcast per read", "netty-batch": "Netty, flush per read burst"}
scens = list(dict.fromkeys(row["scen"] for row in kept))
servers = list(dict.fromkeys(row["server"] for row in kept))
rounds = sorted(set(row["round"] for row in kept), key=int)
window = kept[0].get("window", "?") if kept else "?"
print(f"Broadcast (fan-out), 64-byte lines, window {window} lines; median of {len(rounds)} interleaved rounds "
      "(min-max over rounds)\n")
print("| scen | server | delivered msgs/s | server µs/msg | of which user + kernel | server cores | client cores |"
      " errors + mismatches | retried | max foreign cores | max steal cores |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for s in scens:
    for server in servers:
        rs = [x for x in kept if x["scen"] == s and x["server"] == server]
        if not rs:
            continue
        m = [num(x, "msgs_per_s") for x in rs]
        c = [num(x, "server_us_per_msg") for x in rs]
        us = med([num(x, "server_user_us_per_msg") for x in rs])
        sy = med([num(x, "server_sys_us_per_msg") for x in rs])
        sc = [num(x, "server_cpu_s") / num(x, "seconds") for x in rs]
        cc = [num(x, "client_cpu_s") / num(x, "seconds") for x in rs]
        bad = sum(int(x.get("errors", 1)) + int(x.get("mismatches", 0)) + (x.get("rc") != "0") for x in rs)
        retried = sum(1 for x in rows if x["scen"] == s and x["server"] == server and x.get("keep") == "0")
        fo = max((v for v in (num(x, "foreign_cores") for x in rs) if v == v), default=float("nan"))
        st = max((v for v in (num(x, "steal_cores") for x in rs) if v == v), default=float("nan"))
        dirty = sum(1 for x in rs if num(x, "foreign_cores") > max_foreign)
        flag = f" ({dirty} dirty)" if dirty else ""
        print(f"| {s} | {names.get(server, server)} | {k(med(m))} ({rng(m, k)}) | {u(med(c))} ({rng(c, u)}) | "
              f"{us:.2f} + {sy:.2f} | {med(sc):.2f} | {med(cc):.2f} | {bad} | {retried} | {fo:.2f}{flag} | {st:.2f} |")
print()
def ratios(s, a, b, key):
    out = []
    for rnd in rounds:
        x = [y for y in kept if y["scen"] == s and y["round"] == rnd and y["server"] == a]
        n = [y for y in kept if y["scen"] == s and y["round"] == rnd and y["server"] == b]
        if x and n and num(n[0], key) > 0 and num(x[0], key) == num(x[0], key):
            out.append(num(x[0], key) / num(n[0], key))
    return out
pairs = [(a, "netty") for a in servers if a != "netty" and "netty" in servers]
if "group" in servers and "loop" in servers:
    pairs.append(("group", "loop"))
print("| scen | ratio | msgs/s ratio [per round] | µs/msg ratio [per round] |")
print("| --- | --- | --- | --- |")
for s in scens:
    for a, b in pairs:
        m = ratios(s, a, b, "msgs_per_s")
        c = ratios(s, a, b, "server_us_per_msg")
        print(f"| {s} | {a} / {b} | {r(med(m))} [{rng(m, r)}] | {r(med(c))} [{rng(c, r)}] |")
print("\nratios per round, then median [range over rounds]: msgs/s > 1 = faster; µs/msg < 1 = cheaper."
      " server cores / client cores = CPU time / window (1.00 = that core saturated). Retried = runs repeated"
      f" because other work used more than {max_foreign} cores; dirty = kept anyway after the last try.")
EOF
for server in $SERVERS; do
    n=$(cat "$RESULTS/$server"-r*.log 2>/dev/null | grep -c "over the stall threshold" || true)
    echo "$server: $n loop-stall warnings in its logs"
done | tee -a "$RESULTS/fanout-compare.md"
echo "raw rows and server logs in $RESULTS"
