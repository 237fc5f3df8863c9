#!/usr/bin/env bash
# NAB benchmark: runs each univariate detector of `wisp detect csv` (wisp, threshold, zscore) over
# the Numenta Anomaly Benchmark corpus in one process, scores the results with the corpus's own
# scorer (score.py, NAB's sweep scoring) and prints the three-profile table per detector, plus the
# detector's throughput over the whole corpus.
#
#   bench/nab.sh [NAB_DIR]        NAB_DIR holds data/, labels/ and score.py (default ../shared/external/nab)
#
# Environment: DETECTORS (default "wisp threshold zscore"), OUT (default: a temporary folder,
# removed at the end unless KEEP=1), WISP_REPO (the checkout to build and run, default this one).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="${WISP_REPO:-$(cd "$BENCH/.." && pwd)}"
NAB="${1:-$REPO/../shared/external/nab}"
NAB="$(cd "$NAB" && pwd)"
[ -f "$NAB/score.py" ] && [ -d "$NAB/data" ] || { echo "nab.sh: $NAB has no score.py and data/" >&2; exit 2; }
DETECTORS="${DETECTORS:-wisp threshold zscore}"
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT"; KEEP=1
else
  OUT="$(mktemp -d "${TMPDIR:-/tmp}/wisp-nab.XXXXXX")"
fi
cleanup() { if [ "${KEEP:-0}" != 1 ]; then rm -rf "$OUT"; fi; }
trap cleanup EXIT

"$REPO/wisp" --help >/dev/null   # builds when sources changed
rev="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
dirty="$( (git -C "$REPO" status --porcelain -- . ':!bench' 2>/dev/null || echo '?') | wc -l)"
echo "NAB benchmark: corpus $NAB, Wisp $rev ($dirty modified paths outside bench/), $(date -u +%FT%TZ)"

summary=""
for d in $DETECTORS; do
  rm -rf "${OUT:?}/$d"
  log="$OUT/$d.log"
  "$REPO/wisp" detect csv "$NAB/data" --out "$OUT/$d" --detector "$d" 2>"$log" \
    || { cat "$log" >&2; echo "nab.sh: detector $d failed" >&2; exit 1; }
  speed="$(tail -n 1 "$log")"
  echo
  echo "=== $d: $speed"
  report="$(python3 "$NAB/score.py" --results "$OUT/$d" --json "$OUT/$d.json")"
  echo "$report" | sed -n '/^profile/,/^$/p'
  summary+="$(echo "$report" | awk -v d="$d" '/^standard/{s=$2} /^reward_low_FP_rate/{p=$2} /^reward_low_FN_rate/{n=$2} END{printf "%-10s %9s %9s %9s", d, s, p, n}')"$'\n'
done

echo
echo "detector    standard   low FP    low FN    (NAB scoreboard: ARTime 74.9, Numenta HTM 70.1, CAD OSE 69.9,"
echo "                                            KNN CAD 58.0, Twitter ADVec 47.1, windowed Gaussian 39.6)"
printf "%s" "$summary"
[ "${KEEP:-0}" = 1 ] && echo "results kept in $OUT"
exit 0
