#!/usr/bin/env bash
# Builds Wisp when its sources changed, then runs the CLI: ./wisp serve, ./wisp fn ..., ./wisp keys ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

. "$here/scripts/jdk.sh"
jar="$here/wisp-cli/target/wisp-cli.jar"
stamp="$here/wisp-cli/target/.built"
if [ ! -f "$jar" ] || [ ! -f "$stamp" ] || [ -n "$(find "$here" -path "$here/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]; then
  echo "wisp: building (mvn package)..." >&2
  (cd "$here" && mvn -q -B package -DskipTests -Dmaven.test.skip=true -pl wisp-cli,examples/java-hello -am >&2)
  touch "$stamp"
fi
# JVM options of the server (scripts/serve.jvmopts, shared with bench/): its own heap stays small
# because instances are separate processes, and the serial collector with a fixed young generation
# measured more invoke throughput than G1 on 2 cores (README, Performance).
jvm=()
if [ "${1:-}" = serve ]; then read -r -a jvm < "$here/scripts/serve.jvmopts"; fi
exec "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$jar:$here/wisp-cli/target/lib/*" dev.wisp.cli.WispCli "$@"
