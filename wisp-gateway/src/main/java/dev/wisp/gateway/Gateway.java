package dev.wisp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.Ids;
import dev.wisp.common.WispException;
import dev.wisp.controller.AsyncInvoker;
import dev.wisp.controller.DispatchGate;
import dev.wisp.controller.Dispatcher;
import dev.wisp.controller.registry.CodeStore;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.controller.registry.FunctionUrls;
import dev.wisp.gateway.auth.AccessKeyStore;
import dev.wisp.gateway.auth.Principal;
import dev.wisp.http.Exchange;
import dev.wisp.http.HttpServers;
import dev.wisp.invoker.InstancePool;
import dev.wisp.telemetry.TelemetryBus;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP front door on 127.0.0.1:PORT: routes Lambda REST API paths, authenticates every
 * request but {@code /health}, and maps errors to AWS's shape. Handlers run on virtual threads.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** The largest body any operation accepts: a 50 MB zip, base64-encoded, in JSON. */
    private static final long MAX_BODY = 70L * 1024 * 1024;
    private static final java.util.regex.Pattern API_VERSION = java.util.regex.Pattern.compile("20\\d\\d-\\d\\d-\\d\\d");

    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Principals principals;
    private final AccessKeyStore keys;
    private final FunctionsApi functions;
    private final InvokeApi invoke;
    private final FunctionUrlApi functionUrls;
    private final AsyncInvoker async;
    private final Supplier<Map<String, Object>> status;
    private final TelemetryApi telemetry;
    private final IncidentsApi incidents;
    private final MetricsEndpoint metrics;
    private final Runnable authFailed;
    private final DispatchGate dispatchGate;
    private final TelemetryBus bus;
    private final Server server;

    public Gateway(String host, int port, Clock clock, AccessKeyStore keys, boolean insecureLocal, FunctionRegistry registry,
                   CodeStore code, InstancePool pool, Dispatcher dispatcher, AsyncInvoker async, FunctionUrls urls,
                   Supplier<Map<String, Object>> status, WatchingPlane watching) {
        this.clock = clock;
        this.keys = keys;
        this.principals = new Principals(keys, clock, insecureLocal);
        this.functions = new FunctionsApi(json, registry, code, pool, dispatcher, clock);
        this.invoke = new InvokeApi(registry, dispatcher, async, clock);
        this.functionUrls = new FunctionUrlApi(json, urls, registry, invoke, keys, clock);
        this.async = async;
        this.status = status;
        this.telemetry = new TelemetryApi(watching.store(), watching.budgets(), watching.budgetWatcher(), clock);
        this.incidents = new IncidentsApi(watching.incidents());
        this.metrics = watching.metrics();
        this.authFailed = watching.authFailed();
        this.dispatchGate = dispatcher.gate();
        this.bus = watching.bus();
        this.server = HttpServers.start("gateway", host, port, MAX_BODY, this::serve);
    }

    public int port() { return HttpServers.address(server).getPort(); }

    private void serve(Exchange ex) {
        long receivedNanos = clock.monoNanos();
        long receivedMillis = clock.wallMillis();
        String requestId = Ids.requestId();
        try {
            String path = ex.rawPath();
            if (path.equals("/health") && ex.method().equals("GET")) {
                ObjectNode n = json.createObjectNode().put("status", "ok");
                n.set("details", json.valueToTree(status.get()));
                ex.sendJson(200, json.writeValueAsString(n));
                return;
            }
            if (path.equals(MetricsEndpoint.PATH) && ex.method().equals("GET")) {
                metrics.serve(ex);
                return;
            }
            if (path.startsWith(FunctionUrlApi.PREFIX)) {
                byte[] body = ex.bodyOrNull();
                if (body == null || body.length > InvokeApi.MAX_SYNC_PAYLOAD) {
                    throw new WispException(ErrorCode.REQUEST_TOO_LARGE, "Request must be smaller than " + InvokeApi.MAX_SYNC_PAYLOAD + " bytes");
                }
                functionUrls.serve(ex, path, body, requestId, receivedNanos, receivedMillis, principals::authenticate);
                return;
            }
            boolean isInvoke = path.endsWith("/invocations");
            byte[] body = ex.bodyOrNull();
            if (body == null || isInvoke && body.length > InvokeApi.MAX_SYNC_PAYLOAD) {
                throw new WispException(ErrorCode.REQUEST_TOO_LARGE, "Request must be smaller than "
                        + (isInvoke ? InvokeApi.MAX_SYNC_PAYLOAD : MAX_BODY) + " bytes for the "
                        + (isInvoke ? "InvokeFunction" : "requested") + " operation");
            }
            Principal who = principals.authenticate(ex, body);
            route(ex, who, path, body, requestId, receivedNanos, receivedMillis);
        } catch (WispException e) {
            if (e.code().httpStatus() == 403) authFailed.run(); // authentication or authorization refused
            if (e.code().fault() == ErrorCode.Fault.PLATFORM) LOG.warn("{} {} failed: {}", ex.method(), ex.rawPath(), e.getMessage(), e);
            ApiErrors.send(ex, e, requestId);
        } catch (RuntimeException | IOException e) {
            LOG.error("{} {} failed", ex.method(), ex.rawPath(), e);
            ApiErrors.send(ex, new WispException(ErrorCode.SERVICE, "Internal error: " + e.getClass().getSimpleName(), Map.of(), e), requestId);
        }
    }

    private void route(Exchange ex, Principal who, String rawPath, byte[] body, String requestId, long rn, long rm) throws IOException {
        String[] seg = segments(rawPath);
        Map<String, String> q = query(ex.rawQuery());
        String m = ex.method();
        String t = who.tenant();
        if (seg.length >= 2 && seg[1].equals("functions") && API_VERSION.matcher(seg[0]).matches()) {
            if (seg.length == 2) {
                switch (m) {
                    case "POST" -> { reply(ex, 201, functions.create(t, parse(body))); return; }
                    case "GET" -> { reply(ex, 200, functions.list(t, q.get("Marker"), maxItems(q))); return; }
                    default -> throw methodNotAllowed(m, rawPath);
                }
            }
            String rawName = seg[2];
            FunctionRef ref = FunctionRef.parse(rawName, t, q.get("Qualifier"));
            String op = seg.length > 3 ? seg[3] : "";
            switch (op + " " + m) {
                case " GET" -> reply(ex, 200, functions.get(t, ref.name(), ref.qualifier()));
                case " DELETE" -> {
                    functions.delete(t, ref.name(), ref.qualifier());
                    functionUrls.functionDeleted(t, ref);
                    ex.send(204, null, new byte[0], Map.of());
                }
                case "configuration GET" -> reply(ex, 200, functions.configuration(t, ref.name(), ref.qualifier()));
                case "configuration PUT" -> reply(ex, 200, functions.updateConfiguration(t, ref.name(), parse(body)));
                case "code PUT" -> reply(ex, 200, functions.updateCode(t, ref.name(), parse(body)));
                case "versions POST" -> reply(ex, 201, functions.publish(t, ref.name(), parse(body)));
                case "versions GET" -> reply(ex, 200, functions.versions(t, ref.name()));
                case "aliases POST" -> reply(ex, 201, functions.putAlias(t, ref.name(), null, parse(body), true));
                case "aliases GET" -> {
                    if (seg.length > 4) reply(ex, 200, functions.getAlias(t, ref.name(), seg[4]));
                    else reply(ex, 200, functions.listAliases(t, ref.name()));
                }
                case "aliases PUT" -> reply(ex, 200, functions.putAlias(t, ref.name(), seg[4], parse(body), false));
                case "aliases DELETE" -> { functions.deleteAlias(t, ref.name(), seg[4]); ex.send(204, null, new byte[0], Map.of()); }
                case "concurrency PUT" -> reply(ex, 200, functions.putConcurrency(t, ref.name(), parse(body)));
                case "concurrency GET" -> reply(ex, 200, functions.getConcurrency(t, ref.name()));
                case "concurrency DELETE" -> { functions.deleteConcurrency(t, ref.name()); ex.send(204, null, new byte[0], Map.of()); }
                case "provisioned-concurrency PUT" -> reply(ex, 202, functions.putProvisioned(t, ref.name(), ref.qualifier(), parse(body)));
                case "provisioned-concurrency GET" -> reply(ex, 200, functions.getProvisioned(t, ref.name(), ref.qualifier()));
                case "invocations POST" -> invoke.invoke(ex, who, ref, body, requestId, rn, rm);
                case "url POST" -> reply(ex, 201, functionUrls.create(t, ref, parse(body), baseUrl(ex)));
                case "url GET" -> reply(ex, 200, functionUrls.get(t, ref, baseUrl(ex)));
                case "url PUT" -> reply(ex, 200, functionUrls.update(t, ref, parse(body), baseUrl(ex)));
                case "url DELETE" -> { functionUrls.delete(t, ref); ex.send(204, null, new byte[0], Map.of()); }
                default -> throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Unknown operation " + m + " " + rawPath);
            }
            return;
        }
        if (seg.length == 3 && seg[1].equals("tags") && API_VERSION.matcher(seg[0]).matches()) {
            FunctionRef ref = FunctionRef.parse(seg[2], t, null);
            switch (m) {
                case "GET" -> reply(ex, 200, functions.listTags(t, ref.name()));
                case "POST" -> {
                    functions.changeTags(t, ref.name(), FunctionsApi.tags(parse(body).get("Tags")), List.of());
                    ex.send(204, null, new byte[0], Map.of());
                }
                case "DELETE" -> {
                    functions.changeTags(t, ref.name(), Map.of(), multi(ex.rawQuery(), "tagKeys"));
                    ex.send(204, null, new byte[0], Map.of());
                }
                default -> throw methodNotAllowed(m, rawPath);
            }
            return;
        }
        if (seg.length >= 2 && seg[0].equals("wisp")) {
            wispApi(ex, who, seg, body);
            return;
        }
        throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Unknown operation " + m + " " + rawPath);
    }

    /** Wisp's own operations: access keys, dead letters, telemetry, budgets and incidents. */
    private void wispApi(Exchange ex, Principal who, String[] seg, byte[] body) throws IOException {
        if (seg[1].equals("telemetry") || seg[1].equals("budgets")) {
            telemetry.serve(ex, who, seg, query(ex.rawQuery()), body);
            return;
        }
        if (seg[1].equals("incidents")) {
            incidents.serve(ex, who, seg, query(ex.rawQuery()));
            return;
        }
        if (seg[1].equals("faults")) {
            faults(ex, who, seg, body);
            return;
        }
        String op = seg[1] + " " + ex.method();
        switch (op) {
            case "keys POST" -> {
                if (!who.admin()) throw new WispException(ErrorCode.ACCESS_DENIED, "Only an admin key may create keys");
                JsonNode req = parse(body);
                AccessKeyStore.Created k = keys.create(req.path("tenant").asText(null), req.path("admin").asBoolean(false));
                reply(ex, 201, json.createObjectNode().put("tenant", k.tenant()).put("accessKeyId", k.accessKeyId())
                        .put("secretAccessKey", k.secretAccessKey()));
            }
            case "dead-letters GET" -> {
                if (seg.length == 2) {
                    ArrayNode arr = json.createArrayNode();
                    for (AsyncInvoker.DeadLetter d : async.deadLetters(who.tenant())) {
                        arr.add(json.createObjectNode().put("RequestId", d.id()).put("FunctionName", d.target().functionName())
                                .put("Qualifier", d.target().qualifier()).put("Attempts", d.target().attempts())
                                .put("LastError", d.target().lastError()).put("Created", d.created()).put("PayloadBytes", d.payloadBytes()));
                    }
                    reply(ex, 200, json.createObjectNode().set("DeadLetters", arr));
                    return;
                }
                throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Unknown operation");
            }
            case "dead-letters POST" -> {
                if (seg.length == 4 && seg[3].equals("replay")) {
                    async.replay(who.tenant(), seg[2]);
                    reply(ex, 202, json.createObjectNode().put("RequestId", seg[2]).put("Status", "requeued"));
                    return;
                }
                throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Unknown operation");
            }
            default -> throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Unknown operation " + ex.method() + " " + ex.rawPath());
        }
    }

    /**
     * Fault injection for drills and the bench, admin only. {@code /wisp/faults/dispatch-capacity}:
     * GET (state), POST {@code {"factor":f,"durationSeconds":d}} (cut dispatch capacity to f times
     * normal for d seconds), DELETE (end the cut now); see {@link DispatchGate}.
     * {@code /wisp/faults/telemetry-blackout}: GET, POST {@code {"durationSeconds":d}} (withhold
     * everything published from every telemetry subscriber for d seconds), DELETE (end it now).
     */
    private void faults(Exchange ex, Principal who, String[] seg, byte[] body) throws IOException {
        if (!who.admin()) throw new WispException(ErrorCode.ACCESS_DENIED, "Only an admin key may inject faults");
        String fault = seg.length == 3 ? seg[2] : "";
        Object state = switch (fault) {
            case "dispatch-capacity" -> switch (ex.method()) {
                case "GET" -> dispatchGate.state();
                case "DELETE" -> dispatchGate.restore();
                case "POST" -> {
                    JsonNode req = parse(body);
                    if (!req.path("factor").isNumber() || !req.path("durationSeconds").isNumber()) {
                        throw WispException.invalid("factor and durationSeconds must be numbers");
                    }
                    yield knob(() -> dispatchGate.collapse(req.get("factor").asDouble(), millis(req.get("durationSeconds"))));
                }
                default -> throw methodNotAllowed(ex.method(), ex.rawPath());
            };
            case "telemetry-blackout" -> switch (ex.method()) {
                case "GET" -> bus.blackout();
                case "DELETE" -> bus.endBlackout();
                case "POST" -> {
                    JsonNode req = parse(body);
                    if (!req.path("durationSeconds").isNumber()) throw WispException.invalid("durationSeconds must be a number");
                    yield knob(() -> bus.blackout(millis(req.get("durationSeconds"))));
                }
                default -> throw methodNotAllowed(ex.method(), ex.rawPath());
            };
            default -> throw new WispException(ErrorCode.NOT_FOUND_ROUTE,
                    "Use /wisp/faults/dispatch-capacity or /wisp/faults/telemetry-blackout");
        };
        reply(ex, 200, json.valueToTree(state));
    }

    private static long millis(JsonNode seconds) {
        return Math.round(seconds.asDouble() * 1000);
    }

    /** A knob's answer; a setting it refuses is the caller's mistake. */
    private static Object knob(Supplier<Object> turn) {
        try {
            return turn.get();
        } catch (IllegalArgumentException e) {
            throw WispException.invalid(e.getMessage());
        }
    }

    private String baseUrl(Exchange ex) {
        String host = ex.header("Host");
        return "http://" + (host == null ? "127.0.0.1:" + port() : host);
    }

    private void reply(Exchange ex, int status, JsonNode body) throws IOException {
        ex.sendJson(status, json.writeValueAsString(body));
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) return json.createObjectNode();
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) throw new IOException("expected a JSON object");
            return n;
        } catch (IOException e) {
            throw new WispException(ErrorCode.INVALID_REQUEST_CONTENT, "Could not parse request body into json: "
                    + e.getMessage().lines().findFirst().orElse("malformed JSON"));
        }
    }

    private static WispException methodNotAllowed(String m, String path) {
        return new WispException(ErrorCode.METHOD_NOT_ALLOWED, m + " is not allowed on " + path);
    }

    private static int maxItems(Map<String, String> q) {
        try {
            int n = Integer.parseInt(q.getOrDefault("MaxItems", "50"));
            if (n < 1 || n > 10_000) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw WispException.invalid("MaxItems must be between 1 and 10000");
        }
    }

    private static String[] segments(String rawPath) {
        String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        String[] parts = p.isEmpty() ? new String[0] : p.split("/");
        for (int i = 0; i < parts.length; i++) parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        return parts;
    }

    /** Every value of a repeated query parameter (e.g. UntagResource's tagKeys). */
    private static List<String> multi(String raw, String name) {
        List<String> out = new java.util.ArrayList<>();
        if (raw == null) return out;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                out.add(URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() { HttpServers.stop(server); }
}
