package dev.wisp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.controller.Completed;
import dev.wisp.controller.InvocationContext;
import dev.wisp.controller.registry.Arns;
import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.controller.registry.FunctionUrls;
import dev.wisp.controller.registry.UrlConfig;
import dev.wisp.gateway.auth.AccessKeyStore;
import dev.wisp.gateway.auth.Principal;
import dev.wisp.http.Exchange;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.telemetry.model.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpField;

/**
 * Function URLs, the HTTP trigger: {@code ANY /fn/{urlId}/{path...}} becomes an API Gateway HTTP
 * API (payload format 2.0) event, and the handler's answer becomes the HTTP response, so a handler
 * written for API Gateway or Lambda function URLs runs unchanged.
 */
final class FunctionUrlApi {
    static final String PREFIX = "/fn/";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private final ObjectMapper json;
    private final FunctionUrls urls;
    private final FunctionRegistry registry;
    private final InvokeApi invoke;
    private final AccessKeyStore keys;
    private final Clock clock;

    FunctionUrlApi(ObjectMapper json, FunctionUrls urls, FunctionRegistry registry, InvokeApi invoke, AccessKeyStore keys, Clock clock) {
        this.json = json;
        this.urls = urls;
        this.registry = registry;
        this.invoke = invoke;
        this.keys = keys;
        this.clock = clock;
    }

    // ---- configuration (Lambda's CreateFunctionUrlConfig and friends) ----

    JsonNode create(String tenant, FunctionRef ref, JsonNode body, String baseUrl) {
        registry.resolve(tenant, ref.name(), ref.qualifier());
        return render(urls.create(tenant, ref.name(), ref.qualifier(), body.path("AuthType").asText(null), clock.wallMillis()), baseUrl);
    }

    JsonNode get(String tenant, FunctionRef ref, String baseUrl) {
        return render(urls.require(tenant, ref.name(), ref.qualifier()), baseUrl);
    }

    JsonNode update(String tenant, FunctionRef ref, JsonNode body, String baseUrl) {
        return render(urls.update(tenant, ref.name(), ref.qualifier(), body.path("AuthType").asText(null), clock.wallMillis()), baseUrl);
    }

    void delete(String tenant, FunctionRef ref) { urls.delete(tenant, ref.name(), ref.qualifier()); }

    /** A deleted function takes its URLs with it. */
    void functionDeleted(String tenant, FunctionRef ref) {
        if (ref.qualifier() == null) urls.deleteAll(tenant, ref.name());
        else urls.of(tenant, ref.name(), ref.qualifier()).ifPresent(u -> urls.delete(tenant, ref.name(), ref.qualifier()));
    }

    private ObjectNode render(UrlConfig c, String baseUrl) {
        ObjectNode n = json.createObjectNode();
        n.put("FunctionUrl", baseUrl + PREFIX + c.urlId() + "/");
        n.put("FunctionArn", Arns.function(c.tenant(), c.functionName(), c.qualifier().isEmpty() ? null : c.qualifier()));
        n.put("AuthType", c.authType());
        n.put("CreationTime", ISO.format(Instant.ofEpochMilli(c.created())));
        n.put("LastModifiedTime", ISO.format(Instant.ofEpochMilli(c.lastModified())));
        n.put("InvokeMode", "BUFFERED");
        return n;
    }

    // ---- the trigger ----

    /**
     * Serves one HTTP request to a function URL.
     *
     * @param authenticate verifies the SigV4 signature for AWS_IAM URLs
     */
    void serve(Exchange ex, String rawPath, byte[] body, String requestId, long receivedNanos, long receivedMillis,
               BiFunction<Exchange, byte[], Principal> authenticate) throws IOException {
        String rest = rawPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String urlId = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        UrlConfig url = urls.byId(urlId).orElseThrow(() -> new WispException(ErrorCode.NOT_FOUND_ROUTE, "No function URL " + urlId));
        String source;
        if (url.authType().equals("AWS_IAM")) {
            Principal who = authenticate.apply(ex, body);
            if (!who.tenant().equals(url.tenant())) {
                throw new WispException(ErrorCode.ACCESS_DENIED, "Forbidden");
            }
            source = who.accessKeyId();
        } else {
            source = keys.keyedHash(ex.remoteAddress());
        }
        FunctionConfig f = registry.resolve(url.tenant(), url.functionName(), url.qualifier().isEmpty() ? null : url.qualifier());
        byte[] event = json.writeValueAsBytes(event(ex, urlId, path, body, requestId, receivedMillis));
        InvocationContext ctx = new InvocationContext(url.tenant(), requestId, Trigger.HTTP, source, null,
                InvokeApi.trace(ex), null, receivedNanos, receivedMillis);
        Completed c = invoke.run(f, ctx, event);
        if (c.result().outcome() instanceof InvocationOutcome.Success s) {
            respond(ex, s.payload(), requestId);
        } else {
            ex.sendJson(502, "{\"Message\":\"Internal Server Error\"}", Map.of("x-amzn-RequestId", requestId));
        }
    }

