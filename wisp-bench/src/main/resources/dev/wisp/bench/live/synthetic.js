// Wisp bench synthetic function (nodejs runtime); the same environment contract as synthetic.py.
'use strict';

function table(name) {
  const values = (process.env[name] || '').split(/\s+/).filter(Boolean).map(Number);
  return values.length ? values : [0];
}

function sample(t) {
  if (t.length === 1) return t[0];
  const u = Math.random() * (t.length - 1);
  const i = Math.floor(u);
  const j = Math.min(i + 1, t.length - 1);
  return t[i] + (t[j] - t[i]) * (u - i);
}

const INIT = table('WISP_SYN_INIT_MS');
const EXEC = table('WISP_SYN_EXEC_MS');
const CPU = Number(process.env.WISP_SYN_CPU || 0);
const ERROR_RATE = Number(process.env.WISP_SYN_ERROR_RATE || 0);
const DEPENDENCY = process.env.WISP_SYN_DEPENDENCY_URL || null;

// the init phase, blocking as a module that loads a model would
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, sample(INIT)));

exports.handler = async (event) => {
  const ms = sample(EXEC);
  const start = performance.now();
  const burnUntil = start + ms * CPU;
  while (performance.now() < burnUntil) { /* burn */ }
  const rest = start + ms - performance.now();
  if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
  if (DEPENDENCY) {
    let status;
    try {
      status = (await fetch(DEPENDENCY)).status;
    } catch (e) {
      status = String(e);
    }
    if (status !== 200) {
      const err = new Error('dependency failed: ' + status);
      err.name = 'DependencyFailure';
      throw err;
    }
  }
  let fail = ERROR_RATE;
  if (event && typeof event.failRate === 'number') fail = Math.max(fail, event.failRate);
  if (fail > 0 && Math.random() < fail) {
    const err = new Error('synthetic failure');
    err.name = 'SyntheticFailure';
    throw err;
  }
  return { ms: Math.round(ms * 10) / 10 };
};
