# Wisp's python3 runtime: loads _HANDLER ("module.function") from LAMBDA_TASK_ROOT and serves it
# over the Lambda Runtime API. Standard library only, so it starts fast.
import http.client
import importlib
import json
import os
import sys
import time
import traceback

ENDPOINT = os.environ["AWS_LAMBDA_RUNTIME_API"]
HOST_PORT, _, PREFIX = ENDPOINT.partition("/")
PREFIX = ("/" + PREFIX if PREFIX else "") + "/2018-06-01/runtime/"
HOST, _, PORT = HOST_PORT.rpartition(":")
conn = http.client.HTTPConnection(HOST, int(PORT))


def call(method, path, body=None, headers=None):
    global conn
    hdrs = {"Content-Type": "application/json"}
    hdrs.update(headers or {})
    for attempt in range(3):
        try:
            conn.request(method, PREFIX + path, body=body, headers=hdrs)
            resp = conn.getresponse()
            return resp.status, resp.headers, resp.read()
        except (ConnectionError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(HOST, int(PORT))
            if attempt == 2:
                raise


def error_body(exc, error_type=None):
    return json.dumps({
        "errorMessage": str(exc),
        "errorType": error_type or type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }).encode()


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def load_handler():
    spec = os.environ.get("_HANDLER", "")
    module_name, _, func_name = spec.rpartition(".")
    if not module_name or not func_name:
        raise ValueError("Bad handler '%s': expected module.function" % spec)
    sys.path.insert(0, os.environ.get("LAMBDA_TASK_ROOT", "."))
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, func_name)


def specialize():
    """A stem cell waits here until Wisp gives it a function, then adopts its environment."""
    status, _, body = call("GET", "wisp/specialize")
    if status != 200:
        sys.exit(0)
    os.environ.update(json.loads(body))
    os.environ.pop("WISP_STEM_CELL", None)
    os.chdir(os.environ["LAMBDA_TASK_ROOT"])


def main():
    if os.environ.get("WISP_STEM_CELL"):
        specialize()
    try:
        handler = load_handler()
    except Exception as exc:  # noqa: BLE001 - any init failure is reported as such
        kind = "Runtime.ImportModuleError" if isinstance(exc, ImportError) else "Runtime.HandlerNotFound" \
            if isinstance(exc, AttributeError) else "Runtime.UserCodeSyntaxError" if isinstance(exc, SyntaxError) \
            else "Runtime.InitError"
        traceback.print_exc()
        sys.stdout.flush()
        call("POST", "init/error", error_body(exc, kind), {"Lambda-Runtime-Function-Error-Type": kind})
        sys.exit(1)
    while True:
        status, headers, body = call("GET", "invocation/next")
        if status != 200:
            sys.exit(0)
        request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        # as on Lambda: AWS SDKs in the function read this and pass the trace on to what they call
        trace = headers.get("Lambda-Runtime-Trace-Id")
        if trace:
            os.environ["_X_AMZN_TRACE_ID"] = trace
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        try:
            event = json.loads(body) if body else None
            result = handler(event, Context(headers))
            payload = json.dumps(result).encode()
        except Exception as exc:  # noqa: BLE001 - handler errors go back to the caller
            traceback.print_exc()
            sys.stdout.flush()
            sys.stderr.flush()
            call("POST", "invocation/%s/error" % request_id, error_body(exc),
                 {"Lambda-Runtime-Function-Error-Type": type(exc).__name__})
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        call("POST", "invocation/%s/response" % request_id, payload)


if __name__ == "__main__":
    main()
