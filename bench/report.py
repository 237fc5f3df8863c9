#!/usr/bin/env python3
"""Number crunching for the bench scripts (standard library only).

  report.py phase --target T --conns C --threads N --wrk FILE [--data DIR --t0 MS --t1 MS] [--fn NAME]
      one JSON line: wrk's numbers (from bench/post.lua's done() lines) plus, for Wisp, what the
      invocation records received in [t0, t1] say
  report.py overhead PHASES.jsonl [--sat-conns C]
      the invoke-overhead summary table
  report.py coldstart DATA LABEL=FUNCTION... [--expect N]
      the cold-start summary table from DATA/telemetry/invocations.jsonl
"""
import argparse
import collections
import json
import math
import os
import re
import sys


def pct(values, p):
    """Nearest-rank percentile (p in 0..100) of a list; None when empty."""
    if not values:
        return None
    s = sorted(values)
    k = max(1, math.ceil(p / 100.0 * len(s)))
    return s[k - 1]


def fmt(v, nd=1):
    if v is None:
        return "-"
    return f"{v:.{nd}f}"


def read_records(data):
    path = os.path.join(data, "telemetry", "invocations.jsonl")
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return out


def read_events(data):
    path = os.path.join(data, "telemetry", "events.jsonl")
    out = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    return out


def parse_wrk(path):
    text = open(path).read()
    r = {"statuses": {}}
    m = re.search(r"^status_counts:(.*)$", text, re.M)
    if m:
        for part in m.group(1).split():
            k, v = part.split("=")
            r["statuses"][k] = int(v)
    m = re.search(r"^latency_us (.*)$", text, re.M)
    if m:
        for part in m.group(1).split():
            k, v = part.split("=")
            r[k + "_ms"] = int(v) / 1000.0
    m = re.search(r"^requests=(.*)$", text, re.M)
    if m:
        for part in ("requests=" + m.group(1)).split():
            k, v = part.split("=")
            r[k] = float(v)
    return r


def cmd_phase(a):
    w = parse_wrk(a.wrk)
    ok2xx = sum(n for k, n in w["statuses"].items() if k.startswith("2") and "FunctionError" not in k)
    fn_err = sum(n for k, n in w["statuses"].items() if "FunctionError" in k)
    non2xx = sum(n for k, n in w["statuses"].items() if not k.startswith("2"))
    sock = sum(int(w.get(k, 0)) for k in ("errors_connect", "read", "write", "timeout"))
    out = {"target": a.target, "conns": a.conns, "threads": a.threads,
           "rps": w.get("rps"), "requests": int(w.get("requests", 0)),
           "p50_ms": w.get("p50_ms"), "p90_ms": w.get("p90_ms"), "p99_ms": w.get("p99_ms"),
           "p999_ms": w.get("p999_ms"), "max_ms": w.get("max_ms"),
           "ok": ok2xx, "fn_errors": fn_err, "non2xx": non2xx, "socket_errors": sock,
           "statuses": w["statuses"]}
    if a.data:
        recs = [r for r in read_records(a.data)
                if (a.fn is None or r.get("functionName") == a.fn) and a.t0 <= r.get("receivedAt", 0) <= a.t1]
        statuses = collections.Counter(
            r.get("status") + ("/" + r["errorType"] if r.get("errorType") else "") for r in recs)
        e2e = [r["completedAt"] - r["receivedAt"] for r in recs if r.get("status") == "success"]
        dur = [r["durationMs"] for r in recs if r.get("status") == "success"]
        wait = [r["waitMs"] for r in recs if r.get("status") == "success"]
        all_created = [e for e in read_events(a.data)
                       if e.get("type") == "InstanceEvent" and e.get("transition") == "CREATED"]
        created = [e for e in all_created if a.t0 <= e.get("timestamp", 0) <= a.t1]
        out["telemetry"] = {
            "records": len(recs), "statuses": dict(statuses),
            "cold_starts": sum(1 for r in recs if r.get("coldStart")),
            "instances_created": len(created), "instances_total": len(all_created),
            "success_e2e_p50_ms": pct(e2e, 50), "success_e2e_p99_ms": pct(e2e, 99),
            "success_duration_p50_ms": pct(dur, 50), "success_duration_p99_ms": pct(dur, 99),
            "success_wait_p50_ms": pct(wait, 50), "success_wait_p99_ms": pct(wait, 99),
        }
    print(json.dumps(out))


