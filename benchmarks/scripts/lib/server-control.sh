# shellcheck shell=bash
# Sourced by fanout-compare.sh, tls-compare.sh, resp-compare.sh, tls-storm.sh and chat-relay.sh: start one benchmark server at a time, stop it, and wait for
# a quiet machine before a run.
#   launch_server NAME PORT LOG CMD...  runs CMD pinned to CPU $SCPU, output to LOG, and returns once LOG has
#                                       "listening on 127.0.0.1:PORT" (60 s at most; exits if CMD ends first)
#   stop_server                         SIGTERM, SIGKILL after 20 s
#   kill_server                         SIGKILL if still running (for the EXIT trap)
#   busy_ticks, srv_ticks               all CPUs' busy ticks (/proc/stat); the server's user + system ticks
#   wait_quiet                          until the other work on the machine is < 5 % of a core (QUIET_MAX s)
#   free_port                           prints a TCP port free on 127.0.0.1 now
# Reads SCPU, HZ (getconf CLK_TCK) and QUIET_MAX; sets SRV_PID (the server's PID, empty when none runs).
SRV_PID=

launch_server() {  # NAME PORT LOG CMD... -> SRV_PID
    local name=$1 port=$2 log=$3 _
    shift 3
    taskset -c "$SCPU" "$@" >"$log" 2>&1 &
    SRV_PID=$!
    for _ in $(seq 600); do
        grep -q "listening on 127.0.0.1:$port" "$log" 2>/dev/null && return 0
        kill -0 "$SRV_PID" 2>/dev/null || { echo "$name exited before listening:" >&2; cat "$log" >&2; exit 1; }
        sleep 0.1
    done
    echo "$name did not listen within 60 s" >&2; exit 1
}

stop_server() {  # SIGTERM, SIGKILL after 20 s
    local _
    kill -TERM "$SRV_PID" 2>/dev/null || true
    for _ in $(seq 200); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SRV_PID" 2>/dev/null; then kill -KILL "$SRV_PID" 2>/dev/null || true; fi
    wait "$SRV_PID" 2>/dev/null || true
    SRV_PID=
}

kill_server() {
    if [ -n "$SRV_PID" ] && kill -0 "$SRV_PID" 2>/dev/null; then kill -KILL "$SRV_PID" 2>/dev/null || true; fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
busy_ticks() { awk '$1 ~ /^cpu[0-9]+$/ {b += $2+$3+$4+$7+$8} END {print b}' /proc/stat; }
srv_ticks() { awk '{print $14 + $15}' "/proc/$SRV_PID/stat" 2>/dev/null || echo 0; }

wait_quiet() {  # until the CPUs, less the idle server's own use, are < 5 % of a core busy over 0.5 s
    local t0=$SECONDS b0 b1 p0 p1
    while [ $((SECONDS - t0)) -lt "$QUIET_MAX" ]; do
        b0=$(busy_ticks); p0=$(srv_ticks); sleep 0.5
        b1=$(busy_ticks); p1=$(srv_ticks)
        [ $((b1 - b0 - (p1 - p0))) -le $((HZ / 20)) ] && return 0
        sleep 1
    done
    echo "   (machine not quiet after ${QUIET_MAX}s, running anyway)" >&2
}
