// Wisp's nodejs runtime: loads _HANDLER ("file.export") from LAMBDA_TASK_ROOT and serves it over
// the Lambda Runtime API. Handlers may be async, return a promise, or take a callback.
'use strict';
const http = require('http');
const path = require('path');

const endpoint = process.env.AWS_LAMBDA_RUNTIME_API;
const slash = endpoint.indexOf('/');
const hostPort = slash < 0 ? endpoint : endpoint.substring(0, slash);
const prefix = (slash < 0 ? '' : endpoint.substring(slash)) + '/2018-06-01/runtime/';
const [host, port] = [hostPort.substring(0, hostPort.lastIndexOf(':')), hostPort.substring(hostPort.lastIndexOf(':') + 1)];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const req = http.request({ host, port, method, path: prefix + p, agent,
      headers: Object.assign({ 'Content-Type': 'application/json', 'Content-Length': data ? data.length : 0 }, headers || {}) },
    (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function errorBody(err, type) {
  return JSON.stringify({
    errorType: type || (err && err.name) || 'Error',
    errorMessage: err && err.message !== undefined ? err.message : String(err),
    trace: err && err.stack ? String(err.stack).split('\n') : [],
  });
}

async function loadHandler() {
  const spec = process.env._HANDLER || '';
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw Object.assign(new Error(`Bad handler '${spec}'`), { name: 'Runtime.MalformedHandlerName' });
  const file = path.resolve(process.env.LAMBDA_TASK_ROOT || '.', spec.substring(0, dot));
  let mod;
  try {
    mod = require(file);
  } catch (e) {
    if (e.code !== 'ERR_REQUIRE_ESM' && !(e.code === 'MODULE_NOT_FOUND' && require('fs').existsSync(file + '.mjs'))) throw e;
    mod = await import(require('fs').existsSync(file + '.mjs') ? file + '.mjs' : file + '.js');
  }
  const fn = mod[spec.substring(dot + 1)];
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return fn;
}

function runHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err ? reject(err) : resolve(result));
    try {
      const r = fn(event, context, callback);
      if (r && typeof r.then === 'function') r.then(resolve, reject);
      else if (fn.length < 3) resolve(r);
    } catch (e) {
      reject(e);
    }
  });
}

// A stem cell waits here until Wisp gives it a function, then adopts its environment.
async function specialize() {
  const r = await call('GET', 'wisp/specialize');
  if (r.status !== 200) process.exit(0);
  Object.assign(process.env, JSON.parse(r.body.toString('utf8')));
  delete process.env.WISP_STEM_CELL;
  process.chdir(process.env.LAMBDA_TASK_ROOT);
}

async function main() {
  if (process.env.WISP_STEM_CELL) await specialize();
  let fn;
  try {
    fn = await loadHandler();
  } catch (e) {
    console.error(e);
    const type = e.name && e.name.startsWith('Runtime.') ? e.name : 'Runtime.ImportModuleError';
    await call('POST', 'init/error', errorBody(e, type), { 'Lambda-Runtime-Function-Error-Type': type });
    process.exit(1);
  }
  for (;;) {
    const next = await call('GET', 'invocation/next');
    if (next.status !== 200) process.exit(0);
    const id = next.headers['lambda-runtime-aws-request-id'];
    // as on Lambda: AWS SDKs in the function read this and pass the trace on to what they call
    const trace = next.headers['lambda-runtime-trace-id'];
    if (trace) process.env._X_AMZN_TRACE_ID = trace; else delete process.env._X_AMZN_TRACE_ID;
    const deadline = Number(next.headers['lambda-runtime-deadline-ms'] || 0);
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      callbackWaitsForEmptyEventLoop: true,
    };
    let result;
    try {
      const event = next.body.length ? JSON.parse(next.body.toString('utf8')) : null;
      result = await runHandler(fn, event, context);
    } catch (e) {
      console.error(e);
      await call('POST', `invocation/${id}/error`, errorBody(e), { 'Lambda-Runtime-Function-Error-Type': (e && e.name) || 'Error' });
      continue;
    }
    await call('POST', `invocation/${id}/response`, JSON.stringify(result === undefined ? null : result));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
