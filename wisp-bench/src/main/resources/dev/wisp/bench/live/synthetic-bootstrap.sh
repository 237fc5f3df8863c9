#!/bin/bash
# Wisp bench synthetic function (provided runtime): a bash custom runtime with the same
# environment contract as synthetic.py. Quantile tables are in ms with one decimal; bash works in
# tenths of a millisecond and microseconds.
set -u
export LC_ALL=C

api="${AWS_LAMBDA_RUNTIME_API:?AWS_LAMBDA_RUNTIME_API is not set}"
hostport="${api%%/*}"
host="${hostport%:*}"
port="${hostport##*:}"
prefix=""
if [[ "$api" == */* ]]; then
  prefix="/${api#*/}"
  prefix="${prefix%/}"
fi
base="$prefix/2018-06-01/runtime"

read -r -a INIT <<< "${WISP_SYN_INIT_MS:-0.0}"
read -r -a EXEC <<< "${WISP_SYN_EXEC_MS:-0.0}"
cpu_permille=$(( 10#$(printf '%.3f' "${WISP_SYN_CPU:-0}" | tr -d .) ))
error_permille=$(( 10#$(printf '%.3f' "${WISP_SYN_ERROR_RATE:-0}" | tr -d .) ))
dependency="${WISP_SYN_DEPENDENCY_URL:-}"

# sample NAME -> SAMPLE in tenths of a ms, interpolated between the table's quantiles
sample() {
  local -n t="$1"
  local n=${#t[@]} u i j a b
  if (( n == 1 )); then SAMPLE=$(( 10#${t[0]//./} )); return; fi
  u=$(( RANDOM * (n - 1) * 1000 / 32768 ))
  i=$(( u / 1000 ))
  j=$(( i + 1 < n ? i + 1 : i ))
  a=$(( 10#${t[$i]//./} ))
  b=$(( 10#${t[$j]//./} ))
  SAMPLE=$(( a + (b - a) * (u % 1000) / 1000 ))
}

now_us() { NOW=$(( 10#${EPOCHREALTIME//./} )); }

sleep_us() {
  local us=$1
  (( us > 0 )) && sleep "$(printf '%d.%06d' $(( us / 1000000 )) $(( us % 1000000 )))"
}

# http METHOD PATH [BODY] [EXTRA_HEADER] -> STATUS, REQUEST_ID, BODY
http() {
  local method="$1" path="$2" payload="${3-}" extra="${4-}" line name value len=0
  STATUS="" REQUEST_ID="" BODY=""
  exec 3<>"/dev/tcp/$host/$port" || return 1
  if [[ "$method" == POST ]]; then
    printf '%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\nContent-Type: application/json\r\n%sContent-Length: %d\r\n\r\n%s' \
      "$method" "$path" "$hostport" "$extra" "${#payload}" "$payload" >&3
  else
    printf '%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$method" "$path" "$hostport" >&3
  fi
  IFS= read -r line <&3 || { exec 3<&-; return 1; }
  line="${line%$'\r'}"
  STATUS="${line#* }"
  STATUS="${STATUS%% *}"
  while IFS= read -r line <&3; do
    line="${line%$'\r'}"
    [[ -z "$line" ]] && break
    name="${line%%:*}"
    value="${line#*:}"
    value="${value# }"
    case "${name,,}" in
      lambda-runtime-aws-request-id) REQUEST_ID="$value" ;;
      content-length) len="$value" ;;
    esac
  done
  if (( len > 0 )); then
    IFS= read -r -N "$len" BODY <&3
  fi
  exec 3<&-
}

# call_dependency -> DEP_STATUS (the HTTP status, or "unreachable")
call_dependency() {
  local rest="${dependency#http://}" hp path dh dp line
  hp="${rest%%/*}"
  path="/${rest#*/}"
  [[ "$rest" == */* ]] || path="/"
  dh="${hp%:*}"
  dp="${hp##*:}"
  DEP_STATUS=unreachable
  exec 4<>"/dev/tcp/$dh/$dp" || return
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$hp" >&4
  if IFS= read -r -t 30 line <&4; then
    line="${line%$'\r'}"
    DEP_STATUS="${line#* }"
    DEP_STATUS="${DEP_STATUS%% *}"
    while IFS= read -r -t 5 line <&4; do :; done
  fi
  exec 4<&-
}

fail() { # fail ID TYPE MESSAGE
  http POST "$base/invocation/$1/error" "{\"errorMessage\":\"$3\",\"errorType\":\"$2\"}" \
    "Lambda-Runtime-Function-Error-Type: $2"$'\r\n'
}

sample INIT
sleep_us $(( SAMPLE * 100 ))   # the init phase

while true; do
  if ! http GET "$base/invocation/next"; then
    echo "runtime API unreachable at $hostport" >&2
    exit 1
  fi
  if [[ "$STATUS" != 200 || -z "$REQUEST_ID" ]]; then
    sleep 1
    continue
  fi
  id="$REQUEST_ID"
  event="$BODY"
  sample EXEC
  ms_tenths=$SAMPLE
  now_us
  start=$NOW
  burn_until=$(( start + ms_tenths * 100 * cpu_permille / 1000 ))
  while (( NOW < burn_until )); do now_us; done
  sleep_us $(( start + ms_tenths * 100 - NOW ))
  if [[ -n "$dependency" ]]; then
    call_dependency
    if [[ "$DEP_STATUS" != 200 ]]; then
      fail "$id" DependencyFailure "dependency failed: $DEP_STATUS"
      continue
    fi
  fi
  p=$error_permille
  if [[ "$event" =~ \"failRate\":[[:space:]]*([0-9]+(\.[0-9]+)?) ]]; then
    q=$(( 10#$(printf '%.3f' "${BASH_REMATCH[1]}" | tr -d .) ))
    (( q > p )) && p=$q
  fi
  if (( p > 0 && RANDOM % 1000 < p )); then
    fail "$id" SyntheticFailure "synthetic failure"
    continue
  fi
  http POST "$base/invocation/$id/response" "{\"ms\":$(( ms_tenths / 10 )).$(( ms_tenths % 10 ))}"
done
