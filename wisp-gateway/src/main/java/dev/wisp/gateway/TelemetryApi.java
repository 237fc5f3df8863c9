package dev.wisp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.controller.cost.Budget;
import dev.wisp.controller.cost.BudgetWatcher;
import dev.wisp.controller.cost.Budgets;
import dev.wisp.gateway.auth.Principal;
import dev.wisp.http.Exchange;
import dev.wisp.store.EventQuery;
import dev.wisp.store.FunctionCost;
import dev.wisp.store.InvocationQuery;
import dev.wisp.store.LogQuery;
import dev.wisp.store.Resolution;
import dev.wisp.store.TelemetryQueries;
import dev.wisp.store.TelemetryStore;
import dev.wisp.telemetry.JsonLinesSink;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.tracing.InvocationSpans;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wisp's telemetry query API under {@code /wisp/telemetry/} and tenant budgets under
 * {@code /wisp/budgets/}. A tenant's key sees only that tenant's telemetry; an admin key sees all of
 * it, or one tenant's with {@code tenant=}.
 */
final class TelemetryApi {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 10_000;
    private static final long DEFAULT_WINDOW = 3_600_000;

    private final ObjectMapper json = new ObjectMapper().configure(SerializationFeature.WRITE_ENUMS_USING_TO_STRING, true);
    private final TelemetryStore store;
    private final TelemetryQueries queries;
    private final Budgets budgets;
    private final BudgetWatcher watcher;
    private final Clock clock;

    TelemetryApi(TelemetryStore store, Budgets budgets, BudgetWatcher watcher, Clock clock) {
        this.store = store;
        this.queries = store.queries();
        this.budgets = budgets;
        this.watcher = watcher;
        this.clock = clock;
    }

