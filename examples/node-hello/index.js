// Minimal Node.js Lambda handler used by the quick start.
// The optional event knobs (fail, sleep_ms, alloc_mb) let one function exercise
// error reporting, timeouts and the memory limit without redeploying.
'use strict';

exports.handler = async (event, context) => {
  // Any JSON value is a valid event; only objects can carry options.
  const opts = event !== null && typeof event === 'object' && !Array.isArray(event) ? event : {};
  const name = opts.name !== undefined ? opts.name : 'world';

  if (opts.sleep_ms) {
    await new Promise((resolve) => setTimeout(resolve, Number(opts.sleep_ms)));
  }

  let ballast = null;
  if (opts.alloc_mb) {
    // fill() writes every page so the memory is resident, not merely reserved.
    ballast = Buffer.alloc(Number(opts.alloc_mb) * 1024 * 1024).fill(1);
  }

  console.log(`greeting ${name}`);

  if (opts.fail) {
    throw new Error('asked to fail');
  }

  // The limit is enforced on peak usage, so the ballast only has to live this long.
  ballast = null;
  return { message: 'hello ' + name, runtime: 'nodejs', requestId: context.awsRequestId };
};
