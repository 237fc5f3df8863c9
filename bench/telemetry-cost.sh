#!/usr/bin/env bash
# What telemetry costs on the invoke path: the same wrk run against a Wisp server with telemetry
# on (store, metrics, budgets and live detection subscribed) and off (published to no one),
# alternating, several rounds; with telemetry on it also prints each subscriber thread's CPU per
# invocation (from /proc).
#
#   bench/telemetry-cost.sh             # about 7 minutes
#
# Two designs (DESIGN=...):
#   blackout (default): one warm server; "off" runs under a telemetry blackout
#     (POST /wisp/faults/telemetry-blackout: every published item withheld from every subscriber,
#     as with --telemetry off), "on" runs without; ROUNDS pairs in alternating order (off-on, on-off,
#     ...). Same JIT, same heap, same instance: only telemetry differs between the two sides.
#   restart: a fresh server per run, started with --telemetry off or on. Closer to the flag, but
#     two JVMs of the same code differ by ±10 % in throughput here (JIT and layout), more than the
#     effect measured, so it needs many rounds.
#
# Knobs (environment): DESIGN=blackout, DURATION=15 (s per measured run), WARMUP=90, CONNS=4,
# ROUNDS (default 6 pairs for blackout, 2 for restart), KEEP=1.
# The warm-up is long because on 2 cores the JIT keeps compiling for a minute or more: measured
# after 5 s, C2 took more CPU than the server's own threads; after 30 s, throughput still rose for
# another 50 s (5-s samples), so pairs taken then mostly measured which side ran later.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-90}"
CONNS="${CONNS:-4}"
DESIGN="${DESIGN:-blackout}"
case "$DESIGN" in
  blackout) ROUNDS="${ROUNDS:-6}" ;;
  restart) ROUNDS="${ROUNDS:-2}" ;;
  *) die "DESIGN must be blackout or restart" ;;
esac
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

# serve TELEMETRY DIR: a fresh server with --telemetry TELEMETRY, noop deployed and warmed up; sets URL
serve() {
  mkdir -p "$2"
  start_wisp "$2/data" "$2/serve.log" --telemetry "$1"
  aws --endpoint-url "$WISP_URL" lambda create-function --function-name noop --runtime java21 \
    --handler bench.Noop::handleRequest --memory-size 256 --role "$ROLE" --zip-file "fileb://$WORK/noop.jar" >/dev/null
  URL="$WISP_URL/2015-03-31/functions/noop/invocations"
  invoke "$WISP_URL" noop >/dev/null
  log "warming up ${WARMUP}s"
  wrk -t2 -c"$CONNS" -d"$WARMUP"s -s "$BENCH/post.lua" "$URL" >/dev/null 2>&1 || true
}

# blackout METHOD [BODY]: the server's telemetry-blackout knob (admin; auth is off in bench servers)
blackout() {
  curl -sf -X "$1" -H 'Content-Type: application/json' ${2:+-d "$2"} "$WISP_URL/wisp/faults/telemetry-blackout" >/dev/null \
    || die "telemetry-blackout $1 failed"
}

# run MODE ROUND DIR: one measured wrk run against the running server; records requests/s and CPU
run() {
  local dir="$3" rps cpu n
  mkdir -p "$dir"
  thread_cpu "$WISP_PID" >"$dir/cpu.before"
  wrk -t2 -c"$CONNS" -d"$DURATION"s --latency -s "$BENCH/post.lua" "$URL" >"$dir/run.wrk" 2>&1 || true
  thread_cpu "$WISP_PID" >"$dir/cpu.after"
  rps="$(sed -n 's/^Requests\/sec:[[:space:]]*\([0-9.]*\).*/\1/p' "$dir/run.wrk")"
  n="$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$dir/run.wrk")"
  if [ "$1" = on ]; then
    per_invocation "$dir/cpu.before" "$dir/cpu.after" "$n" | tee -a "$WORK/threads" | sed 's/^/    /' >&2
    curl -s -H "Authorization: Bearer $(cat "$WISP_DATA/metrics.token")" "$WISP_URL/metrics" \
      | grep -E '^wisp_telemetry_dropped' | sed 's/^/    /' >&2 || true
  fi
  # the whole server process (every thread) per invocation: steadier than requests/s on a shared machine
  cpu="$(awk -v n="$n" -v hz="$(getconf CLK_TCK)" \
    'FNR == NR { b += $2; next } { a += $2 } END { printf "%.1f", (a - b) * 1e6 / hz / n }' "$dir/cpu.before" "$dir/cpu.after")"
  log "telemetry $1, round $2: $rps req/s, server CPU $cpu us per invocation"
  echo "$1 $rps $cpu $2" >>"$WORK/results"
}

