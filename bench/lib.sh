# Shared helpers for the bench scripts; sourced, not run.
# Sets REPO (the Wisp checkout; override with WISP_REPO), BENCH (this directory) and JAVA_HOME.

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="${WISP_REPO:-$(cd "$BENCH/.." && pwd)}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
ROLE="arn:aws:iam::000000000000:role/wisp"

# The CLI signs every request; with --insecure-local the server ignores the signature.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-bench}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-bench}"
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }

# Builds Wisp with ./wisp (it builds when sources changed), then copies the built CLI jar and its
# libraries to $WORK/wisp-snapshot. Every server of one bench run starts from that copy, with the
# very command line ./wisp execs, so that edits made to the checkout while the bench runs (and the
# rebuilds ./wisp would do for them) cannot change the code under test halfway through.
# SNAPSHOT=0 starts every server with ./wisp serve instead; JVM_EXTRA adds JVM options to the
# snapshot's command line (ignored with SNAPSHOT=0).
build_wisp() {
  local attempt
  for attempt in 1 2 3; do
    log "building Wisp if needed ($REPO/wisp), attempt $attempt"
    if "$REPO/wisp" --help >/dev/null 2>"$WORK/build.log"; then
      if [ "${SNAPSHOT:-1}" = 1 ]; then
        mkdir -p "$WORK/wisp-snapshot"
        cp "$REPO/wisp-cli/target/wisp-cli.jar" "$WORK/wisp-snapshot/"
        cp -r "$REPO/wisp-cli/target/lib" "$WORK/wisp-snapshot/"
        read -r -a SERVE_OPTS < "$REPO/scripts/serve.jvmopts"   # the options ./wisp serve runs with
        read -r -a EXTRA_OPTS <<<"${JVM_EXTRA:-}"   # JVM_EXTRA='-Xlog:gc:file=/tmp/gc.log' and the like, for experiments
        WISP_CMD=("$JAVA" "${SERVE_OPTS[@]}" "${EXTRA_OPTS[@]}" -cp "$WORK/wisp-snapshot/wisp-cli.jar:$WORK/wisp-snapshot/lib/*" dev.wisp.cli.WispCli)
      else
        WISP_CMD=("$REPO/wisp")
      fi
      WISP_REV="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
      WISP_DIRTY="$( (git -C "$REPO" status --porcelain -- . ':!bench' 2>/dev/null || echo '?') | wc -l)"
      return 0
    fi
    tail -5 "$WORK/build.log" >&2
    log "build failed (the checkout may be mid-edit); retrying in 15 s"
    sleep 15
  done
  die "wisp build failed 3 times; see above"
}

# start_wisp DATA_DIR LOG [EXTRA SERVE ARGS...]: starts `wisp serve --port 0 --insecure-local`,
# sets WISP_PID, WISP_PORT, WISP_URL.
start_wisp() {
  local data="$1" logf="$2" i
  shift 2
  "${WISP_CMD[@]}" serve --port 0 --data "$data" --insecure-local "$@" >"$logf" 2>&1 &
  WISP_PID=$!
  WISP_DATA="$data"
  STARTED_PIDS+=("$WISP_PID")
  for i in $(seq 1 600); do
    if grep -q 'listening on http://127.0.0.1:' "$logf"; then break; fi
    kill -0 "$WISP_PID" 2>/dev/null || { cat "$logf" >&2; die "wisp serve exited"; }
    sleep 0.2
  done
  WISP_PORT="$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$logf" | head -1)"
  [ -n "$WISP_PORT" ] || { cat "$logf" >&2; die "wisp serve did not report a port"; }
  WISP_URL="http://127.0.0.1:$WISP_PORT"
  grep -q 'authentication is OFF' "$logf" && WISP_AUTH="OFF (--insecure-local)" || WISP_AUTH="unknown"
}

# stop_pid PID [DATA_DIR]: SIGTERM, wait, SIGKILL if needed; then kills, by pid, any leftover
# process whose command line names DATA_DIR (function instances of that server).
stop_pid() {
  local pid="$1" data="${2:-}" i left
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "pid $pid ignored SIGTERM; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "$data" ]; then
    sleep 0.3
    left="$(pgrep -f -- "$data" || true)"
    if [ -n "$left" ]; then
      log "leftover processes of $data after shutdown: $(echo $left); killing them"
      for i in $left; do kill -KILL "$i" 2>/dev/null || true; done
    fi
  fi
}

# wait_telemetry DATA [N]: exports the server's telemetry to DATA/telemetry/*.jsonl until it holds N invocations.
wait_telemetry() {
  # the store writes in batches: export (the documented way) until the count is reached and stable
  local dir="$1/telemetry" want="${2:-0}" prev=-1 cur i
  for i in $(seq 1 20); do
    "${WISP_CMD[@]}" telemetry export --endpoint "$WISP_URL" --from 0 "$dir" 2>/dev/null || true
    cur=$( [ -f "$dir/invocations.jsonl" ] && wc -l <"$dir/invocations.jsonl" || echo 0 )
    if [ "$cur" -ge "$want" ] && [ "$cur" -eq "$prev" ]; then return 0; fi
    prev=$cur
    sleep 0.5
  done
}

# invoke URL NAME [PAYLOAD]: one synchronous invoke with curl; prints the HTTP status.
invoke() {
  local payload="${3:-}"
  [ -n "$payload" ] || payload='{}'
  curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    --data "$payload" "$1/2015-03-31/functions/$2/invocations"
}

# Prints how busy the machine's CPUs were over 2 s (all processes), e.g. "12% of 2 cores".
# Run it while none of the bench's own processes are busy: it shows what else is running.
background_cpu() {
  local a b
  a=($(head -1 /proc/stat)); sleep 2; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  [ "$total" -gt 0 ] || { echo "unknown"; return; }
  echo "$(( 100 * (total - idle) / total ))% of $(nproc) cores busy (load average $(cut -d' ' -f1-3 /proc/loadavg))"
}
