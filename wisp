#!/usr/bin/env bash
# Builds Wisp when its sources changed, then runs the CLI: ./wisp serve, ./wisp fn ..., ./wisp keys ...
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do candidates+=("$d"); done
  for d in "${candidates[@]}"; do
    if [ -x "$d/bin/javac" ]; then
      local v
      v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
      if [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$d"; return 0; fi
    fi
  done
  return 1
}

JAVA_HOME="$(find_jdk)" || { echo "wisp: needs a JDK 21 or newer (set JAVA_HOME or install one under /usr/lib/jvm)" >&2; exit 1; }
export JAVA_HOME
jar="$here/wisp-cli/target/wisp-cli.jar"
stamp="$here/wisp-cli/target/.built"
if [ ! -f "$jar" ] || [ ! -f "$stamp" ] || [ -n "$(find "$here" -path "$here/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$stamp" -print -quit)" ]; then
  echo "wisp: building (mvn package)..." >&2
  (cd "$here" && mvn -q -B package -DskipTests -Dmaven.test.skip=true -pl wisp-cli,examples/java-hello -am >&2)
  touch "$stamp"
fi
exec "$JAVA_HOME/bin/java" -cp "$jar:$here/wisp-cli/target/lib/*" dev.wisp.cli.WispCli "$@"
