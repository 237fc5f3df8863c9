#!/usr/bin/env bash
# Telemetry store: ingest throughput (DuckDB appender vs H2 batched inserts, through a real bus
# subscription) and query latency over 24 h of one function at 100 invocations/s. Prints the
# numbers; asserts nothing. See wisp-store/src/test/java/dev/wisp/store/bench/StoreBench.java.
#
#   bench/store-bench.sh                 # about 2.5 minutes, ~3 GB of scratch files
#
# Knobs (environment): RECORDS=2000000 (ingest records), HOURS=24 (query data), WORK (scratch
# directory; default a temp dir, removed at the end unless KEEP=1), MVN_FLAGS=-o (extra flags for
# Maven; empty to let it download).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RECORDS="${RECORDS:-2000000}"
HOURS="${HOURS:-24}"
MVN_FLAGS="${MVN_FLAGS--o}"
if [ -z "${WORK:-}" ]; then
  WORK="$(mktemp -d /tmp/wisp-store-bench.XXXXXX)"
  cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
else
  mkdir -p "$WORK"
  cleanup() { :; } # a directory the caller chose is the caller's to remove
fi
trap cleanup EXIT

cd "$REPO"
echo "building wisp-telemetry and wisp-store ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))" >&2
# Maven's own chatter goes to a log that is shown only when the build fails
# shellcheck disable=SC2086
if ! { mvn -B -ntp -q $MVN_FLAGS install -pl wisp-telemetry,wisp-store -DskipTests &&
       mvn -B -ntp -q $MVN_FLAGS -pl wisp-store dependency:build-classpath -Dmdep.includeScope=test \
           -Dmdep.outputFile="$WORK/classpath.txt"; } >"$WORK/build.log" 2>&1; then
  cat "$WORK/build.log" >&2
  exit 1
fi
CP="wisp-store/target/test-classes:wisp-store/target/classes:$(cat "$WORK/classpath.txt")"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$CP" \
    dev.wisp.store.bench.StoreBench "$WORK" "$RECORDS" "$HOURS" 2> >(grep -v '^SLF4J' >&2)
