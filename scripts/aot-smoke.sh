#!/usr/bin/env bash
# Spring AOT on the JVM, end to end: builds the demo with its bean definitions processed ahead of time
# (Maven profile 'aot': spring-boot:process-aot), starts the jar with -Dspring.aot.enabled=true on free
# loopback ports, and checks through the actuator that the context came up the AOT way with every
# dispatcher bean working: each listener and datagram socket bound, each client bean connected.
#
# Usage: scripts/aot-smoke.sh        (.ci/run runs it after the tests)
# Environment: READY_TIMEOUT=90      seconds to wait for readiness
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

READY_TIMEOUT=${READY_TIMEOUT:-90}
JAR=demo-service/target/asyncore-demo-service.jar

./mvnw -B -q --no-transfer-progress -pl demo-service -am -Paot -DskipTests package
if ! jar tf "$JAR" | grep -q '__BeanDefinitions.class'; then
    echo "aot-smoke: $JAR holds no AOT-generated bean definitions" >&2
    exit 1
fi

MGMT_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=$(mktemp)
java -Dspring.aot.enabled=true -jar "$JAR" --spring.main.banner-mode=off \
    --server.address=127.0.0.1 --server.port=0 \
    --management.server.address=127.0.0.1 --management.server.port="$MGMT_PORT" \
    --asyncore.dispatchers.echoServer.address=127.0.0.1:0 --asyncore.dispatchers.chatServer.address=127.0.0.1:0 \
    --asyncore.dispatchers.udpEchoServer.address=127.0.0.1:0 --asyncore.dispatchers.tlsEchoServer.address=127.0.0.1:0 \
    >"$LOG" 2>&1 &
PID=$!
cleanup() {
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    rm -f "$LOG"
}
trap cleanup EXIT

python3 - "$MGMT_PORT" "$READY_TIMEOUT" "$LOG" <<'PY'
import json, sys, time, urllib.request

port, timeout, log = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
base = f"http://127.0.0.1:{port}/actuator"

def get(path):
    with urllib.request.urlopen(base + path, timeout=5) as response:
        return json.load(response)

def fail(message):
    print("aot-smoke: " + message, file=sys.stderr)
    print(open(log).read()[-8000:], file=sys.stderr)
    sys.exit(1)

deadline = time.monotonic() + timeout
while True:
    try:
        if get("/health/readiness").get("status") == "UP":
            break
    except Exception:
        pass
    if time.monotonic() > deadline:
        fail(f"not ready within {timeout:.0f} s")
    time.sleep(0.5)

channels = get("/channels")
listeners = sorted(c["name"] for c in channels["channels"] if c["kind"] in ("LISTENER", "DATAGRAM"))
expected = ["chatServer", "echoServer", "tlsEchoServer", "udpEchoServer"]
if listeners != expected:
    fail(f"listeners {listeners}, expected {expected}")
clients = {c["name"]: c["state"] for c in channels.get("clients", [])}
deadline = time.monotonic() + 30
while any(state != "CONNECTED" for state in clients.values()):
    if time.monotonic() > deadline:
        fail(f"clients not connected: {clients}")
    time.sleep(0.5)
    clients = {c["name"]: c["state"] for c in get("/channels").get("clients", [])}
print(f"aot-smoke: the AOT-processed demo is ready with listeners {', '.join(listeners)}"
      + (f" and clients {', '.join(sorted(clients))}" if clients else ""))
PY
