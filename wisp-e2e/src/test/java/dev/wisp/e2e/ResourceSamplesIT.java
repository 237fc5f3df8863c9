package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Once a second the server samples instances, the host and each function's instance counts. */
class ResourceSamplesIT {
    @TempDir Path data;

    @Test
    void aBusyInstanceShowsItsCpuAndTheFunctionItsBusyInstance() throws Exception {
        try (WispProcess wisp = WispProcess.start(data); LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("burn").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r").timeout(10)
                    .code(c -> c.zipFile(Zips.of("app.py", "import time\ndef handler(e, c):\n    end = time.time() + 2.5\n"
                            + "    n = 0\n    while time.time() < end:\n        n += 1\n    return n\n"))));
            lambda.invoke(r -> r.functionName("burn").payload(SdkBytes.fromUtf8String("{}")));
            JsonNode cpu = await(wisp, n -> "INSTANCE".equals(n.path("scope").asText()) && "burn".equals(n.path("functionName").asText())
                    && n.path("cpuMillicores").asDouble() > 300);
            assertTrue(cpu.path("rssBytes").asLong() > 1_000_000, cpu.toString());
            await(wisp, n -> "FUNCTION".equals(n.path("scope").asText()) && "burn".equals(n.path("functionName").asText())
                    && n.path("busy").asInt() == 1);
            JsonNode host = await(wisp, n -> "HOST".equals(n.path("scope").asText()));
            assertTrue(host.path("rssBytes").asLong() > 0, host.toString());
        }
    }

    private static JsonNode await(WispProcess wisp, Predicate<JsonNode> match) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JsonNode n : samples(wisp)) {
                if (match.test(n)) return n;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no matching resource sample in " + samples(wisp));
    }

    private static List<JsonNode> samples(WispProcess wisp) throws Exception {
        return TelemetryFiles.read(wisp, "resources");
    }
}
