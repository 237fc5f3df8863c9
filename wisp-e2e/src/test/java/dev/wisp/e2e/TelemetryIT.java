package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The telemetry plane end to end: a W3C trace entering on invoke, passed to the function, carried
 * on by the function's own HTTP call to another function (one trace, recorded as a chain), and the
 * query API that shows it — the request's story, logs with a filter pattern, series and cost, tenant
 * isolation, and a budget that raises an event when crossed.
 */
class TelemetryIT {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir Path data;

    private static final String CALLEE = """
            import os
            def handler(event, context):
                print("callee ran")
                return {"trace": os.environ.get("_X_AMZN_TRACE_ID")}
            """;

    private static final String CALLER = """
            import json, os, urllib.request
            def handler(event, context):
                print("caller-marker calling downstream")
                req = urllib.request.Request(os.environ["CALLEE_URL"],
                                             headers={"X-Amzn-Trace-Id": os.environ["_X_AMZN_TRACE_ID"]})
                with urllib.request.urlopen(req, timeout=10) as r:
                    downstream = json.loads(r.read())
                return {"trace": os.environ["_X_AMZN_TRACE_ID"], "downstream": downstream}
            """;

    @Test
    void aChainOfFunctionsIsOneTraceAndTheQueryApiTellsItsStory() throws Exception {
        try (WispProcess wisp = WispProcess.start(data); LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("callee").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", CALLEE))));
            String calleeUrl = lambda.createFunctionUrlConfig(r -> r.functionName("callee").authType(FunctionUrlAuthType.NONE)).functionUrl();
            lambda.createFunction(r -> r.functionName("caller").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .timeout(15).environment(e -> e.variables(Map.of("CALLEE_URL", calleeUrl)))
                    .code(c -> c.zipFile(Zips.of("app.py", CALLER))));

            var reply = lambda.invoke(r -> r.functionName("caller").payload(SdkBytes.fromUtf8String("{}"))
                    .overrideConfiguration(o -> o.putHeader("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")));
            assertEquals(null, reply.functionError(), reply.payload().asUtf8String());
            JsonNode body = new ObjectMapper().readTree(reply.payload().asUtf8String());
            String xrayRoot = "Root=1-" + TRACE.substring(0, 8) + "-" + TRACE.substring(8);
            assertTrue(body.path("trace").asText().startsWith(xrayRoot), "the function sees its trace: " + body);
            assertTrue(body.path("downstream").path("trace").asText().startsWith(xrayRoot), "and so does the callee: " + body);

            // both invocations, one trace: the callee recorded as a chain called by the caller
            JsonNode records = await(wisp, "/wisp/telemetry/invocations?from=0&traceId=" + TRACE, "Invocations", n -> n.size() == 2);
            JsonNode caller = find(records, "functionName", "caller");
            JsonNode callee = find(records, "functionName", "callee");
            assertEquals("sdk", caller.path("trigger").asText());
            assertEquals(CALLER_SPAN, caller.path("parentSpanId").asText());
            assertEquals("chain", callee.path("trigger").asText());
            assertEquals(caller.path("requestId").asText(), callee.path("parentRequestId").asText());
            assertEquals(caller.path("spanId").asText(), callee.path("parentSpanId").asText());
            assertTrue(caller.path("costUsd").asDouble() > 0, caller.toString());

            JsonNode spans = HttpSigned.get(wisp, "/wisp/telemetry/traces/" + TRACE).path("Spans");
            List<String> names = new ArrayList<>();
            spans.forEach(s -> names.add(s.path("name").asText()));
            assertTrue(names.containsAll(List.of("caller", "callee", "execute")), names.toString());
            JsonNode calleeSpan = find(spans, "name", "callee");
            assertEquals(caller.path("spanId").asText(), calleeSpan.path("parentSpanId").asText());
            assertEquals("other", find(spans, "name", "caller").path("attributes").path("faas.trigger").asText());

            // the caller's whole story
            String callerId = caller.path("requestId").asText();
            JsonNode story = HttpSigned.get(wisp, "/wisp/telemetry/requests/" + callerId);
            assertEquals(callerId, story.path("Invocation").path("requestId").asText());
            assertTrue(story.path("Logs").toString().contains("REPORT RequestId: " + callerId), story.toString());
            assertEquals(2, story.path("Trace").findValues("name").stream().filter(n -> n.asText().matches("caller|callee")).count());

            // logs with filter patterns
            JsonNode marked = await(wisp, "/wisp/telemetry/logs?from=0&function=caller&filter=" + enc("caller-marker"), "Logs",
                    n -> n.size() >= 1);
            assertTrue(marked.get(0).path("message").asText().contains("caller-marker"));
            JsonNode excluded = HttpSigned.get(wisp, "/wisp/telemetry/logs?from=0&function=caller&filter=" + enc("RequestId -REPORT"))
                    .path("Logs");
            excluded.forEach(l -> assertFalse(l.path("message").asText().contains("REPORT"), l.toString()));
            HttpResponse<String> badFilter = HttpSigned.raw(wisp, wisp.adminKey(), SdkHttpMethod.GET,
                    "/wisp/telemetry/logs?filter=" + enc("{ $.x = 1 }"), "");
            assertEquals(400, badFilter.statusCode(), badFilter.body());
            assertEquals("InvalidParameterValueException", badFilter.headers().firstValue("x-amzn-ErrorType").orElse(""));
            assertTrue(badFilter.body().contains("JSON filter patterns"), badFilter.body());

            // series and cost
            JsonNode points = HttpSigned.get(wisp, "/wisp/telemetry/series?from=0&function=caller&resolution=1s").path("Points");
            long invocations = 0;
            for (JsonNode p : points) invocations += p.path("invocations").asLong();
            assertEquals(1, invocations, points.toString());
            assertTrue(HttpSigned.get(wisp, "/wisp/telemetry/cost?from=0").path("TotalUsd").asDouble() > 0);

            // another tenant sees none of it
            WispProcess.Key other = Keys.create(wisp, "other");
            HttpResponse<String> theirs = HttpSigned.raw(wisp, other, SdkHttpMethod.GET, "/wisp/telemetry/invocations?from=0", "");
            assertEquals(200, theirs.statusCode(), theirs.body());
            assertEquals(0, new ObjectMapper().readTree(theirs.body()).path("Invocations").size(), theirs.body());
            assertEquals(404, HttpSigned.raw(wisp, other, SdkHttpMethod.GET, "/wisp/telemetry/requests/" + callerId, "").statusCode());
            assertEquals(403, HttpSigned.raw(wisp, other, SdkHttpMethod.GET, "/wisp/telemetry/invocations?tenant="
                    + caller.path("tenant").asText(), "").statusCode());

            // a budget crossed raises a platform event, once
            String tenant = caller.path("tenant").asText();
            HttpSigned.send(wisp, SdkHttpMethod.PUT, "/wisp/budgets/" + tenant, "{\"AmountUsd\":0.0000001,\"Period\":\"DAY\"}");
            for (int i = 0; i < 3; i++) lambda.invoke(r -> r.functionName("callee").payload(SdkBytes.fromUtf8String("{}")));
            JsonNode crossed = await(wisp, "/wisp/telemetry/events?from=0", "Events",
                    n -> n.findValues("type").stream().anyMatch(t -> t.asText().equals("BudgetCrossed")));
            assertEquals(1, crossed.findValues("type").stream().filter(t -> t.asText().equals("BudgetCrossed")).count());
            assertTrue(HttpSigned.get(wisp, "/wisp/budgets/" + tenant).path("Crossed").asBoolean());
        }
    }

    /** SigV4 canonical form: a space is %20, never "+". */
    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"); }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) return n;
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    /** The store writes in batches: poll until the answer holds (or fail after 15 s). */
    private static JsonNode await(WispProcess wisp, String path, String field, Predicate<JsonNode> ok) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            last = HttpSigned.get(wisp, path).path(field);
            if (ok.test(last)) return last;
            Thread.sleep(200);
        }
        assertNotNull(last);
        throw new AssertionError("timed out waiting on " + path + ": " + last);
    }
}
