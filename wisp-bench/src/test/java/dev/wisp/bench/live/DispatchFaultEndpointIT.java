package dev.wisp.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wisp.server.ServerConfig;
import dev.wisp.server.WispServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-injection endpoints on a real server, {@code /wisp/faults/dispatch-capacity} and
 * {@code /wisp/faults/telemetry-blackout}: admin keys only, AWS-style errors for everyone else.
 * (The capacity cut's effect on waitMs is in {@link LiveRunIT}; the blackout's use is
 * {@code bench/telemetry-cost.sh}.)
 */
class DispatchFaultEndpointIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyAnAdminKeyMayCutDispatchCapacity(@TempDir Path dir) throws Exception {
        try (WispServer server = new WispServer(ServerConfig.defaults(dir.resolve("data"), 0))) {
            WispEndpoint endpoint = WispEndpoint.ofLocal(server);
            URI base = endpoint.uri();
            URI faults = base.resolve(WispEndpoint.DISPATCH_CAPACITY);
            String cut = "{\"factor\":0.5,\"durationSeconds\":30}";

            assertAdminOnly(endpoint, endpoint.createKey("team-a"), faults, cut);
            // no signature at all
            HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(faults)
                    .POST(HttpRequest.BodyPublishers.ofString(cut)).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(403, unsigned.statusCode(), unsigned.body());
            assertTrue(JSON.readTree(unsigned.body()).has("message"), unsigned.body());
            assertFalse(JSON.readTree(endpoint.send(endpoint.admin(), "GET", faults, "", Duration.ofSeconds(10)).body())
                    .path("active").asBoolean(), "nothing was cut");

            // the admin key: bad arguments are refused, a good cut is in force until restored
            HttpResponse<String> bad = endpoint.send(endpoint.admin(), "POST", faults, "{\"factor\":0,\"durationSeconds\":30}",
                    Duration.ofSeconds(10));
            assertEquals(400, bad.statusCode(), bad.body());
            assertTrue(JSON.readTree(bad.body()).path("message").asText().contains("factor"), bad.body());
            JsonNode state = JSON.readTree(endpoint.collapseDispatch(0.5, 30_000));
            assertTrue(state.path("active").asBoolean(), state.toString());
            assertEquals(0.5, state.path("factor").asDouble());
            assertEquals(0.75, state.path("capacityPerSecond").asDouble(), 1e-9, "half of 1.5 x (at least) one arrival a second");
            assertTrue(JSON.readTree(endpoint.send(endpoint.admin(), "GET", faults, "", Duration.ofSeconds(10)).body())
                    .path("active").asBoolean());
            assertFalse(JSON.readTree(endpoint.restoreDispatch()).path("active").asBoolean());
        }
    }

    @Test
    void aTelemetryBlackoutWithholdsTelemetryUntilItEnds(@TempDir Path dir) throws Exception {
        try (WispServer server = new WispServer(ServerConfig.defaults(dir.resolve("data"), 0))) {
            WispEndpoint endpoint = WispEndpoint.ofLocal(server);
            URI base = endpoint.uri();
            URI blackout = base.resolve("/wisp/faults/telemetry-blackout");
            assertAdminOnly(endpoint, endpoint.createKey("team-a"), blackout, "{\"durationSeconds\":30}");

            HttpResponse<String> bad = endpoint.send(endpoint.admin(), "POST", blackout, "{\"durationSeconds\":0}", Duration.ofSeconds(10));
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("InvalidParameterValueException", bad.headers().firstValue("x-amzn-ErrorType").orElse("").split(":")[0]);
            HttpResponse<String> unknown = endpoint.send(endpoint.admin(), "POST", base.resolve("/wisp/faults/nope"), "{}", Duration.ofSeconds(10));
            assertEquals(404, unknown.statusCode(), unknown.body());

            JsonNode on = JSON.readTree(endpoint.send(endpoint.admin(), "POST", blackout, "{\"durationSeconds\":30}",
                    Duration.ofSeconds(10)).body());
            assertTrue(on.path("active").asBoolean(), on.toString());
            assertTrue(on.path("remainingMillis").asLong() > 25_000, on.toString());
            // the resource sampler publishes every second: within a few seconds something is withheld
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            JsonNode state;
            do {
                Thread.sleep(200);
                state = JSON.readTree(endpoint.send(endpoint.admin(), "GET", blackout, "", Duration.ofSeconds(10)).body());
            } while (state.path("withheld").asLong() == 0 && System.nanoTime() < deadline);
            assertTrue(state.path("active").asBoolean(), state.toString());
            assertTrue(state.path("withheld").asLong() > 0, state.toString());

            JsonNode off = JSON.readTree(endpoint.send(endpoint.admin(), "DELETE", blackout, "", Duration.ofSeconds(10)).body());
            assertFalse(off.path("active").asBoolean(), off.toString());
            assertEquals(0, off.path("remainingMillis").asLong(), off.toString());
        }
    }

    /** A tenant's key is refused on every method, with AccessDeniedException in AWS's error shape. */
    private static void assertAdminOnly(WispEndpoint endpoint, WispEndpoint.Key tenant, URI uri, String postBody) throws Exception {
        for (String method : new String[] {"POST", "GET", "DELETE"}) {
            HttpResponse<String> r = endpoint.send(tenant, method, uri, method.equals("POST") ? postBody : "", Duration.ofSeconds(10));
            assertEquals(403, r.statusCode(), method + ": " + r.body());
            assertEquals("AccessDeniedException", r.headers().firstValue("x-amzn-ErrorType").orElse("").split(":")[0], r.headers().toString());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("User", body.path("Type").asText(), r.body());
            assertTrue(body.path("message").asText().contains("admin"), r.body());
        }
    }
}
