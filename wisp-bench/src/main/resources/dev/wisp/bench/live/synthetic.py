"""Wisp bench synthetic function (python3 runtime).

Behaves as the scenario describes it, read from the environment:
  WISP_SYN_INIT_MS / WISP_SYN_EXEC_MS  quantile tables (ms, 0th..100th percentile, space separated)
  WISP_SYN_CPU                         fraction of the execution spent burning CPU (0..1)
  WISP_SYN_ERROR_RATE                  probability of a handled error
  WISP_SYN_DEPENDENCY_URL              optional downstream HTTP dependency called once per invocation
An event may carry "failRate" to raise the error probability for that call (retry storms).
"""
import os
import random
import time
import urllib.request


def _table(name):
    values = os.environ.get(name, "").split()
    return [float(v) for v in values] or [0.0]


def _sample(table):
    if len(table) == 1:
        return table[0]
    u = random.random() * (len(table) - 1)
    i = int(u)
    j = min(i + 1, len(table) - 1)
    return table[i] + (table[j] - table[i]) * (u - i)


INIT = _table("WISP_SYN_INIT_MS")
EXEC = _table("WISP_SYN_EXEC_MS")
CPU = float(os.environ.get("WISP_SYN_CPU", "0") or 0)
ERROR_RATE = float(os.environ.get("WISP_SYN_ERROR_RATE", "0") or 0)
DEPENDENCY = os.environ.get("WISP_SYN_DEPENDENCY_URL") or None

time.sleep(_sample(INIT) / 1000.0)  # the init phase: loading a model, opening connections


class SyntheticFailure(Exception):
    pass


class DependencyFailure(Exception):
    pass


def handler(event, context):
    ms = _sample(EXEC)
    start = time.monotonic()
    burn_until = start + ms * CPU / 1000.0
    while time.monotonic() < burn_until:
        pass
    rest = start + ms / 1000.0 - time.monotonic()
    if rest > 0:
        time.sleep(rest)
    if DEPENDENCY:
        try:
            with urllib.request.urlopen(DEPENDENCY, timeout=30) as r:
                r.read()
        except Exception as e:
            raise DependencyFailure("dependency failed: %s" % e)
    fail = ERROR_RATE
    if isinstance(event, dict) and isinstance(event.get("failRate"), (int, float)):
        fail = max(fail, float(event["failRate"]))
    if fail > 0 and random.random() < fail:
        raise SyntheticFailure("synthetic failure")
    return {"ms": round(ms, 1)}
