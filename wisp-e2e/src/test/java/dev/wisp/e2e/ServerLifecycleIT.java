package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** What must survive a restart, and what must not survive the server. */
class ServerLifecycleIT {

    @TempDir Path data;

    @Test
    void restartKeepsFunctionsAndPendingEvents() throws Exception {
        WispProcess.Key admin;
        String eventId;
        try (WispProcess first = WispProcess.start(data); LambdaClient lambda = first.lambda()) {
            admin = first.adminKey();
            lambda.createFunction(r -> r.functionName("durable").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", "def handler(e, c):\n    print('processed', e)\n    return e\n"))));
            // throttle everything, so the event stays queued (retrying) when the server dies
            lambda.putFunctionConcurrency(r -> r.functionName("durable").reservedConcurrentExecutions(0));
            eventId = lambda.invoke(r -> r.functionName("durable").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{\"order\":42}"))).responseMetadata().requestId();
            first.kill();
        }
        try (WispProcess second = WispProcess.start(data, admin); LambdaClient lambda = second.lambda()) {
            assertFalse(second.output.stream().anyMatch(l -> l.startsWith("admin key:")), "the admin key is printed only once");
            assertEquals("durable", lambda.getFunction(r -> r.functionName("durable")).configuration().functionName());
            lambda.deleteFunctionConcurrency(r -> r.functionName("durable"));
            JsonNode record = awaitInvocation(second, eventId, "success", Duration.ofSeconds(20));
            assertEquals("event", record.get("trigger").asText());
        }
    }

    @Test
    void failingEventsEndAsDeadLettersThatCanBeReplayed() throws Exception {
        try (WispProcess wisp = WispProcess.start(data); LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("flaky").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .environment(e -> e.variables(java.util.Map.of("FAIL", "1")))
                    .code(c -> c.zipFile(Zips.of("app.py", "import os\ndef handler(e, c):\n    if os.environ.get('FAIL'): raise RuntimeError('down')\n    return 'ok'\n"))));
            String id = lambda.invoke(r -> r.functionName("flaky").invocationType(InvocationType.EVENT)
                    .payload(SdkBytes.fromUtf8String("{}"))).responseMetadata().requestId();
            JsonNode dead = awaitDeadLetter(wisp, id, Duration.ofSeconds(30));
            assertEquals(3, dead.get("Attempts").asInt(), "first try and two retries");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (countInvocations(wisp, id) < 3 && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(3, countInvocations(wisp, id), "three attempts recorded");
            lambda.updateFunctionConfiguration(r -> r.functionName("flaky").environment(e -> e.variables(java.util.Map.of())));
            HttpSigned.post(wisp, "/wisp/dead-letters/" + id + "/replay", "");
            awaitInvocation(wisp, id, "success", Duration.ofSeconds(20));
            assertTrue(HttpSigned.get(wisp, "/wisp/dead-letters").get("DeadLetters").isEmpty());
        }
    }

    @Test
    void aRelativeDataDirectoryWorks() throws Exception {
        try (WispProcess wisp = WispProcess.start(data, data.resolve("state"), "state", null); LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("rel").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", "def handler(e, c):\n    return 'ok'\n"))));
            var r = lambda.invoke(b -> b.functionName("rel"));
            assertEquals(null, r.functionError(), r.payload().asUtf8String());
            assertTrue(Files.isDirectory(data.resolve("state").resolve("code")));
        }
    }

    @Test
    void killingTheServerLeavesNoInstanceBehind() throws Exception {
        WispProcess wisp = WispProcess.start(data);
        try (LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("sleepy").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", "import subprocess\ndef handler(e, c):\n    subprocess.Popen(['sleep', '300'])\n    return 1\n"))));
            lambda.createFunction(r -> r.functionName("sleepy-node").runtime(Runtime.NODEJS20_X).handler("index.handler").role("r")
                    .code(c -> c.zipFile(Zips.example("node-hello"))));
            lambda.invoke(r -> r.functionName("sleepy"));
            lambda.invoke(r -> r.functionName("sleepy-node"));
        }
        long serverPid = wisp.pid();
        assertTrue(processesOf(serverPid, data).size() >= 3, "two instances and a grandchild run before the kill: "
                + processesOf(serverPid, data));
        wisp.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left = processesOf(serverPid, data);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = processesOf(serverPid, data);
        }
        assertTrue(left.isEmpty(), "left behind: " + left);
    }

    /**
     * Processes of a server's instances, grandchildren included: in its instance cgroup
     * ({@code wisp-PID}), or with the data directory on their command line (the sandbox's).
     */
    static List<String> processesOf(long serverPid, Path data) throws IOException {
        String marker = data.toString();
        String cgroup = "/wisp-" + serverPid + "/";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).filter(p -> {
                try {
                    String env = Files.readString(p.resolve("cgroup"));
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    return (env.contains(cgroup) || cmd.contains(marker)) && !cmd.contains("dev.wisp.cli.WispCli") || zombie && cmd.contains(marker);
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> p.getFileName() + ":" + readCmd(p)).toList();
        }
    }

    private static String readCmd(Path p) {
        try {
            return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "?";
        }
    }

    private static JsonNode awaitInvocation(WispProcess wisp, String requestId, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode n : invocations(wisp)) {
                if (n.get("requestId").asText().startsWith(requestId) && status.equals(n.get("status").asText())) return n;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + status + " invocation " + requestId + " in " + invocations(wisp));
    }

    private static long countInvocations(WispProcess wisp, String requestId) throws Exception {
        return invocations(wisp).stream().filter(n -> n.get("requestId").asText().startsWith(requestId)).count();
    }

    private static List<JsonNode> invocations(WispProcess wisp) throws Exception {
        return TelemetryFiles.read(wisp, "invocations").stream().filter(n -> n.has("requestId")).toList();
    }

    private static JsonNode awaitDeadLetter(WispProcess wisp, String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode d : HttpSigned.get(wisp, "/wisp/dead-letters").get("DeadLetters")) {
                if (d.get("RequestId").asText().equals(id)) return d;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("event " + id + " never became a dead letter");
    }
}
