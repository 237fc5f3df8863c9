#!/usr/bin/env bash
# What telemetry costs on the invoke path: the same wrk run against a Wisp server with telemetry
# on (store, metrics, budgets and live detection subscribed) and off (published to no one),
# alternating, several rounds; with telemetry on it also prints each subscriber thread's CPU per
# invocation (from /proc).
#
#   bench/telemetry-cost.sh             # about 4 minutes
#
# Knobs (environment): DURATION=15 (s per measured run), WARMUP=30, CONNS=4, ROUNDS=2, KEEP=1.
# The warm-up is long because on 2 slow cores the JIT keeps compiling for ~30 s; measured after 5 s,
# C2 took more CPU than the server's own threads and the ratio mostly measured compilation.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-30}"
CONNS="${CONNS:-4}"
ROUNDS="${ROUNDS:-2}"
CORE_JAR="$HOME/.m2/repository/com/amazonaws/aws-lambda-java-core/1.2.3/aws-lambda-java-core-1.2.3.jar"
command -v wrk >/dev/null || die "wrk not found (apt-get install -y wrk)"
[ -f "$CORE_JAR" ] || die "missing $CORE_JAR (run a Maven build of the repo once)"

WORK="$(mktemp -d /tmp/wisp-bench-telemetry.XXXXXX)"
chmod 755 "$WORK"
STARTED_PIDS=()
cleanup() {
  [ -n "${WISP_PID:-}" ] && stop_pid "$WISP_PID" "${WISP_DATA:-}"
  if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build_wisp
"$JAVA_HOME/bin/javac" --release 21 -cp "$CORE_JAR" -d "$WORK/noop-classes" "$BENCH/noop-java/bench/Noop.java"
"$JAVA_HOME/bin/jar" cf "$WORK/noop.jar" -C "$WORK/noop-classes" .

# thread_cpu PID: "name ticks" per thread (user + system clock ticks, numbered threads folded together)
thread_cpu() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' '_' <"$t/comm" | sed 's/[-#]*[0-9]*$//')" "$(awk '{ print $14 + $15 }' "$t/stat")"
  done
}

# per_invocation BEFORE AFTER REQUESTS: each telemetry thread's CPU per invocation, in µs
per_invocation() {
  awk -v n="$3" -v hz="$(getconf CLK_TCK)" 'FNR == NR { b[$1] += $2; next } { a[$1] += $2 }
    END { for (k in a) if (k ~ /^telemetry/) printf "%-22s %6.1f us CPU per invocation\n", k, (a[k] - b[k]) * 1e6 / hz / n }' "$1" "$2" | sort
}

# measure MODE ROUND: prints requests/s of one fresh server with --telemetry MODE
measure() {
  local dir="$WORK/$1-$2" url rps
  mkdir -p "$dir"
  start_wisp "$dir/data" "$dir/serve.log" --telemetry "$1"
  aws --endpoint-url "$WISP_URL" lambda create-function --function-name noop --runtime java21 \
    --handler bench.Noop::handleRequest --memory-size 256 --role "$ROLE" --zip-file "fileb://$WORK/noop.jar" >/dev/null
  url="$WISP_URL/2015-03-31/functions/noop/invocations"
  invoke "$WISP_URL" noop >/dev/null
  wrk -t2 -c"$CONNS" -d"$WARMUP"s -s "$BENCH/post.lua" "$url" >/dev/null 2>&1 || true
  thread_cpu "$WISP_PID" >"$dir/cpu.before"
  wrk -t2 -c"$CONNS" -d"$DURATION"s --latency -s "$BENCH/post.lua" "$url" >"$dir/run.wrk" 2>&1 || true
  thread_cpu "$WISP_PID" >"$dir/cpu.after"
  rps="$(sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' "$dir/run.wrk")"
  if [ "$1" = on ]; then
    per_invocation "$dir/cpu.before" "$dir/cpu.after" "$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$dir/run.wrk")" \
      | tee -a "$WORK/threads" | sed 's/^/    /' >&2
    curl -s -H "Authorization: Bearer $(cat "$dir/data/metrics.token")" "$WISP_URL/metrics" \
      | grep -E '^wisp_telemetry_dropped' | sed 's/^/    /' >&2 || true
  fi
  stop_pid "$WISP_PID" "$WISP_DATA"
  WISP_PID=""
  # the whole server process (every thread) per invocation: steadier than requests/s on a shared machine
  cpu="$(awk -v n="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$dir/run.wrk")" -v hz="$(getconf CLK_TCK)" \
    'FNR == NR { b += $2; next } { a += $2 } END { printf "%.1f", (a - b) * 1e6 / hz / n }' "$dir/cpu.before" "$dir/cpu.after")"
  log "telemetry $1, round $2: $rps req/s, server CPU $cpu us per invocation"
  echo "$1 $rps $cpu" >>"$WORK/results"
}

for r in $(seq 1 "$ROUNDS"); do measure off "$r"; measure on "$r"; done

echo
echo "telemetry-cost: $(date -u +%FT%TZ), $(nproc) cores, git $WISP_REV ($WISP_DIRTY dirty paths), noop java21 function,"
echo "wrk -t2 -c$CONNS, ${WARMUP}s warm-up + ${DURATION}s measured per fresh server, $ROUNDS rounds alternating off/on"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
off_rps="$(awk '$1 == "off" { print $2 }' "$WORK/results" | median)"; on_rps="$(awk '$1 == "on" { print $2 }' "$WORK/results" | median)"
off_cpu="$(awk '$1 == "off" { print $3 }' "$WORK/results" | median)"; on_cpu="$(awk '$1 == "on" { print $3 }' "$WORK/results" | median)"
awk -v off="$off_rps" -v on="$on_rps" -v offc="$off_cpu" -v onc="$on_cpu" 'BEGIN {
  printf "telemetry off: %.0f req/s, server CPU %.1f us per invocation (medians over rounds)\n", off, offc
  printf "telemetry on:  %.0f req/s, server CPU %.1f us per invocation\n", on, onc
  printf "on/off ratio:  %.3f (%.1f%% throughput lost to telemetry); server CPU per invocation +%.1f%%\n", on / off, 100 * (1 - on / off), 100 * (onc / offc - 1) }'
echo "subscriber threads with telemetry on (mean over rounds):"
awk '{ s[$1] += $2; n[$1]++ } END { for (k in s) printf "  %-22s %6.1f us CPU per invocation\n", k, s[k] / n[k] }' "$WORK/threads" | sort