    /** {@code seg} is the path below /wisp: ["telemetry", what, id?] or ["budgets", tenant]. */
    void serve(Exchange ex, Principal who, String[] seg, Map<String, String> q, byte[] body) throws IOException {
        if (seg[1].equals("budgets")) {
            budgets(ex, who, seg, body);
            return;
        }
        String what = seg.length > 2 ? seg[2] : "";
        if (what.equals("import") && ex.method().equals("POST")) {
            importStream(ex, who, q.get("stream"), body);
            return;
        }
        if (!ex.method().equals("GET")) {
            throw new WispException(ErrorCode.METHOD_NOT_ALLOWED, ex.method() + " is not allowed on " + ex.rawPath());
        }
        String tenant = scope(who, q.get("tenant"));
        long to = time(q.get("to"), clock.wallMillis(), "to");
        long from = time(q.get("from"), to - DEFAULT_WINDOW, "from");
        if (from > to) throw WispException.invalid("from must not be after to");
        String function = q.get("function");
        ObjectNode out = json.createObjectNode();
        switch (what) {
            case "invocations" -> out.set("Invocations", json.valueToTree(queries.invocations(new InvocationQuery(tenant, function,
                    status(q.get("status")), bool(q.get("cold"), "cold"), from, to, q.get("requestId"), q.get("traceId"), limit(q)))));
            case "logs" -> {
                try {
                    out.set("Logs", json.valueToTree(queries.logs(new LogQuery(tenant, function, q.get("requestId"),
                            q.get("filter"), from, to, limit(q)))));
                } catch (IllegalArgumentException e) {
                    throw WispException.invalid("filter: " + e.getMessage());
                }
            }
            case "events" -> out.set("Events", events(queries.events(new EventQuery(tenant, function, q.get("instanceId"),
                    q.get("requestId"), from, to, limit(q)))));
            case "series" -> out.set("Points", json.valueToTree(queries.series(tenant, function, resolution(q.get("resolution")), from, to)));
            case "cost" -> {
                List<FunctionCost> costs = queries.cost(tenant, from, to);
                out.set("Functions", json.valueToTree(costs));
                out.put("TotalUsd", costs.stream().mapToDouble(FunctionCost::costUsd).sum());
            }
            case "requests" -> out = request(tenant, one(seg, "request id"));
            case "export" -> {
                exportStream(ex, tenant, stream(q.get("stream")), from, to);
                return;
            }
            case "traces" -> out.set("Spans", spans(queries.invocations(new InvocationQuery(tenant, null, null, null, 0, Long.MAX_VALUE,
                    null, one(seg, "trace id"), MAX_LIMIT))));
            default -> throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Unknown telemetry query " + what
                    + " (invocations, requests/{id}, logs, events, series, cost, traces/{id}, export)");
        }
        ex.sendJson(200, json.writeValueAsString(out));
    }

    /** One stream of a window as JSON Lines, in the format detection replays. */
    private void exportStream(Exchange ex, String tenant, JsonLinesSink.Stream stream, long from, long to) throws IOException {
        Path dir = Files.createTempDirectory("wisp-export");
        try {
            store.queries().export(tenant, from, to, dir);
            ex.send(200, "application/x-ndjson", Files.readAllBytes(dir.resolve(stream.fileName)), Map.of());
        } finally {
            deleteTree(dir);
        }
    }

    /** Loads JSON Lines of one stream into the store: admin only, since the lines name their own tenants. */
    private void importStream(Exchange ex, Principal who, String streamName, byte[] body) throws IOException {
        if (!who.admin()) throw new WispException(ErrorCode.ACCESS_DENIED, "Only an admin key may import telemetry");
        JsonLinesSink.Stream stream = stream(streamName);
        Path dir = Files.createTempDirectory("wisp-import");
        try {
            Files.write(dir.resolve(stream.fileName), body);
            long n;
            try {
                n = store.importFrom(dir);
            } catch (RuntimeException e) {
                throw WispException.invalid("import stopped: " + e.getMessage());
            }
            ex.sendJson(200, json.writeValueAsString(json.createObjectNode().put("Imported", n)));
        } finally {
            deleteTree(dir);
        }
    }

    private static JsonLinesSink.Stream stream(String name) {
        for (JsonLinesSink.Stream s : JsonLinesSink.Stream.values()) {
            if (s.fileName.equals(name + ".jsonl")) return s;
        }
        throw WispException.invalid("stream must be invocations, events, resources or logs");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
        }
        Files.deleteIfExists(dir);
    }

    /** A request's whole story: its record, its log lines, the events around it and its trace. */
    private ObjectNode request(String tenant, String requestId) {
        List<InvocationRecord> found = queries.invocations(new InvocationQuery(tenant, null, null, null, 0, Long.MAX_VALUE,
                requestId, null, 1));
        if (found.isEmpty()) throw new WispException(ErrorCode.RESOURCE_NOT_FOUND, "No invocation " + requestId);
        InvocationRecord r = found.getFirst();
        ObjectNode out = json.createObjectNode();
        out.set("Invocation", json.valueToTree(r));
        out.set("Logs", json.valueToTree(queries.logs(new LogQuery(tenant, r.functionName(), requestId, null,
                r.receivedAt() - 1000, r.completedAt() + 1000, MAX_LIMIT))));
        ArrayNode events = events(queries.events(new EventQuery(tenant, r.functionName(), null, requestId,
                r.receivedAt() - 1000, r.completedAt() + 1000, MAX_LIMIT)));
        if (r.instanceId() != null) {
            events.addAll(events(queries.events(new EventQuery(tenant, r.functionName(), r.instanceId(), null,
                    r.receivedAt() - 1000, r.completedAt() + 1000, MAX_LIMIT))));
        }
        out.set("Events", events);
        out.set("Trace", spans(queries.invocations(new InvocationQuery(tenant, null, null, null, 0, Long.MAX_VALUE,
                null, r.traceId(), MAX_LIMIT))));
        return out;
    }

    private void budgets(Exchange ex, Principal who, String[] seg, byte[] body) throws IOException {
        if (seg.length != 3) throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Use /wisp/budgets/{tenant}");
        String tenant = seg[2];
        if (!who.admin() && !who.tenant().equals(tenant)) {
            throw new WispException(ErrorCode.ACCESS_DENIED, "A tenant key may only manage its own budget");
        }
        switch (ex.method()) {
            case "PUT" -> {
                JsonNode req = body.length == 0 ? json.createObjectNode() : json.readTree(body);
                Budget b;
                try {
                    b = new Budget(tenant, req.path("AmountUsd").asDouble(Double.NaN),
                            Budget.Period.valueOf(req.path("Period").asText("MONTH").toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw WispException.invalid("Budget needs AmountUsd > 0 and Period DAY or MONTH: " + e.getMessage());
                }
                budgets.put(b);
                watcher.budgetChanged(tenant);
                ex.sendJson(200, json.writeValueAsString(budget(b)));
            }
            case "GET" -> ex.sendJson(200, json.writeValueAsString(budget(budgets.get(tenant).orElseThrow(() ->
                    new WispException(ErrorCode.RESOURCE_NOT_FOUND, "No budget for tenant " + tenant)))));
            case "DELETE" -> {
                if (!budgets.delete(tenant)) throw new WispException(ErrorCode.RESOURCE_NOT_FOUND, "No budget for tenant " + tenant);
                watcher.budgetChanged(tenant);
                ex.send(204, null, new byte[0], Map.of());
            }
            default -> throw new WispException(ErrorCode.METHOD_NOT_ALLOWED, ex.method() + " is not allowed on " + ex.rawPath());
        }
    }

    private ObjectNode budget(Budget b) {
        long start = b.period().startOf(clock.wallMillis());
        double spent = queries.spentUsd(b.tenant(), start, clock.wallMillis());
        return json.createObjectNode().put("Tenant", b.tenant()).put("AmountUsd", b.amountUsd())
                .put("Period", b.period().name()).put("PeriodStart", Instant.ofEpochMilli(start).toString())
                .put("SpentUsd", spent).put("Crossed", spent >= b.amountUsd());
    }

    private ArrayNode events(List<PlatformEvent> events) {
        ArrayNode arr = json.createArrayNode();
        for (PlatformEvent e : events) {
            ObjectNode n = json.createObjectNode().put("type", e.getClass().getSimpleName());
            n.setAll((ObjectNode) json.valueToTree(e));
            arr.add(n);
        }
        return arr;
    }

    private ArrayNode spans(List<InvocationRecord> records) {
        ArrayNode arr = json.createArrayNode();
        for (InvocationRecord r : records) {
            arr.addAll((ArrayNode) json.valueToTree(InvocationSpans.of(r)));
        }
        return arr;
    }

    /** A tenant key is held to its own tenant; an admin may look at one tenant or all. */
    private static String scope(Principal who, String asked) {
        if (who.admin()) return asked == null || asked.isEmpty() ? null : asked;
        if (asked != null && !asked.isEmpty() && !asked.equals(who.tenant())) {
            throw new WispException(ErrorCode.ACCESS_DENIED, "A tenant key may only read its own telemetry");
        }
        return who.tenant();
    }

    private static String one(String[] seg, String what) {
        if (seg.length != 4 || seg[3].isEmpty()) throw WispException.invalid("missing " + what + " in the path");
        return seg[3];
    }

    /** Epoch milliseconds or an ISO-8601 instant. */
    static long time(String v, long dflt, String name) {
        if (v == null || v.isEmpty()) return dflt;
        try {
            return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw WispException.invalid(name + " must be epoch milliseconds or an ISO-8601 instant, not " + v);
        }
    }

    private static int limit(Map<String, String> q) {
        String v = q.get("limit");
        if (v == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw WispException.invalid("limit must be between 1 and " + MAX_LIMIT);
    }

    private static InvocationStatus status(String v) {
        if (v == null || v.isEmpty()) return null;
        try {
            return InvocationStatus.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw WispException.invalid("status must be one of success, error, timeout, oom, crash, throttled, rejected");
        }
    }

    private static Boolean bool(String v, String name) {
        if (v == null || v.isEmpty()) return null;
        return switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw WispException.invalid(name + " must be true or false");
        };
    }

    private static Resolution resolution(String v) {
        return switch (v == null ? "1m" : v) {
            case "1s" -> Resolution.SECOND;
            case "1m" -> Resolution.MINUTE;
            default -> throw WispException.invalid("resolution must be 1s or 1m");
        };
    }
}
