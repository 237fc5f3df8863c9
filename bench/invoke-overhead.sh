#!/usr/bin/env bash
# Invoke overhead: Wisp's synchronous Invoke of a no-op java21 function vs. a do-nothing HTTP
# server (bench/Baseline.java), both driven by wrk over loopback. See bench/README.md.
#
#   bench/invoke-overhead.sh            # about 2.5 minutes
#
# Knobs (environment): DURATION=10 (s per measured wrk run), WARMUP=3 (s of wrk before each),
# SAT_CONNS=32 (connections for the saturation run), LAT_CONNS="1 2 4" (candidates for the
# half-load run), WISP_REPO (checkout to run, default: this one), KEEP=1 (keep the temp dir).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
SAT_CONNS="${SAT_CONNS:-32}"
LAT_CONNS="${LAT_CONNS:-1 2 4}"
CORE_JAR="$HOME/.m2/repository/com/amazonaws/aws-lambda-java-core/1.2.3/aws-lambda-java-core-1.2.3.jar"

command -v wrk >/dev/null || die "wrk not found (apt-get install -y wrk)"
command -v aws >/dev/null || die "aws CLI not found"
[ -f "$CORE_JAR" ] || die "missing $CORE_JAR (run a Maven build of the repo once)"

WORK="$(mktemp -d /tmp/wisp-bench-overhead.XXXXXX)"
chmod 755 "$WORK"  # a data dir others can traverse lets Wisp run instances as their own user
RESULTS="$WORK/results"
mkdir -p "$RESULTS"
STARTED_PIDS=()
BASE_PID=""
cleanup() {
  [ -n "${WISP_PID:-}" ] && stop_pid "$WISP_PID" "${WISP_DATA:-}"
  [ -n "$BASE_PID" ] && stop_pid "$BASE_PID"
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

threads_for() { [ "$1" -ge 2 ] && echo 2 || echo 1; }

# run_wrk URL CONNS SECONDS OUTFILE
run_wrk() {
  local t; t="$(threads_for "$2")"
  wrk -t"$t" -c"$2" -d"$3"s --timeout 10s --latency -s "$BENCH/post.lua" "$1" >"$4" 2>&1 || true
}

build_wisp
BG_BEFORE="$(background_cpu)"
log "background CPU before: $BG_BEFORE"

log "compiling bench/noop-java into $WORK"
"$JAVA_HOME/bin/javac" --release 21 -cp "$CORE_JAR" -d "$WORK/noop-classes" "$BENCH/noop-java/bench/Noop.java"
"$JAVA_HOME/bin/jar" cf "$WORK/noop.jar" -C "$WORK/noop-classes" .

# ---- Wisp: a fresh server per measured run, so one run's leftovers cannot skew the next ----
wisp_run() {
  local conns="$1" dir="$WORK/wisp-c$1" url t0 t1 i code ok=0
  mkdir -p "$dir"
  start_wisp "$dir/data" "$dir/serve.log"
  aws --endpoint-url "$WISP_URL" lambda create-function --function-name noop --runtime java21 \
    --handler bench.Noop::handleRequest --memory-size 256 --role "$ROLE" \
    --zip-file "fileb://$WORK/noop.jar" >"$dir/create.json"
  url="$WISP_URL/2015-03-31/functions/noop/invocations"
  for i in $(seq 1 10); do code="$(invoke "$WISP_URL" noop)"; [ "$code" = 200 ] && ok=$((ok + 1)); done
  log "wisp on :$WISP_PORT (auth $WISP_AUTH): noop deployed, $ok/10 warm-up invokes answered 200; wrk warm-up ${WARMUP}s at $conns conns"
  run_wrk "$url" "$conns" "$WARMUP" "$dir/warmup.wrk"
  sleep 0.5
  log "wisp: measuring ${DURATION}s at $conns connection(s)"
  t0="$(now_ms)"
  run_wrk "$url" "$conns" "$DURATION" "$RESULTS/wisp-c$conns.wrk"
  t1="$(now_ms)"
  wait_telemetry "$dir/data"
  python3 "$BENCH/report.py" phase --target wisp --conns "$conns" --threads "$(threads_for "$conns")" \
    --wrk "$RESULTS/wisp-c$conns.wrk" --data "$dir/data" --fn noop --t0 "$t0" --t1 "$t1" >>"$RESULTS/phases.jsonl"
  grep -E '^(status_counts|latency_us|requests)' "$RESULTS/wisp-c$conns.wrk" | sed 's/^/    /' >&2
  stop_pid "$WISP_PID" "$WISP_DATA"
  WISP_PID=""
}

for c in "$SAT_CONNS" $LAT_CONNS; do wisp_run "$c"; done

# ---- Baseline: one do-nothing server, measured at the same connection counts ----
log "starting bench/Baseline.java"
"$JAVA" "$BENCH/Baseline.java" 0 >"$WORK/baseline.log" 2>&1 &
BASE_PID=$!
for i in $(seq 1 100); do grep -q 'listening on' "$WORK/baseline.log" && break; sleep 0.1; done
BASE_PORT="$(sed -n 's#.*listening on http://127.0.0.1:\([0-9]*\).*#\1#p' "$WORK/baseline.log")"
[ -n "$BASE_PORT" ] || { cat "$WORK/baseline.log" >&2; die "baseline did not start"; }
BASE_URL="http://127.0.0.1:$BASE_PORT/2015-03-31/functions/noop/invocations"
run_wrk "$BASE_URL" "$SAT_CONNS" "$WARMUP" "$WORK/baseline-warmup.wrk"
for c in "$SAT_CONNS" $LAT_CONNS; do
  log "baseline: measuring ${DURATION}s at $c connection(s)"
  run_wrk "$BASE_URL" "$c" "$DURATION" "$RESULTS/baseline-c$c.wrk"
  python3 "$BENCH/report.py" phase --target baseline --conns "$c" --threads "$(threads_for "$c")" \
    --wrk "$RESULTS/baseline-c$c.wrk" >>"$RESULTS/phases.jsonl"
done
stop_pid "$BASE_PID"
BASE_PID=""
BG_AFTER="$(background_cpu)"

echo
echo "invoke-overhead: $(date -u +%FT%TZ), $(nproc) cores, $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $("$JAVA" -version 2>&1 | head -1)"
echo "code: $REPO at git $WISP_REV with $WISP_DIRTY modified/untracked paths outside bench/; servers run from a snapshot of that build (SNAPSHOT=${SNAPSHOT:-1})"
echo "Wisp: ./wisp serve --insecure-local (authentication OFF: no SigV4 check on the invoke path); one fresh server per run"
echo "function: noop, runtime java21, handler bench.Noop::handleRequest (RequestStreamHandler answering {}), 256 MB"
echo "request: POST /2015-03-31/functions/noop/invocations body {} (bench/post.lua); baseline gets the same request"
echo "other load on the machine (2 s sample, nothing of ours running): before $BG_BEFORE; after $BG_AFTER"
echo "each run: ${WARMUP}s wrk warm-up, then ${DURATION}s measured; wrk --timeout 10s; threads = min(2, conns)"
python3 "$BENCH/report.py" overhead "$RESULTS/phases.jsonl" --sat-conns "$SAT_CONNS"