    private ObjectNode event(Exchange ex, String urlId, String path, byte[] body, String requestId, long now) {
        ObjectNode e = json.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", path);
        String query = ex.rawQuery();
        e.put("rawQueryString", query == null ? "" : query);
        ObjectNode headers = e.putObject("headers");
        var cookies = json.createArrayNode();
        for (HttpField h : ex.headers()) {
            String name = h.getLowerCaseName();
            if (name.equals("cookie")) {
                for (String c : h.getValue().split(";\\s*")) cookies.add(c);
                continue;
            }
            if (name.equals("authorization") || name.startsWith("x-amz-")) continue; // credentials stay in the gateway
            headers.put(name, headers.has(name) ? headers.get(name).asText() + "," + h.getValue() : h.getValue());
        }
        if (!cookies.isEmpty()) e.set("cookies", cookies);
        if (query != null && !query.isEmpty()) {
            ObjectNode qs = e.putObject("queryStringParameters");
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                qs.put(k, qs.has(k) ? qs.get(k).asText() + "," + v : v);
            }
        }
        ObjectNode rc = e.putObject("requestContext");
        rc.put("accountId", "anonymous");
        rc.put("apiId", urlId);
        rc.put("domainName", ex.header("Host") == null ? "127.0.0.1" : ex.header("Host"));
        rc.put("domainPrefix", urlId);
        ObjectNode http = rc.putObject("http");
        http.put("method", ex.method());
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", ex.remoteAddress());
        http.put("userAgent", ex.header("User-Agent") == null ? "" : ex.header("User-Agent"));
        rc.put("requestId", requestId);
        rc.put("routeKey", "$default");
        rc.put("stage", "$default");
        rc.put("time", REQUEST_TIME.format(Instant.ofEpochMilli(now)));
        rc.put("timeEpoch", now);
        boolean text = isText(ex.header("Content-Type"));
        if (body.length > 0) e.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
        e.put("isBase64Encoded", body.length > 0 && !text);
        return e;
    }

    private static boolean isText(String contentType) {
        if (contentType == null) return true;
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("text/") || ct.contains("json") || ct.contains("xml") || ct.contains("x-www-form-urlencoded")
                || ct.contains("javascript");
    }

    /**
     * A result with a statusCode is an HTTP response description; anything else is a JSON body
     * for a 200 (Lambda's inference rule for function URLs).
     */
    private void respond(Exchange ex, byte[] payload, String requestId) throws IOException {
        JsonNode r;
        try {
            r = json.readTree(payload);
        } catch (IOException notJson) {
            r = null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amzn-RequestId", requestId);
        if (r == null || !r.isObject() || !r.has("statusCode")) {
            ex.send(200, "application/json", payload, headers);
            return;
        }
        int status = r.path("statusCode").asInt(200);
        r.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        r.path("multiValueHeaders").fields().forEachRemaining(h -> {
            StringBuilder v = new StringBuilder();
            h.getValue().forEach(x -> v.append(v.isEmpty() ? "" : ",").append(x.asText()));
            headers.put(h.getKey(), v.toString());
        });
        String bodyText = r.path("body").isTextual() ? r.get("body").asText() : r.has("body") ? r.get("body").toString() : "";
        byte[] out = r.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(bodyText) : bodyText.getBytes(StandardCharsets.UTF_8);
        String contentType = null;
        for (var h : Map.copyOf(headers).entrySet()) {
            if (h.getKey().equalsIgnoreCase("content-type")) {
                contentType = h.getValue();
                headers.remove(h.getKey());
            }
        }
        if (r.has("cookies")) {
            r.get("cookies").forEach(c -> ex.response().getHeaders().add("Set-Cookie", c.asText()));
        }
        ex.send(status, contentType == null ? "application/json" : contentType, out, headers);
    }
}
