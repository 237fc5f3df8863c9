package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * What a function can see and touch from inside its instance, both when started for it and when
 * a prewarmed stem cell was specialised for it.
 */
class IsolationIT {
    private static final String PROBE = """
            import os, json
            def can(f):
                try:
                    f()
                    return True
                except Exception:
                    return False
            def handler(event, context):
                data = event["data"]
                root = os.environ["LAMBDA_TASK_ROOT"]
                return {
                    "uid": os.getuid(),
                    "pid": os.getpid(),
                    "task": root,
                    "codeWritable": can(lambda: open(os.path.join(root, "x"), "w").write("x")),
                    "tmpWritable": can(lambda: open("/tmp/probe", "w").write("x")),
                    "dataListing": sorted(os.listdir(data)) if os.path.isdir(data) else None,
                    "registryReadable": can(lambda: open(os.path.join(data, "registry.mv.db"), "rb").read(1)),
                    "hostTmpVisible": os.path.exists(event["hostMarker"]),
                    "greeting": os.environ.get("GREETING"),
                    "files": sorted(os.listdir(root)),
                }
            """;

    @TempDir Path data;
    @TempDir Path hostTmp;

    /** Both ways of building the sandbox: the native helper, and the sandbox.sh fallback. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"NAMESPACES", "NAMESPACES_SCRIPT"})
    void functionsSeeOnlyTheirOwnCodeReadOnlyAndAPrivateTmp(String isolation) throws Exception {
        Path marker = Files.writeString(hostTmp.resolve("host-marker"), "x");
        try (WispProcess wisp = WispProcess.start(data, "--isolation", isolation); LambdaClient lambda = wisp.lambda()) {
            String expected = isolation.equals("NAMESPACES") ? "native sandbox" : "sandbox.sh";
            assertTrue(wisp.output.stream().anyMatch(l -> l.startsWith("instances:") && l.contains(expected)), wisp.output.toString());
            lambda.createFunction(r -> r.functionName("probe").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", PROBE))));
            String event = "{\"data\":\"" + data + "\",\"hostMarker\":\"" + marker + "\"}";
            JsonNode fresh = call(lambda, event);
            // the first cold start refilled the prewarm pool; a new configuration needs a new instance
            lambda.updateFunctionConfiguration(r -> r.functionName("probe").environment(e -> e.variables(Map.of("GREETING", "stem"))));
            Thread.sleep(1500);
            JsonNode specialised = call(lambda, event);
            assertEquals("stem", specialised.get("greeting").asText(), "the stem cell adopted the function's environment");
            for (JsonNode n : new JsonNode[] {fresh, specialised}) {
                assertEquals(65534, n.get("uid").asInt(), "runs as nobody: " + n);
                assertTrue(n.get("pid").asInt() < 50, "own pid namespace: " + n);
                assertFalse(n.get("codeWritable").asBoolean(), "code is read-only: " + n);
                assertTrue(n.get("tmpWritable").asBoolean(), "/tmp is writable: " + n);
                assertTrue(n.get("dataListing").isNull() || n.get("dataListing").isEmpty(), "the data directory is hidden: " + n);
                assertFalse(n.get("registryReadable").asBoolean(), n.toString());
                assertFalse(n.get("hostTmpVisible").asBoolean(), "the host's /tmp is not the instance's: " + n);
                assertTrue(n.get("files").toString().contains("app.py"), n.toString());
            }
        }
    }

    /** The network switch: a function tagged wisp:network=none reaches its Runtime API and nothing else. */
    @Test
    void networkTagCutsAFunctionOffTheNetwork() throws Exception {
        String probe = """
                import socket
                def handler(event, context):
                    try:
                        socket.create_connection(("127.0.0.1", event["port"]), timeout=2).close()
                        return "reachable"
                    except OSError as e:
                        return "unreachable"
                """;
        try (WispProcess wisp = WispProcess.start(data); LambdaClient lambda = wisp.lambda()) {
            String event = "{\"port\":" + wisp.endpoint.getPort() + "}";
            lambda.createFunction(r -> r.functionName("open").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", probe))));
            lambda.createFunction(r -> r.functionName("sealed").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .tags(Map.of("wisp:network", "none")).code(c -> c.zipFile(Zips.of("app.py", probe))));
            assertEquals("\"reachable\"", invoke(lambda, "open", event), "outbound is allowed by default");
            assertEquals("\"unreachable\"", invoke(lambda, "sealed", event));
            assertEquals("\"unreachable\"", invoke(lambda, "sealed", event), "and again on the warm instance");

            String arn = lambda.getFunction(r -> r.functionName("open")).configuration().functionArn();
            lambda.tagResource(r -> r.resource(arn).tags(Map.of("wisp:network", "none")));
            assertEquals("none", lambda.listTags(r -> r.resource(arn)).tags().get("wisp:network"));
            assertEquals("\"unreachable\"", invoke(lambda, "open", event), "the switch applies to new instances at once");
            lambda.untagResource(r -> r.resource(arn).tagKeys("wisp:network"));
            assertEquals("\"reachable\"", invoke(lambda, "open", event));
        }
    }

    private static String invoke(LambdaClient lambda, String name, String event) {
        var r = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(event)));
        assertEquals(null, r.functionError(), r.payload().asUtf8String());
        return r.payload().asUtf8String();
    }

    private static JsonNode call(LambdaClient lambda, String event) throws Exception {
        var r = lambda.invoke(b -> b.functionName("probe").payload(SdkBytes.fromUtf8String(event)));
        assertEquals(null, r.functionError(), r.payload().asUtf8String());
        return new ObjectMapper().readTree(r.payload().asByteArray());
    }
}
