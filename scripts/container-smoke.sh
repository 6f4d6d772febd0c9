#!/usr/bin/env bash
# Builds the demo service's container image without a Docker engine and smoke-tests it:
#
#   1. installs podman, buildah, runc, debootstrap and curl from Debian when missing;
#   2. builds demo-service/target/asyncore-demo-service.jar when missing;
#   3. makes the base image localhost/jre17 once (debootstrap: Debian bookworm minbase with
#      openjdk-17-jre-headless, from the mirror apt uses; then podman import), reused afterwards;
#   4. builds localhost/asyncore-demo-service:dev from demo-service/Dockerfile with buildah;
#   5. runs it with podman (runc, host network, read-only root with a tmpfs /tmp, every port bound
#      to 127.0.0.1), waits for /actuator/health/readiness to answer 200, and sends a line through
#      the echo port;
#   6. always removes the container; prints its log when something failed, and each phase's time.
#
# Usage: scripts/container-smoke.sh            (as root, or with sudo: apt, debootstrap, podman)
# Environment (all optional):
#   ECHO_PORT CHAT_PORT UDP_PORT TLS_PORT WEB_PORT MGMT_PORT   ports to use; by default 7007 7008 7009
#                                 7443 8080 8081, or a free port in 20000-39999 for each default that is busy
#   READY_TIMEOUT=120             seconds to wait for readiness
#   BASE_IMAGE=localhost/jre17    base image (made with debootstrap when it is this one and missing)
#   IMAGE=localhost/asyncore-demo-service:dev
#   DEBIAN_MIRROR                 mirror for debootstrap (default: the first Debian one apt uses)
#   REBUILD_BASE=1                make the base image again; REBUILD_JAR=1 build the jar again
#   KEEP_IMAGE=1                  (default) leave the built image; KEEP_IMAGE=0 removes it at the end
#
# Never uses podman's default bridge network (--network host only) and never raises limits
# (explicit lower ulimits), as this machine requires.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BASE_IMAGE=${BASE_IMAGE:-localhost/jre17}
IMAGE=${IMAGE:-localhost/asyncore-demo-service:dev}
READY_TIMEOUT=${READY_TIMEOUT:-120}
KEEP_IMAGE=${KEEP_IMAGE:-1}
JAR=demo-service/target/asyncore-demo-service.jar
NAME=asyncore-smoke-$$
SUITE=bookworm
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

ROOTFS=
CONTAINER_STARTED=0
PHASES=()
CURRENT_PHASE=
T_START=$(date +%s%N)