def cmd_overhead(a):
    phases = [json.loads(l) for l in open(a.phases) if l.strip()]
    print()
    print("== invoke-overhead: wrk results (closed loop; latency in ms as seen by wrk) ==")
    hdr = f"{'target':<9}{'conns':>6}{'rps':>10}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}{'2xx ok':>9}{'fn_err':>8}{'non2xx':>8}{'sock_err':>9}"
    print(hdr)
    print("-" * len(hdr))
    for p in phases:
        print(f"{p['target']:<9}{p['conns']:>6}{fmt(p['rps']):>10}{fmt(p['p50_ms'], 2):>9}{fmt(p['p90_ms'], 2):>9}"
              f"{fmt(p['p99_ms'], 2):>9}{fmt(p['max_ms'], 1):>9}{p['ok']:>9}{p['fn_errors']:>8}{p['non2xx']:>8}{p['socket_errors']:>9}")
    wisp = {p["conns"]: p for p in phases if p["target"] == "wisp"}
    base = {p["conns"]: p for p in phases if p["target"] == "baseline"}
    sat = wisp.get(a.sat_conns)
    print()
    print("== Wisp's own invocation records for the same windows ==")
    hdr = f"{'conns':>6}{'records':>9}{'cold':>6}{'new inst':>9}{'all inst':>9}{'e2e p50':>9}{'e2e p99':>9}{'fn p50':>8}{'wait p50':>9}  statuses"
    print(hdr)
    print("-" * len(hdr))
    for c, p in sorted(wisp.items()):
        t = p.get("telemetry", {})
        st = " ".join(f"{k}={v}" for k, v in sorted(t.get("statuses", {}).items()))
        print(f"{c:>6}{t.get('records', 0):>9}{t.get('cold_starts', 0):>6}{t.get('instances_created', 0):>9}{t.get('instances_total', 0):>9}"
              f"{fmt(t.get('success_e2e_p50_ms'), 1):>9}{fmt(t.get('success_e2e_p99_ms'), 1):>9}"
              f"{fmt(t.get('success_duration_p50_ms'), 2):>8}{fmt(t.get('success_wait_p50_ms'), 2):>9}  {st}")
    print("(new inst = instances created in the measured window, all inst = over the server's life incl. warm-up;")
    print(" e2e = completedAt - receivedAt in whole ms; fn = durationMs; wait = waitMs; successes only)")
    if not wisp or not any(p.get("rps") for p in wisp.values()):
        print("\nno Wisp run completed any request; cannot pick a half-load concurrency")
        return
    # Saturation = the most Wisp sustained in any run: a closed loop at many connections is not
    # always the fastest (at 32 connections the pool grows to 32 processes on 2 cores).
    sat_c = max(wisp, key=lambda c: wisp[c]["rps"] or 0)
    sat_rps = wisp[sat_c]["rps"]
    half = sat_rps / 2.0
    cands = [c for c in wisp if c != a.sat_conns]
    chosen = min(cands, key=lambda c: abs((wisp[c]["rps"] or 0) - half)) if cands else sat_c
    print()
    print("== summary ==")
    if sat:
        print(f"wisp at {a.sat_conns} connections: {fmt(sat['rps'])} req/s"
              + (f" (baseline: {fmt(base[a.sat_conns]['rps'])} req/s)" if a.sat_conns in base else ""))
    print(f"saturation = best Wisp throughput of any run: {fmt(sat_rps)} req/s at {sat_c} connection(s)")
    print(f"half of saturation: {fmt(half)} req/s -> chosen concurrency: {chosen} connection(s) "
          f"({fmt(wisp[chosen]['rps'])} req/s; the closed loop cannot go below 1 connection)")
    b = base.get(chosen)
    w = wisp[chosen]
    print()
    hdr = f"{'at ' + str(chosen) + ' conn(s)':<16}{'p50 ms':>10}{'p99 ms':>10}{'req/s':>10}"
    print(hdr)
    print("-" * len(hdr))
    print(f"{'wisp':<16}{fmt(w['p50_ms'], 3):>10}{fmt(w['p99_ms'], 3):>10}{fmt(w['rps']):>10}")
    if b:
        print(f"{'baseline':<16}{fmt(b['p50_ms'], 3):>10}{fmt(b['p99_ms'], 3):>10}{fmt(b['rps']):>10}")
        d50 = None if w["p50_ms"] is None or b["p50_ms"] is None else w["p50_ms"] - b["p50_ms"]
        d99 = None if w["p99_ms"] is None or b["p99_ms"] is None else w["p99_ms"] - b["p99_ms"]
        print(f"{'overhead (w-b)':<16}{fmt(d50, 3):>10}{fmt(d99, 3):>10}")
    bad = [(c, p) for c, p in sorted(wisp.items()) if p["fn_errors"] or p["non2xx"] or p["socket_errors"]]
    if bad:
        print()
        print("WARNING: Wisp answered with errors, so its latencies above mix in failures:")
        for c, p in bad:
            t = p.get("telemetry", {})
            print(f"  {c} conn(s): {p['fn_errors']} function errors (200 + X-Amz-Function-Error), "
                  f"{p['non2xx']} non-2xx, {p['socket_errors']} socket errors; records: {t.get('statuses')}")


