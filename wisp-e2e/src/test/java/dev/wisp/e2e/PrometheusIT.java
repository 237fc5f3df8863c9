package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * A real Prometheus server scrapes {@code GET /metrics} with the bearer token the server keeps in
 * {@code <data>/metrics.token}, and its query API sees the invocations this test made.
 */
class PrometheusIT {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String FUNCTION = "prom-fn";
    private static final String JOB = "wisp";
    private static final int INVOCATIONS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path data;
    @TempDir static Path prometheusDir;
    static WispProcess wisp;
    static Process prometheus;
    static Path prometheusLog;

    @BeforeAll
    static void startAndInvoke() throws Exception {
        wisp = WispProcess.start(data);
        try (LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName(FUNCTION).runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", "def handler(event, context):\n    return {'ok': True}\n"))));
            for (int i = 0; i < INVOCATIONS; i++) {
                InvokeResponse r = lambda.invoke(b -> b.functionName(FUNCTION).payload(SdkBytes.fromUtf8String("{}")));
                assertNull(r.functionError(), r.payload().asUtf8String());
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) prometheus.destroyForcibly().waitFor();
        }
        if (wisp != null) wisp.close();
    }

    @Test
    void tokenFileIsOneLineOfHexOnlyTheOwnerCanRead() throws IOException {
        Path file = tokenFile();
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), "one line");
        assertTrue(lines.getFirst().trim().matches("[0-9a-fA-F]{32,}"), "at least 128 bits of hex: " + lines.getFirst());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void scrapeWithoutTheTokenIsRefusedWithAnAwsStyleError() throws Exception {
        String token = token();
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + token + "0", "Basic " + token, token}) {
            HttpResponse<String> r = scrape(authorization);
            assertTrue(r.statusCode() == 401 || r.statusCode() == 403, authorization + " -> " + r.statusCode() + " " + r.body());
            JsonNode error = JSON.readTree(r.body());
            assertFalse(error.path("message").asText().isEmpty(), r.body());
            assertTrue(r.headers().firstValue("x-amzn-ErrorType").isPresent(), r.headers().toString());
            assertFalse(r.body().contains("wisp_invocations_total"), r.body());
        }
    }

    @Test
    void scrapeWithTheTokenIsPrometheusTextWithTheInvocations() throws Exception {
        String auth = "Bearer " + token();
        HttpResponse<String> last = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            last = scrape(auth);
            if (last.statusCode() == 200 && invocations(last.body()) == INVOCATIONS) break;
            Thread.sleep(200);
        }
        assertEquals(200, last.statusCode(), last.body());
        assertTrue(last.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), last.headers().toString());
        assertEquals(INVOCATIONS, invocations(last.body()), last.body());
        assertTrue(last.body().contains("# TYPE wisp_invocation_duration_seconds histogram"), last.body());
        assertTrue(last.body().contains("jvm_memory_used_bytes"), last.body());
        // Wisp's own health: nothing lost on the way to the store
        assertTrue(last.body().contains("\nwisp_store_dropped 0.0"), last.body());
        assertTrue(last.body().contains("\nwisp_telemetry_dropped{subscriber=\"store\"} 0.0"), last.body());
    }

    @Test
    void prometheusScrapesTheInvocationCount() throws Exception {
        assertTrue(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is missing: apt-get install prometheus");
        int port = freePort();
        startPrometheus(port);
        try {
            awaitQuery(port, "sum(wisp_invocations_total{function=\"" + FUNCTION + "\"})", INVOCATIONS);
            awaitQuery(port, "up{job=\"" + JOB + "\"}", 1);
            // the histogram came through the real parser too
            awaitQuery(port, "sum(wisp_invocation_duration_seconds_count{function=\"" + FUNCTION + "\"})", INVOCATIONS);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\n--- scrape target ---\n" + targetHealth(port)
                    + "\n--- prometheus log ---\n" + prometheusLog(), e);
        }
    }

    /** Prometheus's own account of the last scrape (health and error, e.g. a 401), for a failure message. */
    private static String targetHealth(int port) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/targets"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            StringBuilder out = new StringBuilder();
            for (JsonNode t : JSON.readTree(r.body()).path("data").path("activeTargets")) {
                out.append(t.path("scrapeUrl").asText()).append(" health=").append(t.path("health").asText())
                        .append(" lastError=").append(t.path("lastError").asText()).append('\n');
            }
            return out.toString();
        } catch (Exception e) {
            return "(unavailable: " + e + ")";
        }
    }

    private static void startPrometheus(int port) throws IOException {
        Path config = prometheusDir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: %s
                    metrics_path: /metrics
                    authorization:
                      type: Bearer
                      credentials_file: %s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(JOB, tokenFile().toAbsolutePath(), wisp.endpoint.getPort()));
        prometheusLog = prometheusDir.resolve("prometheus.log");
        // output goes to a file: an unread pipe would block Prometheus once it filled up
        prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + prometheusDir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start();
    }

    /** Polls the query API until the single result equals {@code expected}; Prometheus needs a few scrapes. */
    private static void awaitQuery(int port, String query, double expected) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        String last = "no answer";
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) throw new AssertionError("prometheus exited with " + prometheus.exitValue());
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                JsonNode result = r.statusCode() == 200 ? JSON.readTree(r.body()).path("data").path("result") : null;
                if (result != null && result.size() == 1 && result.get(0).path("value").get(1).asDouble() == expected) return;
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError(query + " did not reach " + expected + " in " + TIMEOUT + "; last answer: " + last);
    }

    private static HttpResponse<String> scrape(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(wisp.endpoint.resolve("/metrics")).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of the function's {@code wisp_invocations_total} series in a text-format scrape. */
    private static double invocations(String text) {
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("wisp_invocations_total{") && line.contains("function=\"" + FUNCTION + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf('}') + 1).trim().split(" ")[0]);
            }
        }
        return sum;
    }

    private static Path tokenFile() {
        return data.resolve("metrics.token");
    }

    private static String token() throws IOException {
        return Files.readString(tokenFile()).trim();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String prometheusLog() {
        try {
            return prometheusLog == null ? "(not started)" : Files.readString(prometheusLog);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