stop_server() {
  stop_pid "$WISP_PID" "$WISP_DATA"
  WISP_PID=""
}

if [ "$DESIGN" = restart ]; then
  for r in $(seq 1 "$ROUNDS"); do
    for m in off on; do serve "$m" "$WORK/$m-$r"; run "$m" "$r" "$WORK/$m-$r"; stop_server; done
  done
else
  serve on "$WORK/server"
  for r in $(seq 1 "$ROUNDS"); do
    # alternate the order, so drift over the run (JIT, heap, the machine) falls on both sides alike
    order="off on"; [ $((r % 2)) = 0 ] && order="on off"
    for m in $order; do
      if [ "$m" = off ]; then blackout POST "{\"durationSeconds\":$((DURATION + 60))}"; fi
      run "$m" "$r" "$WORK/$m-$r"
      if [ "$m" = off ]; then blackout DELETE; fi
    done
  done
  stop_server
fi


echo
echo "telemetry-cost: $(date -u +%FT%TZ), $(nproc) cores, git $WISP_REV ($WISP_DIRTY dirty paths), noop java21 function,"
if [ "$DESIGN" = restart ]; then
  echo "wrk -t2 -c$CONNS, ${WARMUP}s warm-up + ${DURATION}s measured per fresh server, $ROUNDS rounds alternating off/on"
else
  echo "wrk -t2 -c$CONNS, one server warmed up ${WARMUP}s, then $ROUNDS pairs of ${DURATION}s runs, off = under a telemetry blackout"
fi
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
off_rps="$(awk '$1 == "off" { print $2 }' "$WORK/results" | median)"; on_rps="$(awk '$1 == "on" { print $2 }' "$WORK/results" | median)"
off_cpu="$(awk '$1 == "off" { print $3 }' "$WORK/results" | median)"; on_cpu="$(awk '$1 == "on" { print $3 }' "$WORK/results" | median)"
awk -v off="$off_rps" -v on="$on_rps" -v offc="$off_cpu" -v onc="$on_cpu" 'BEGIN {
  printf "telemetry off: %.0f req/s, server CPU %.1f us per invocation (medians over rounds)\n", off, offc
  printf "telemetry on:  %.0f req/s, server CPU %.1f us per invocation\n", on, onc
  printf "on/off ratio:  %.3f (%.1f%% throughput lost to telemetry); server CPU per invocation %+.1f%%\n", on / off, 100 * (1 - on / off), 100 * (onc / offc - 1) }'
# each round's on/off pair: the paired view, which cancels the drift between rounds
pairs="$(awk '{ v[$4, $1] = $2; r[$4] = 1 } END { for (k in r) if (v[k, "off"] > 0) printf "%.3f\n", v[k, "on"] / v[k, "off"] }' "$WORK/results" | sort -n)"
echo "on/off per round: $(echo "$pairs" | tr '\n' ' ')-> median $(echo "$pairs" | median), mean $(echo "$pairs" | awk '{ s += $1 } END { printf "%.3f", s / NR }')"
echo "subscriber threads with telemetry on (mean over rounds):"
awk '{ s[$1] += $2; n[$1]++ } END { for (k in s) printf "  %-22s %6.1f us CPU per invocation\n", k, s[k] / n[k] }' "$WORK/threads" | sort