def cmd_coldstart(a):
    recs = read_records(a.data)
    print()
    print("== cold start: records with coldStart=true (ms) ==")
    print("e2e = completedAt - receivedAt (request received -> handler returned); init = initMs")
    hdr = f"{'function':<22}{'n':>4}{'e2e p50':>9}{'e2e p90':>9}{'e2e max':>9}{'init p50':>10}{'init p90':>10}{'init max':>10}{'fn p50':>8}{'wait p50':>9}"
    print(hdr)
    print("-" * len(hdr))
    problems = []
    for spec in a.functions:
        label, fn = spec.split("=", 1)
        mine = [r for r in recs if r.get("functionName") == fn]
        cold = [r for r in mine if r.get("coldStart") and r.get("status") == "success"]
        e2e = [r["completedAt"] - r["receivedAt"] for r in cold]
        init = [r["initMs"] for r in cold]
        dur = [r["durationMs"] for r in cold]
        wait = [r["waitMs"] for r in cold]
        print(f"{label:<22}{len(cold):>4}{fmt(pct(e2e, 50), 0):>9}{fmt(pct(e2e, 90), 0):>9}{fmt(max(e2e) if e2e else None, 0):>9}"
              f"{fmt(pct(init, 50)):>10}{fmt(pct(init, 90)):>10}{fmt(max(init) if init else None):>10}"
              f"{fmt(pct(dur, 50)):>8}{fmt(pct(wait, 50)):>9}")
        other = collections.Counter(
            ("cold" if r.get("coldStart") else "warm") + "/" + r.get("status", "?")
            + ("/" + r["errorType"] if r.get("errorType") else "")
            for r in mine if not (r.get("coldStart") and r.get("status") == "success"))
        if a.expect and len(cold) != a.expect:
            problems.append(f"{label}: {len(cold)} successful cold starts, expected {a.expect}; other records: {dict(other)}")
        elif other:
            problems.append(f"{label}: other records: {dict(other)}")
    print("(fn = durationMs of the cold invocation, wait = waitMs; nearest-rank percentiles)")
    if problems:
        print()
        print("WARNING:")
        for p in problems:
            print("  " + p)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("phase")
    p.add_argument("--target", required=True)
    p.add_argument("--conns", type=int, required=True)
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--wrk", required=True)
    p.add_argument("--data")
    p.add_argument("--fn")
    p.add_argument("--t0", type=int, default=0)
    p.add_argument("--t1", type=int, default=1 << 62)
    p.set_defaults(f=cmd_phase)
    p = sub.add_parser("overhead")
    p.add_argument("phases")
    p.add_argument("--sat-conns", type=int, default=32)
    p.set_defaults(f=cmd_overhead)
    p = sub.add_parser("coldstart")
    p.add_argument("data")
    p.add_argument("functions", nargs="+")
    p.add_argument("--expect", type=int)
    p.set_defaults(f=cmd_coldstart)
    a = ap.parse_args()
    a.f(a)


if __name__ == "__main__":
    main()
