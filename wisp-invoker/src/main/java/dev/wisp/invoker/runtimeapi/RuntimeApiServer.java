package dev.wisp.invoker.runtimeapi;

import dev.wisp.http.Exchange;
import dev.wisp.http.HttpServers;
import dev.wisp.invoker.InvocationRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;

/**
 * Serves the Runtime API to every local instance. Paths are {@code /TOKEN/2018-06-01/runtime/...};
 * an instance's AWS_LAMBDA_RUNTIME_API is {@code 127.0.0.1:PORT/TOKEN}.
 */
public final class RuntimeApiServer implements AutoCloseable {
    /** Lambda's limit on a synchronous response. */
    public static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final String NEXT = "/invocation/next";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Map<String, RuntimeApiTarget> targets = new ConcurrentHashMap<>();
    private final Server server;

    public RuntimeApiServer() {
        // a posted response or error only completes the invocation in flight, and next only registers
        // the runtime's poll: both are handled where they were read, without a thread of their own
        this.server = HttpServers.start("runtime-api", "127.0.0.1", 0, MAX_RESPONSE_BYTES, this::serve,
                request -> request.getMethod().equals("POST") || request.getHttpURI().getPath().endsWith(NEXT));
    }

    /** The value of AWS_LAMBDA_RUNTIME_API for the instance registered under this token. */
    public String endpointFor(String token) {
        return "127.0.0.1:" + HttpServers.address(server).getPort() + "/" + token;
    }

    public void register(String token, RuntimeApiTarget target) { targets.put(token, target); }

    /** The loopback port instances reach the Runtime API on. */
    public int port() { return HttpServers.address(server).getPort(); }

    public void unregister(String token) { targets.remove(token); }

    private void serve(Exchange ex) {
        String path = ex.rawPath();
        int slash = path.indexOf('/', 1);
        RuntimeApiTarget target = slash > 0 ? targets.get(path.substring(1, slash)) : null;
        String rest = slash > 0 ? path.substring(slash) : "";
        if (target == null || !rest.startsWith(PREFIX)) {
            error(ex, 404, "InvalidRuntimeEndpoint", "no such runtime endpoint");
            return;
        }
        String op = rest.substring(PREFIX.length());
        try {
            if (op.equals("invocation/next") && ex.method().equals("GET")) {
                target.next(inv -> next(ex, target, inv));
            } else if (op.equals("wisp/specialize") && ex.method().equals("GET")) {
                Map<String, String> env = target.awaitSpecialization();
                if (env == null) {
                    error(ex, 404, "NotAStemCell", "this instance was started for its function");
                } else {
                    ex.sendJson(200, JSON.writeValueAsString(env));
                }
            } else if (op.equals("init/error") && ex.method().equals("POST")) {
                target.initError(errorType(ex), ex.bodyOrNull() == null ? new byte[0] : ex.bodyOrNull());
                accepted(ex);
            } else if (op.startsWith("invocation/") && ex.method().equals("POST")) {
                postResult(ex, target, op.substring("invocation/".length()));
            } else {
                error(ex, 404, "InvalidRuntimeEndpoint", "unknown operation " + op);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ex, 500, "ServiceException", "interrupted");
        } catch (java.io.IOException e) {
            error(ex, 500, "ServiceException", e.getMessage());
        }
    }

    private static void next(Exchange ex, RuntimeApiTarget target, InvocationRequest inv) {
        if (inv == null) {
            error(ex, 410, "InstanceStopping", "this instance is being shut down");
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Lambda-Runtime-Aws-Request-Id", inv.requestId());
        headers.put("Lambda-Runtime-Deadline-Ms", Long.toString(target.deadlineMillis(inv.requestId())));
        headers.put("Lambda-Runtime-Invoked-Function-Arn", target.functionArn());
        headers.put("Lambda-Runtime-Trace-Id", inv.traceId());
        headers.put("Lambda-Runtime-Client-Context", inv.clientContext());
        // The official Java runtime client crashes on a next response without a Content-Type.
        ex.send(200, "application/json", inv.payload(), headers);
    }

    private void postResult(Exchange ex, RuntimeApiTarget target, String idAndOp) {
        int slash = idAndOp.indexOf('/');
        if (slash <= 0) {
            error(ex, 404, "InvalidRuntimeEndpoint", "unknown operation");
            return;
        }
        String requestId = idAndOp.substring(0, slash);
        String kind = idAndOp.substring(slash + 1);
        byte[] body = ex.bodyOrNull();
        boolean known;
        if (kind.equals("response")) {
            if (body == null) {
                known = target.fail(requestId, "Function.ResponseSizeTooLarge", responseTooLarge());
                error(ex, 413, "RequestEntityTooLarge", "response exceeds " + MAX_RESPONSE_BYTES + " bytes");
                return;
            }
            known = target.respond(requestId, body);
        } else if (kind.equals("error")) {
            known = target.fail(requestId, errorType(ex), body == null ? new byte[0] : body);
        } else {
            error(ex, 404, "InvalidRuntimeEndpoint", "unknown operation " + kind);
            return;
        }
        if (known) {
            accepted(ex);
        } else {
            error(ex, 400, "InvalidRequestID", "request id " + requestId + " is not in flight on this instance");
        }
    }

    private static byte[] responseTooLarge() {
        return ("{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size ("
                + MAX_RESPONSE_BYTES + " bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String errorType(Exchange ex) {
        String t = ex.header("Lambda-Runtime-Function-Error-Type");
        return t == null || t.isBlank() ? null : t;
    }

    private static void accepted(Exchange ex) { ex.sendJson(202, "{\"status\":\"OK\"}"); }

    private static void error(Exchange ex, int status, String type, String message) {
        ex.sendJson(status, "{\"errorMessage\":\"" + message.replace("\"", "'") + "\",\"errorType\":\"" + type + "\"}");
    }

    @Override
    public void close() { HttpServers.stop(server); }
}