log() { printf '[smoke %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
fmt_ms() { printf '%d.%03d s' $(( $1 / 1000 )) $(( $1 % 1000 )); }

# phase NAME FUNCTION: runs FUNCTION in this shell and records how long it took.
phase() {
    local name=$1 t0
    shift
    log "phase: $name"
    t0=$(date +%s%N)
    CURRENT_PHASE="$name|$t0"
    "$@"
    CURRENT_PHASE=
    local ms
    ms=$(ms_since "$t0")
    PHASES+=("$name|$ms")
    log "phase: $name done in $(fmt_ms "$ms")"
}

summary() {
    local entry
    printf '\n%-18s %s\n' "phase" "duration"
    for entry in "${PHASES[@]}"; do
        printf '%-18s %s\n' "${entry%%|*}" "$(fmt_ms "${entry##*|}")"
    done
    printf '%-18s %s\n' "total" "$(fmt_ms "$(ms_since "$T_START")")"
}

cleanup() {
    local rc=$?
    set +e
    if [[ -n $CURRENT_PHASE ]]; then
        PHASES+=("${CURRENT_PHASE%%|*} FAILED|$(ms_since "${CURRENT_PHASE##*|}")")
    fi
    if [[ -n $ROOTFS ]]; then
        umount_rootfs
        rm -rf --one-file-system "$ROOTFS"
    fi
    if (( CONTAINER_STARTED )); then
        if (( rc != 0 )); then
            log "container log ($NAME):"
            timeout 30 podman logs "$NAME" 2>&1 | sed 's/^/    /' >&2
        fi
        local t0
        t0=$(date +%s%N)
        timeout 60 podman rm -f -t 10 "$NAME" >/dev/null 2>&1 || log "could not remove container $NAME"
        PHASES+=("remove|$(ms_since "$t0")")
    fi
    if [[ $KEEP_IMAGE == 0 ]]; then
        timeout 60 podman rmi "$IMAGE" >/dev/null 2>&1
    fi
    summary >&2
    if (( rc == 0 )); then log "PASSED"; else log "FAILED (exit $rc)"; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tools -------------------------------------------------------------------------------------

# ensure_tools CMD:PACKAGE...: apt-get installs the packages of the commands that are missing.
ensure_tools() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
    done
    (( ${#missing[@]} == 0 )) && return 0
    log "installing ${missing[*]}"
    [[ $(id -u) == 0 ]] || fail "need root to install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    timeout 300 apt-get update -qq || fail "apt-get update"
    timeout 600 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || fail "apt-get install ${missing[*]}"
}

tools() {
    ensure_tools podman:podman buildah:buildah runc:runc curl:curl ss:iproute2 timeout:coreutils
}

# --- jar ---------------------------------------------------------------------------------------

jar() {
    if [[ -f $JAR && ${REBUILD_JAR:-0} != 1 ]]; then
        log "reusing $JAR ($(date -r "$JAR" '+%F %T'); REBUILD_JAR=1 builds it again)"
        return
    fi
    timeout 900 ./mvnw -q -B install -DskipTests || fail "maven build"
    [[ -f $JAR ]] || fail "$JAR was not built"
}

# --- base image --------------------------------------------------------------------------------

# The first Debian (not security) mirror in apt's sources, one-line or deb822 format.
debian_mirror() {
    if [[ -n ${DEBIAN_MIRROR:-} ]]; then
        echo "$DEBIAN_MIRROR"
        return
    fi
    local url
    url=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
            2>/dev/null | grep -v '^[[:space:]]*#' | grep -Eo '(https?|file):/+[^[:space:]]+' \
            | grep -E '/debian/?$' | head -n 1 || true)
    echo "${url:-http://deb.debian.org/debian}"
}

umount_rootfs() {
    local m
    # debootstrap mounts /proc and /sys inside the target while it installs; never delete through them.
    for m in proc sys dev/pts dev; do
        mountpoint -q "$ROOTFS/$m" 2>/dev/null && umount -l "$ROOTFS/$m"
    done
    return 0
}

base_image() {
    if podman image exists "$BASE_IMAGE" && [[ ${REBUILD_BASE:-0} != 1 ]]; then
        log "reusing base image $BASE_IMAGE (REBUILD_BASE=1 makes it again)"
        return
    fi
    if [[ $BASE_IMAGE != localhost/jre17 ]]; then
        log "base image $BASE_IMAGE is not local; buildah will pull it"
        return
    fi
    ensure_tools debootstrap:debootstrap
    local mirror
    mirror=$(debian_mirror)
    ROOTFS=$(mktemp -d /var/tmp/jre17-rootfs.XXXXXX)
    log "debootstrap $SUITE minbase + openjdk-17-jre-headless from $mirror into $ROOTFS"
    timeout 1200 debootstrap --variant=minbase --include=openjdk-17-jre-headless \
        "$SUITE" "$ROOTFS" "$mirror" >"$ROOTFS.log" 2>&1 \
        || { tail -n 30 "$ROOTFS.log" >&2; fail "debootstrap (log: $ROOTFS.log)"; }
    umount_rootfs
    [[ -x $ROOTFS/usr/bin/java ]] || fail "no /usr/bin/java in the debootstrapped tree"
    rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/log/*.log
    # An imported tarball has no configuration: give it a PATH, as a pulled image would have.
    tar --numeric-owner -C "$ROOTFS" -c . \
        | timeout 600 podman import --quiet --change "ENV PATH=$STD_PATH" --change 'CMD ["/bin/bash"]' \
            --message "debootstrap $SUITE minbase + openjdk-17-jre-headless" - "$BASE_IMAGE" >/dev/null \
        || fail "podman import"
    rm -rf --one-file-system "$ROOTFS" "$ROOTFS.log"
    ROOTFS=
    log "base image $BASE_IMAGE: $(podman image inspect --format '{{.Size}}' "$BASE_IMAGE" | numfmt --to=si)B"
}

# --- image -------------------------------------------------------------------------------------

image() {
    # --layers: one image layer per instruction (without it buildah squashes the final stage's
    # COPYs into one layer, which defeats the layered jar) and a cache for unchanged steps.
    timeout 900 buildah bud --quiet --isolation chroot --layers --build-arg "BASE_IMAGE=$BASE_IMAGE" \
        -t "$IMAGE" -f demo-service/Dockerfile demo-service >/dev/null \
        || fail "buildah bud"
    log "image $IMAGE: $(podman image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=si)B in \
$(podman image inspect --format '{{len .RootFS.Layers}}' "$IMAGE") layers"
}

# --- run ---------------------------------------------------------------------------------------

USED_PORTS=" "
port_busy() {  # PROTO PORT
    [[ $USED_PORTS == *" $2 "* ]] && return 0
    if [[ $1 == udp ]]; then
        [[ -n $(ss -Hlun "sport = :$2") ]]
    else
        [[ -n $(ss -Hltn "sport = :$2") ]]
    fi
}

pick_port() {  # VARIABLE DEFAULT PROTO: keeps a given value, else the default, else a free one
    local var=$1 port=$2 proto=$3 tries=0
    if [[ -n ${!var:-} ]]; then
        port_busy "$proto" "${!var}" && fail "$var=${!var} is busy"
        port=${!var}
    else
        while port_busy "$proto" "$port"; do
            (( ++tries <= 50 )) || fail "no free $proto port for $var"
            port=$(( 20000 + RANDOM % 20000 ))
        done
    fi
    printf -v "$var" '%s' "$port"
    USED_PORTS+="$port "
}

run() {
    pick_port ECHO_PORT 7007 tcp
    pick_port CHAT_PORT 7008 tcp
    pick_port UDP_PORT 7009 udp
    pick_port TLS_PORT 7443 tcp
    pick_port WEB_PORT 8080 tcp
    pick_port MGMT_PORT 8081 tcp
    log "ports: echo $ECHO_PORT, chat $CHAT_PORT, udp $UDP_PORT, tls $TLS_PORT, web $WEB_PORT, management $MGMT_PORT (127.0.0.1)"
    CONTAINER_STARTED=1
    timeout 120 podman run -d --name "$NAME" --runtime runc --network host \
        --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
        --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,nosuid,nodev,size=256m,mode=1777 \
        --cap-drop all --security-opt no-new-privileges \
        "$IMAGE" \
        --asyncore.dispatchers.echoServer.address="127.0.0.1:$ECHO_PORT" \
        --asyncore.dispatchers.chatServer.address="127.0.0.1:$CHAT_PORT" \
        --asyncore.dispatchers.udpEchoServer.address="127.0.0.1:$UDP_PORT" \
        --asyncore.dispatchers.tlsEchoServer.address="127.0.0.1:$TLS_PORT" \
        --server.address=127.0.0.1 --server.port="$WEB_PORT" \
        --management.server.address=127.0.0.1 --management.server.port="$MGMT_PORT" \
        >/dev/null || fail "podman run"
}

container_running() {
    [[ $(timeout 30 podman inspect --format '{{.State.Running}}' "$NAME" 2>/dev/null) == true ]]
}

http_code() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1" || true
}

ready() {
    local url="http://127.0.0.1:$MGMT_PORT/actuator/health/readiness" code deadline=$((SECONDS + READY_TIMEOUT))
    while :; do
        code=$(http_code "$url")
        [[ $code == 200 ]] && break
        container_running || fail "the container stopped before it was ready"
        (( SECONDS < deadline )) || fail "$url not 200 after ${READY_TIMEOUT}s (last: $code)"
        sleep 0.25
    done
    code=$(http_code "http://127.0.0.1:$MGMT_PORT/actuator/health/liveness")
    [[ $code == 200 ]] || fail "liveness answered $code"
    local started
    started=$(timeout 30 podman logs "$NAME" 2>&1 | grep -o 'Started [A-Za-z]* in [0-9.]* seconds[^)]*)' | head -n 1 || true)
    log "readiness and liveness 200${started:+; the application says: $started}"
}

echo_line() {
    local line reply
    line="asyncore smoke $$ $(date +%s%N)"
    # shellcheck disable=SC2016 # expanded by the inner bash, which gets the values as $1 and $2
    reply=$(timeout 10 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "%s\n" "$2" >&3
        IFS= read -r -t 5 reply <&3 || exit 2
        exec 3>&-
        printf "%s" "$reply"' _ "$ECHO_PORT" "$line") || fail "no echo from 127.0.0.1:$ECHO_PORT"
    [[ $reply == "$line" ]] || fail "echo answered '$reply', sent '$line'"
    log "echo 127.0.0.1:$ECHO_PORT returned: $reply"
}

phase tools tools
phase jar jar
phase base-image base_image
phase image image
phase start run
phase readiness ready
phase echo echo_line
