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
 * The controller's dispatch-capacity fault-injection endpoint ({@code /wisp/faults/dispatch-capacity})
 * on a real server: admin keys only, AWS-style errors for everyone else. (Its effect on waitMs is in
 * {@link LiveRunIT}.)
 */
class DispatchFaultEndpointIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onlyAnAdminKeyMayCutDispatchCapacity(@TempDir Path dir) throws Exception {
        try (WispServer server = new WispServer(ServerConfig.defaults(dir.resolve("data"), 0))) {
            var a = server.firstAdminKey().orElseThrow();
            URI base = URI.create("http://127.0.0.1:" + server.port() + "/");
            WispEndpoint endpoint = new WispEndpoint(base, new WispEndpoint.Key(a.tenant(), a.accessKeyId(), a.secretAccessKey()));
            URI faults = base.resolve(WispEndpoint.DISPATCH_CAPACITY);
            String cut = "{\"factor\":0.5,\"durationSeconds\":30}";

            // a tenant's key: AccessDeniedException, in AWS's error shape
            WispEndpoint.Key tenant = endpoint.createKey("team-a");
            for (String method : new String[] {"POST", "GET", "DELETE"}) {
                HttpResponse<String> r = endpoint.send(tenant, method, faults, method.equals("POST") ? cut : "", Duration.ofSeconds(10));
                assertEquals(403, r.statusCode(), method + ": " + r.body());
                assertEquals("AccessDeniedException", r.headers().firstValue("x-amzn-ErrorType").orElse("").split(":")[0], r.headers().toString());
                JsonNode body = JSON.readTree(r.body());
                assertEquals("User", body.path("Type").asText(), r.body());
                assertTrue(body.path("message").asText().contains("admin"), r.body());
            }
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
}
