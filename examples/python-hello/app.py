"""Minimal Python Lambda handler used by the quick start.

The optional event knobs (fail, sleep_ms, alloc_mb) exist so the same function
can exercise error reporting, timeouts and the memory limit without redeploying.
"""
import time


def handler(event, context):
    # Any JSON value is a valid event; only objects can carry options.
    opts = event if isinstance(event, dict) else {}
    name = opts.get("name", "world")

    if opts.get("sleep_ms"):
        time.sleep(opts["sleep_ms"] / 1000.0)

    ballast = None
    if opts.get("alloc_mb"):
        size = int(opts["alloc_mb"]) * 1024 * 1024
        ballast = bytearray(size)
        # Write one byte per page so the memory is really resident, not just reserved.
        ballast[::4096] = b"\x01" * len(range(0, size, 4096))

    print(f"greeting {name}")

    if opts.get("fail"):
        raise ValueError("asked to fail")

    # The limit is enforced on peak usage, so the ballast only has to live this long.
    del ballast
    return {"message": "hello " + str(name), "runtime": "python", "requestId": context.aws_request_id}
