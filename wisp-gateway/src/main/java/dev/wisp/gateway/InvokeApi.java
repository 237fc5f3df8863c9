package dev.wisp.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.controller.AsyncInvoker;
import dev.wisp.controller.Completed;
import dev.wisp.controller.Dispatcher;
import dev.wisp.controller.InvocationContext;
import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.gateway.auth.Principal;
import dev.wisp.http.Exchange;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.telemetry.model.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import dev.wisp.telemetry.model.TraceContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** The Invoke operation: RequestResponse, Event and DryRun, with Lambda's headers. */
final class InvokeApi {
    /** Lambda's payload limits: 6 MB synchronous, 256 KB asynchronous. */
    static final int MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
    static final int MAX_ASYNC_PAYLOAD = 256 * 1024;
    private static final int TAIL_BYTES = 4096;
    private static final JsonFactory JSON = new JsonFactory();

    private final FunctionRegistry registry;
    private final Dispatcher dispatcher;
    private final AsyncInvoker async;
    private final Clock clock;

    InvokeApi(FunctionRegistry registry, Dispatcher dispatcher, AsyncInvoker async, Clock clock) {
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.async = async;
        this.clock = clock;
    }

    void invoke(Exchange ex, Principal who, FunctionRef ref, byte[] payload, String requestId, long receivedNanos, long receivedMillis) {
        String type = ex.header("X-Amz-Invocation-Type");
        type = type == null || type.isEmpty() ? "RequestResponse" : type;
        if (!type.equals("RequestResponse") && !type.equals("Event") && !type.equals("DryRun")) {
            throw WispException.invalid("X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not " + type);
        }
        if (type.equals("Event") && payload.length > MAX_ASYNC_PAYLOAD) {
            throw new WispException(ErrorCode.REQUEST_TOO_LARGE, "Request must be smaller than " + MAX_ASYNC_PAYLOAD
                    + " bytes for the InvokeFunction operation", Map.of(), null);
        }
        validateJson(payload);
        FunctionConfig f = registry.resolve(who.tenant(), ref.name(), ref.qualifier());
        switch (type) {
            case "DryRun" -> ex.send(204, null, new byte[0], Map.of("x-amzn-RequestId", requestId));
            case "Event" -> {
                TraceContext caller = trace(ex);
                async.submit(requestId, new AsyncInvoker.EventTarget(who.tenant(), f.name(), ref.qualifier(), who.accessKeyId(), 0,
                        null, caller.traceId(), caller.parentSpanId()), payload);
                ex.send(202, null, new byte[0], Map.of("x-amzn-RequestId", requestId));
            }
            default -> sync(ex, who, f, payload, requestId, receivedNanos, receivedMillis);
        }
    }

    private void sync(Exchange ex, Principal who, FunctionConfig f, byte[] payload, String requestId, long receivedNanos, long receivedMillis) {
        InvocationContext ctx = new InvocationContext(who.tenant(), requestId, Trigger.SDK, who.accessKeyId(), null,
                trace(ex), ex.header("X-Amz-Client-Context"), receivedNanos, receivedMillis);
        Completed c = run(f, ctx, payload);
        Map<String, String> headers = new HashMap<>();
        headers.put("x-amzn-RequestId", requestId);
        headers.put("X-Amz-Executed-Version", f.version());
        if ("Tail".equals(ex.header("X-Amz-Log-Type"))) {
            byte[] log = c.logTail().getBytes(StandardCharsets.UTF_8);
            int from = Math.max(0, log.length - TAIL_BYTES);
            headers.put("X-Amz-Log-Result", Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(log, from, log.length)));
        }
        byte[] body = switch (c.result().outcome()) {
            case InvocationOutcome.Success s -> s.payload();
            case InvocationOutcome.FunctionError e -> {
                // an instance that failed to initialise never ran the handler
                headers.put("X-Amz-Function-Error", e.duringInit() ? "Unhandled" : "Handled");
                yield e.payload().length == 0 ? errorBody(e.errorType(), "function error") : e.payload();
            }
            case InvocationOutcome.Failure fl -> {
                headers.put("X-Amz-Function-Error", "Unhandled");
                yield errorBody(fl.errorType(), fl.message());
            }
        };
        ex.send(200, "application/json", body, headers);
    }

    /** Runs a synchronous invocation to completion (on the caller's virtual thread). */
    Completed run(FunctionConfig f, InvocationContext ctx, byte[] payload) {
        try {
            return dispatcher.invoke(f, ctx, payload).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WispException(ErrorCode.SERVICE, "interrupted", Map.of(), e);
        } catch (ExecutionException e) {
            throw new WispException(ErrorCode.SERVICE, "invocation failed: " + e.getCause(), Map.of(), e.getCause());
        }
    }

    /**
     * The invocation's span: in the caller's trace when it sent a W3C traceparent or an X-Ray header
     * (which AWS SDKs inside a function send on), else in a new trace.
     */
    static TraceContext trace(Exchange ex) {
        return TraceContext.start(ex.header("traceparent"), ex.header("X-Amzn-Trace-Id"));
    }

    static byte[] errorBody(String type, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return ("{\"errorMessage\":\"" + escaped + "\",\"errorType\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Lambda accepts only JSON payloads; walking the tokens checks that without building a tree. */
    private static void validateJson(byte[] payload) {
        if (payload.length == 0) return;
        try (JsonParser p = JSON.createParser(payload)) {
            while (p.nextToken() != null) {
                // consume
            }
        } catch (IOException e) {
            throw new WispException(ErrorCode.INVALID_REQUEST_CONTENT, "Could not parse request body into json: "
                    + e.getMessage().lines().findFirst().orElse("malformed JSON"));
        }
    }
}
