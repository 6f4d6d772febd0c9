#!/usr/bin/env bash
# Reproduces the figures of docs/benchmarks.md on this machine, with the shared harness (../shared/bench):
#   1. the core echo and line echo (benchmarks/, no Spring) next to raw JDK NIO and Netty NIO, scenarios
#      A B C D L, interleaved rounds (run-anchors.sh with our server as "extra");
#   2. the demo service's echo dispatcher (the whole Spring Boot application) next to the same references,
#      scenarios A B C D (the demo has no line echo: L would only repeat B);
#   3. two loop threads (core --threads 2, demo --asyncore.loop.threads=2; unpinned) against Netty NIO with
#      two event-loop threads, scenario Bu;
#   4. what 10,000 idle connections cost (benchmarks/scripts/idle-connections.sh).
# Usage: benchmarks/scripts/compare-all.sh [steps...]   (steps: core demo threads idle; default all)
# Env: ROUNDS (3), DUR (5), WARM (2) as in the harness; BENCH (../shared/bench); RESULTS (where the tables
# go, default target/benchmarks/<timestamp>). Takes about 35 minutes with the defaults. Only 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
BENCH=${BENCH:-../shared/bench}
export ROUNDS=${ROUNDS:-3} DUR=${DUR:-5} WARM=${WARM:-2} REDIS=0
RESULTS=${RESULTS:-target/benchmarks/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
STEPS=${*:-core demo threads idle}
HEAP="-Xms512m -Xmx512m" # what the harness gives its Java references

./mvnw -q -B -pl benchmarks,demo-service -am package -DskipTests
CORE="java $HEAP -jar $PWD/benchmarks/target/asyncore-benchmarks.jar {PORT}"
DEMO="java $HEAP -jar $PWD/demo-service/target/asyncore-demo-service.jar
 --asyncore.dispatchers.echoServer.address=127.0.0.1:{PORT}
 --asyncore.dispatchers.chatServer.address=127.0.0.1:0 --asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0
 --server.port=0 --management.server.port=0 --spring.main.banner-mode=off"
DEMO=${DEMO//$'\n'/}

for step in $STEPS; do
    case $step in
    core)
        OUT=$RESULTS/core EXTRA_SERVER="$CORE" EXTRA_LINE_SERVER="$CORE --mode line" \
            SERVERS="jdk-nio netty-nio extra" SCENARIOS="A B C D L" bash "$BENCH/run-anchors.sh" ;;
    demo)
        OUT=$RESULTS/demo EXTRA_SERVER="$DEMO" \
            SERVERS="jdk-nio netty-nio extra" SCENARIOS="A B C D" bash "$BENCH/run-anchors.sh" ;;
    threads)
        # shellcheck disable=SC2086 # the command is split into words on purpose
        OUT=$RESULTS/threads bash "$BENCH/compare.sh" --ref netty-nio-2t --scenarios Bu --rounds "$ROUNDS" \
            --name asyncore-2t --no-java-opts -- $CORE --threads 2
        # shellcheck disable=SC2086
        OUT=$RESULTS/threads-demo bash "$BENCH/compare.sh" --ref netty-nio-2t --scenarios Bu --rounds "$ROUNDS" \
            --name demo-2t --no-java-opts -- $DEMO --asyncore.loop.threads=2 ;;
    idle)
        N=10000 bash benchmarks/scripts/idle-connections.sh | tee "$RESULTS/idle-connections.md" ;;
    *) echo "unknown step $step (core demo threads idle)" >&2; exit 2 ;;
    esac
done
echo "tables in $RESULTS"
