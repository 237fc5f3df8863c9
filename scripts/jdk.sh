# Sourced by ./wisp and ./test: sets JAVA_HOME to a JDK 21 or newer (JAVA_HOME first, then /usr/lib/jvm/*).
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
