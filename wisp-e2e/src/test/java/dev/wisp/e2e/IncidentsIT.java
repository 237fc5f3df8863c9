package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The incidents API of a real `wisp serve` with live detection on: signed like the rest, tenant
 * scoped, and answered by `wisp incidents` too.
 */
class IncidentsIT {
    @TempDir Path data;

    @Test
    void theIncidentsApiIsSignedAndTenantScoped() throws Exception {
        Path siem = data.resolve("siem.jsonl");
        try (WispProcess wisp = WispProcess.start(data, "--incident-log", siem.toString())) {
            assertTrue(wisp.output.stream().anyMatch(l -> l.startsWith("detection: on")), () -> String.join("\n", wisp.output));
            WispProcess.Key tenant = Keys.create(wisp, "team-a");

            HttpResponse<String> list = HttpSigned.raw(wisp, tenant, SdkHttpMethod.GET, "/wisp/incidents?state=open", "");
            assertEquals(200, list.statusCode(), list.body());
            JsonNode body = new ObjectMapper().readTree(list.body());
            assertTrue(body.isArray() && body.isEmpty(), list.body());

            HttpResponse<String> unsigned = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(wisp.endpoint.resolve("/wisp/incidents")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, unsigned.statusCode(), unsigned.body());

            HttpResponse<String> missing = HttpSigned.raw(wisp, tenant, SdkHttpMethod.GET, "/wisp/incidents/inc-999999", "");
            assertEquals(404, missing.statusCode(), missing.body());
            HttpResponse<String> otherTenant = HttpSigned.raw(wisp, tenant, SdkHttpMethod.GET, "/wisp/incidents?tenant=team-b", "");
            assertEquals(403, otherTenant.statusCode(), otherTenant.body());
            HttpResponse<String> badState = HttpSigned.raw(wisp, wisp.adminKey(), SdkHttpMethod.GET, "/wisp/incidents?state=maybe", "");
            assertEquals(400, badState.statusCode(), badState.body());

            // the CLI, with the tenant's key from the environment
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.wisp.cli.WispCli", "incidents", "--endpoint", wisp.endpoint.toString()))
                    .redirectErrorStream(true);
            pb.environment().put("AWS_ACCESS_KEY_ID", tenant.accessKeyId());
            pb.environment().put("AWS_SECRET_ACCESS_KEY", tenant.secret());
            pb.environment().put("AWS_REGION", "us-east-1");
            Process table = pb.start();
            String printed = new String(table.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, table.waitFor(), printed);
            assertTrue(printed.startsWith("ID") && printed.contains("EXPLANATION"), printed);
            assertTrue(Files.exists(data.resolve("incidents.jsonl")), "the incident journal is created on start");
        }
    }
}
