#!/usr/bin/env bash
# Every benchmark of docs/benchmarks.md in one run, on this machine, with the shared harness (../shared/bench)
# and the project's own scripts, and one report of it all ($RESULTS/report.md: machine, date, commit, the
# commands, every figure as median [min-max] over rounds and every comparison as the median [min-max] of
# per-round ratios, candidate / reference of the same round):
#   core     the core echo and line echo (benchmarks/, no Spring) with raw JDK NIO and Netty NIO, A B C D L
#   demo     the demo service's echo dispatcher (the whole Spring Boot application), the same, A B C D
#   threads  two loop threads (core and demo) against Netty NIO with two event-loop threads, Bu (unpinned)
#   idle     what 10,000 idle connections cost (idle-connections.sh)
#   tls      TLS echo against Netty's SslHandler, JDK provider (tls-compare.sh)
#   storm    TLS handshake storms: the demo on the JDK engine and on Conscrypt, Netty, openssl s_server, new
#            sessions and resumed ones, with a plain echo probe on the demo's loop (tls-storm.sh)
#   resp     the RESP server against redis-server with redis-benchmark (resp-compare.sh)
#   fanout   broadcast: ChannelGroup, a hand-written loop and Netty's DefaultChannelGroup (fanout-compare.sh)
#   relay    the demo's chat across two instances through Redis pub/sub against one instance (chat-relay.sh)
#   alloc    bytes the loop thread allocates per echoed message (allocation.sh)
#   jmh      the JMH benchmarks of the hot paths (-f 1 -wi 2 -w 2s -i 3 -r 2s)
# Usage: benchmarks/scripts/compare-all.sh [steps...]   (default: all of them, in this order)
# Env: ROUNDS (3), DUR (5), WARM (2) for every step that has them; BENCH (../shared/bench); RESULTS (default
# target/benchmarks/all-<timestamp>), STORM_DUR (10 s per storm). About an hour with the defaults. Only 127.0.0.1. Run nothing else
# meanwhile: every figure is CPU time on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/bench}
export ROUNDS=${ROUNDS:-3} DUR=${DUR:-5} WARM=${WARM:-2} REDIS=0
RESULTS=${RESULTS:-target/benchmarks/all-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
STEPS=${*:-core demo threads idle tls storm resp fanout relay alloc jmh}
{ # what the report says of the run: when it began, and from which code
    echo "started=$(date -u +"%Y-%m-%dT%H:%MZ")"
    echo "commit=$(git rev-parse --short HEAD)"
    git diff --quiet HEAD -- core autoconfigure demo-service benchmarks || echo "changes=uncommitted changes"
} > "$RESULTS/run.txt"
LIB=$PWD/benchmarks/scripts/lib
HEAP="-Xms512m -Xmx512m" # what the harness gives its Java references
JAR=$PWD/benchmarks/target/asyncore-benchmarks.jar DEMO_JAR=$PWD/demo-service/target/asyncore-demo-service.jar

./mvnw -q -B -pl benchmarks,demo-service -am package -DskipTests
CORE="java $HEAP -jar $JAR {PORT}"
DEMO="java $HEAP -jar $DEMO_JAR
 --asyncore.dispatchers.echoServer.address=127.0.0.1:{PORT}
 --asyncore.dispatchers.chatServer.address=127.0.0.1:0 --asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0
 --asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0
 --server.port=0 --management.server.port=0 --spring.main.banner-mode=off"
DEMO=${DEMO//$'\n'/}
paired() { PYTHONPATH=$LIB python3 -B "$LIB/paired.py" "$@"; }

for step in $STEPS; do
    echo "== $step ($(date -u +%H:%M:%S))" >&2
    case $step in
    core)
        OUT=$RESULTS/core EXTRA_SERVER="$CORE" EXTRA_LINE_SERVER="$CORE --mode line" \
            SERVERS="jdk-nio netty-nio extra" SCENARIOS="A B C D L" bash "$BENCH/run-anchors.sh" > /dev/null
        paired --cand extra --ref netty-nio --ref jdk-nio "$RESULTS/core/raw.txt" > "$RESULTS/core/paired.md" ;;
    demo)
        OUT=$RESULTS/demo EXTRA_SERVER="$DEMO" \
            SERVERS="jdk-nio netty-nio extra" SCENARIOS="A B C D" bash "$BENCH/run-anchors.sh" > /dev/null
        paired --cand extra --ref netty-nio --ref jdk-nio "$RESULTS/demo/raw.txt" > "$RESULTS/demo/paired.md" ;;
    threads)
        # shellcheck disable=SC2086 # the command is split into words on purpose
        OUT=$RESULTS/threads bash "$BENCH/compare.sh" --ref netty-nio-2t --scenarios Bu --rounds "$ROUNDS" \
            --name asyncore-2t --no-java-opts -- $CORE --threads 2 > /dev/null
        # shellcheck disable=SC2086
        OUT=$RESULTS/threads-demo bash "$BENCH/compare.sh" --ref netty-nio-2t --scenarios Bu --rounds "$ROUNDS" \
            --name demo-2t --no-java-opts -- $DEMO --asyncore.loop.threads=2 > /dev/null
        paired --cand cand --ref ref "$RESULTS/threads/raw.txt" > "$RESULTS/threads/paired.md"
        paired --cand cand --ref ref "$RESULTS/threads-demo/raw.txt" > "$RESULTS/threads-demo/paired.md" ;;
    idle)
        N=10000 bash benchmarks/scripts/idle-connections.sh > "$RESULTS/idle-connections.md" ;;
    tls)
        RESULTS=$RESULTS/tls BUILD=0 bash benchmarks/scripts/tls-compare.sh > /dev/null ;;
    storm)
        RESULTS=$RESULTS/storm DUR=${STORM_DUR:-10} CONSCRYPT=1 REUSE=1 NETTY_JAR=$JAR \
            bash benchmarks/scripts/tls-storm.sh "$DEMO_JAR" > /dev/null ;;
    resp)
        RESULTS=$RESULTS/resp ROUNDS=$((ROUNDS < 5 ? 5 : ROUNDS)) bash benchmarks/scripts/resp-compare.sh "$JAR" > /dev/null ;;
    fanout)
        RESULTS=$RESULTS/fanout BUILD=0 bash benchmarks/scripts/fanout-compare.sh > /dev/null ;;
    relay)
        RESULTS=$RESULTS/relay BUILD=0 bash benchmarks/scripts/chat-relay.sh > /dev/null ;;
    alloc)
        bash benchmarks/scripts/allocation.sh > "$RESULTS/allocation.txt" ;;
    jmh)
        ./mvnw -q -B -pl benchmarks -am package exec:exec@jmh -DskipTests -Djmh.args="-f 1 -wi 2 -w 2s -i 3 -r 2s -rf text -rff $RESULTS/jmh.txt" \
            > /dev/null ;;
    *) echo "unknown step $step (core demo threads idle tls storm resp fanout relay alloc jmh)" >&2; exit 2 ;;
    esac
done
STEPS=$STEPS RESULTS=$RESULTS BENCH=$BENCH bash benchmarks/scripts/lib/report.sh > "$RESULTS/report.md"
echo "report: $RESULTS/report.md" >&2
