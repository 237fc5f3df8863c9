#!/usr/bin/env bash
# Cold starts: N forced cold invocations of each example function (java21, provided, python,
# node), timed from Wisp's own invocation records. See bench/README.md.
#
#   bench/cold-start.sh                 # N=20, two server modes, about 1.5 minutes
#
# Two modes, each on its own fresh `wisp serve`:
#   default    the server's defaults: cold starts may be served by a prewarmed stem cell
#   prewarm0   `--prewarm 0`: no stem cells, every cold start launches a new runtime process
#              (skipped, with a note, on a build whose serve has no --prewarm option)
#
# Knobs (environment): N=20 (cold starts per function and mode), MEMORY=256 (MB, all
# functions), PAUSE=0.3 (s between a retire and the next invoke), MODES="default prewarm0",
# WISP_REPO, SNAPSHOT, KEEP=1 (keep the temp dir).
#
# How a cold start is forced: before every invoke, UpdateFunctionConfiguration changes the
# environment variable BENCH_ITER, which retires the function's warm instance, so the invoke
# that follows needs a new one. The functions are interleaved (java, provided, python, node,
# java, ...) so that drift in background load touches all four alike.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

N="${N:-20}"
MEMORY="${MEMORY:-256}"
PAUSE="${PAUSE:-0.3}"
MODES="${MODES:-default prewarm0}"
command -v aws >/dev/null || die "aws CLI not found"
command -v zip >/dev/null || die "zip not found"

WORK="$(mktemp -d /tmp/wisp-bench-cold.XXXXXX)"
chmod 755 "$WORK"  # a data dir others can traverse lets Wisp run instances as their own user
STARTED_PIDS=()
cleanup() {
  [ -n "${WISP_PID:-}" ] && stop_pid "$WISP_PID" "${WISP_DATA:-}"
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_wisp
JAVA_JAR="$REPO/examples/java-hello/target/java-hello.jar"
[ -f "$JAVA_JAR" ] || die "missing $JAVA_JAR (./wisp builds it)"
cp "$JAVA_JAR" "$WORK/java-hello.jar"
(cd "$REPO/examples/shell-provided" && zip -q "$WORK/shell-provided.zip" bootstrap)
(cd "$REPO/examples/python-hello" && zip -qr "$WORK/python-hello.zip" . -x '*__pycache__*')
(cd "$REPO/examples/node-hello" && zip -qr "$WORK/node-hello.zip" .)
HAS_PREWARM=0
SERVE_HELP="$("${WISP_CMD[@]}" serve --help 2>&1 || true)"
case "$SERVE_HELP" in *--prewarm*) HAS_PREWARM=1 ;; esac

# label function runtime handler package
FUNCS=(
  "java21 cs-java java21 example.Hello::handleRequest $WORK/java-hello.jar"
  "provided(bash) cs-provided provided.al2023 none $WORK/shell-provided.zip"
  "python3.12 cs-python python3.12 app.handler $WORK/python-hello.zip"
  "nodejs20.x cs-node nodejs20.x index.handler $WORK/node-hello.zip"
)

# run_mode MODE [EXTRA SERVE ARGS...]: one server, N cold starts per function; leaves the
# data under $WORK/MODE and the report header in $WORK/MODE/header.txt.
run_mode() {
  local mode="$1" dir="$WORK/$1" fails=0 i f label name runtime handler pkg code
  shift
  mkdir -p "$dir"
  local bg; bg="$(background_cpu)"
  start_wisp "$dir/data" "$dir/serve.log" "$@"
  log "[$mode] wisp on :$WISP_PORT (serve args: ${*:-none}); $(grep '^instances:' "$dir/serve.log" || true)"
  for f in "${FUNCS[@]}"; do
    read -r label name runtime handler pkg <<<"$f"
    aws --endpoint-url "$WISP_URL" lambda create-function --function-name "$name" --runtime "$runtime" \
      --handler "$handler" --memory-size "$MEMORY" --timeout 30 --role "$ROLE" \
      --environment "Variables={BENCH_ITER=0}" --zip-file "fileb://$pkg" >"$dir/create-$name.json"
  done
  sleep 2  # let a prewarm pool fill once, as it would on a server that has been up for a while
  log "[$mode] deployed ${#FUNCS[@]} functions; forcing $N cold starts each"
  for i in $(seq 1 "$N"); do
    for f in "${FUNCS[@]}"; do
      read -r label name runtime handler pkg <<<"$f"
      # retire the warm instance (in round 1 there is none yet)
      code="$(curl -s -o "$dir/update.json" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
        --data "{\"Environment\":{\"Variables\":{\"BENCH_ITER\":\"$i\"}}}" \
        "$WISP_URL/2015-03-31/functions/$name/configuration")"
      [ "$code" = 200 ] || { log "update $name -> $code: $(cat "$dir/update.json")"; fails=$((fails + 1)); }
      sleep "$PAUSE"
      code="$(curl -s -o "$dir/out.json" -D "$dir/hdr.txt" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' --data '{"name":"bench"}' \
        "$WISP_URL/2015-03-31/functions/$name/invocations")"
      if [ "$code" != 200 ] || grep -qi '^x-amz-function-error' "$dir/hdr.txt"; then
        log "invoke $name (round $i) -> $code: $(head -c 300 "$dir/out.json")"
        fails=$((fails + 1))
      fi
    done
    if [ $((i % 5)) -eq 0 ]; then log "[$mode] round $i/$N done"; fi
  done
  wait_telemetry "$dir/data" $((N * ${#FUNCS[@]}))
  {
    echo "mode $mode: serve args: ${*:-(defaults)}"
    echo "  $(grep '^instances:' "$dir/serve.log" || true)"
    echo "  other load before this server started: $bg"
    echo "  client-side failures (non-200, function errors, failed updates): $fails"
  } >"$dir/header.txt"
  stop_pid "$WISP_PID" "$WISP_DATA"
  WISP_PID=""
}

RAN=()
for mode in $MODES; do
  case "$mode" in
    default) run_mode default; RAN+=(default) ;;
    prewarm0)
      if [ "$HAS_PREWARM" = 1 ]; then run_mode prewarm0 --prewarm 0; RAN+=(prewarm0)
      else log "this build's serve has no --prewarm option; skipping mode prewarm0"; fi ;;
    *) die "unknown mode $mode" ;;
  esac
done

echo
echo "cold-start: $(date -u +%FT%TZ), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1)"
echo "code: $REPO at git $WISP_REV with $WISP_DIRTY modified/untracked paths outside bench/; servers run from a snapshot of that build (SNAPSHOT=${SNAPSHOT:-1})"
echo "Wisp: ./wisp serve --insecure-local (authentication OFF), one fresh server per mode"
echo "each function: $N cold starts forced by UpdateFunctionConfiguration (env BENCH_ITER) before each invoke;"
echo "  payload {\"name\":\"bench\"}, memory $MEMORY MB, functions interleaved, ${PAUSE}s pause after each retire"
for mode in "${RAN[@]}"; do
  echo
  cat "$WORK/$mode/header.txt"
  python3 "$BENCH/report.py" coldstart "$WORK/$mode/data" --expect "$N" \
    "java21 (java-hello)=cs-java" "provided (bash)=cs-provided" "python3.12=cs-python" "nodejs20.x=cs-node"
done
