package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateFunctionResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.RequestTooLargeException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/** The AWS SDK for Java v2 LambdaClient against a real Wisp server, as a user would drive it. */
class LambdaSdkIT {
    private static final String ENV_FN = """
            import os
            def handler(event, context):
                return {"greeting": os.environ.get("GREETING"), "memory": os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
                        "version": context.function_version, "event": event}
            """;

    @TempDir static Path data;
    static WispProcess wisp;
    static LambdaClient lambda;

    @BeforeAll
    static void start() throws Exception {
        wisp = WispProcess.start(data);
        lambda = wisp.lambda();
    }

    @AfterAll
    static void stop() {
        lambda.close();
        wisp.close();
    }

    static CreateFunctionResponse createPython(String name, String source, int timeout, int memory) {
        return lambda.createFunction(r -> r.functionName(name).runtime(Runtime.PYTHON3_12).handler("app.handler")
                .role("arn:aws:iam::000000000000:role/test").timeout(timeout).memorySize(memory)
                .code(c -> c.zipFile(Zips.of("app.py", source))));
    }

    static InvokeResponse invoke(String name, String payload) {
        return lambda.invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    @Test
    void createsReadsUpdatesAndInvokes() {
        CreateFunctionResponse created = createPython("env-fn", ENV_FN, 3, 128);
        assertEquals("env-fn", created.functionName());
        assertEquals("$LATEST", created.version());
        assertTrue(created.functionArn().endsWith(":function:env-fn"));

        GetFunctionResponse got = lambda.getFunction(r -> r.functionName("env-fn"));
        assertEquals(created.codeSha256(), got.configuration().codeSha256());
        assertEquals("app.handler", lambda.getFunctionConfiguration(r -> r.functionName("env-fn")).handler());
        assertTrue(lambda.listFunctions().functions().stream().anyMatch(f -> f.functionName().equals("env-fn")));

        InvokeResponse first = invoke("env-fn", "{\"n\":1}");
        assertEquals(200, first.statusCode());
        assertNull(first.functionError());
        assertEquals("$LATEST", first.executedVersion());
        assertTrue(first.payload().asUtf8String().contains("\"event\": {\"n\": 1}"), first.payload().asUtf8String());

        lambda.updateFunctionConfiguration(r -> r.functionName("env-fn").memorySize(256)
                .environment(e -> e.variables(Map.of("GREETING", "hej"))));
        String after = invoke("env-fn", "{}").payload().asUtf8String();
        assertTrue(after.contains("\"greeting\": \"hej\""), after);
        assertTrue(after.contains("\"memory\": \"256\""), after);
    }

    @Test
    void tailReturnsTheLogWithReportLine() {
        createPython("tail-fn", "def handler(e, c):\n    print('line from the function')\n    return 1\n", 3, 128);
        InvokeResponse r = lambda.invoke(b -> b.functionName("tail-fn").logType(LogType.TAIL).payload(SdkBytes.fromUtf8String("{}")));
        String log = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
        assertTrue(log.contains("line from the function"), log);
        assertTrue(log.contains("REPORT RequestId: "), log);
        assertTrue(log.contains("Init Duration: "), "first call is cold: " + log);
        assertTrue(log.length() <= 4096);
    }

    @Test
    void eventAndDryRunInvocations() {
        createPython("async-fn", "def handler(e, c):\n    return e\n", 3, 128);
        InvokeResponse event = lambda.invoke(r -> r.functionName("async-fn").invocationType(InvocationType.EVENT)
                .payload(SdkBytes.fromUtf8String("{}")));
        assertEquals(202, event.statusCode());
        InvokeResponse dry = lambda.invoke(r -> r.functionName("async-fn").invocationType(InvocationType.DRY_RUN)
                .payload(SdkBytes.fromUtf8String("{}")));
        assertEquals(204, dry.statusCode());
    }

    @Test
    void versionsAndAliases() {
        createPython("ver-fn", ENV_FN, 3, 128);
        String v1 = lambda.publishVersion(r -> r.functionName("ver-fn")).version();
        assertEquals("1", v1);
        assertEquals("1", lambda.publishVersion(r -> r.functionName("ver-fn")).version(), "unchanged $LATEST publishes nothing new");
        lambda.updateFunctionConfiguration(r -> r.functionName("ver-fn").environment(e -> e.variables(Map.of("GREETING", "v2"))));
        assertEquals("2", lambda.publishVersion(r -> r.functionName("ver-fn")).version());
        assertEquals(3, lambda.listVersionsByFunction(r -> r.functionName("ver-fn")).versions().size());

        lambda.createAlias(r -> r.functionName("ver-fn").name("live").functionVersion("1"));
        InvokeResponse viaAlias = lambda.invoke(r -> r.functionName("ver-fn").qualifier("live").payload(SdkBytes.fromUtf8String("{}")));
        assertEquals("1", viaAlias.executedVersion());
        assertTrue(viaAlias.payload().asUtf8String().contains("\"greeting\": null"));
        InvokeResponse viaColon = lambda.invoke(r -> r.functionName("ver-fn:live").payload(SdkBytes.fromUtf8String("{}")));
        assertEquals("1", viaColon.executedVersion());

        lambda.updateAlias(r -> r.functionName("ver-fn").name("live").functionVersion("2"));
        assertEquals("2", lambda.getAlias(r -> r.functionName("ver-fn").name("live")).functionVersion());
        InvokeResponse moved = lambda.invoke(r -> r.functionName("ver-fn").qualifier("live").payload(SdkBytes.fromUtf8String("{}")));
        assertTrue(moved.payload().asUtf8String().contains("\"greeting\": \"v2\""));
        assertThrows(ResourceConflictException.class, () -> lambda.deleteFunction(r -> r.functionName("ver-fn").qualifier("2")));
        lambda.deleteAlias(r -> r.functionName("ver-fn").name("live"));
        assertThrows(ResourceNotFoundException.class, () -> lambda.getAlias(r -> r.functionName("ver-fn").name("live")));
    }

    @Test
    void provisionedConcurrencyServesTheFirstCallWarm() throws InterruptedException {
        createPython("prov-fn", "def handler(e, c):\n    return 'warm'\n", 3, 128);
        lambda.publishVersion(r -> r.functionName("prov-fn"));
        lambda.putProvisionedConcurrencyConfig(r -> r.functionName("prov-fn").qualifier("1").provisionedConcurrentExecutions(2));
        // provisioned instances initialise in the background, as on Lambda: wait for READY
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (lambda.getProvisionedConcurrencyConfig(r -> r.functionName("prov-fn").qualifier("1")).status()
                != software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum.READY) {
            assertTrue(System.nanoTime() < deadline, "provisioned concurrency never became READY");
            Thread.sleep(50);
        }
        assertEquals(2, lambda.getProvisionedConcurrencyConfig(r -> r.functionName("prov-fn").qualifier("1"))
                .allocatedProvisionedConcurrentExecutions());
        InvokeResponse r = lambda.invoke(b -> b.functionName("prov-fn").qualifier("1").logType(LogType.TAIL)
                .payload(SdkBytes.fromUtf8String("{}")));
        String log = new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8);
        assertEquals("1", r.executedVersion());
        assertTrue(!log.contains("Init Duration"), "no cold start on a provisioned version: " + log);
        assertThrows(InvalidParameterValueException.class, () -> lambda.putProvisionedConcurrencyConfig(b -> b
                .functionName("prov-fn").qualifier("$LATEST").provisionedConcurrentExecutions(1)));
    }

    @Test
    void reservedConcurrencyZeroThrottles() {
        createPython("throttled-fn", "def handler(e, c):\n    return 1\n", 3, 128);
        lambda.putFunctionConcurrency(r -> r.functionName("throttled-fn").reservedConcurrentExecutions(0));
        assertEquals(0, lambda.getFunctionConcurrency(r -> r.functionName("throttled-fn")).reservedConcurrentExecutions());
        TooManyRequestsException e = assertThrows(TooManyRequestsException.class, () -> invoke("throttled-fn", "{}"));
        assertEquals(429, e.statusCode());
        assertEquals("ReservedFunctionConcurrentInvocationLimitExceeded", e.reasonAsString());
        lambda.deleteFunctionConcurrency(r -> r.functionName("throttled-fn"));
        assertEquals(200, invoke("throttled-fn", "{}").statusCode());
    }

    @Test
    void handledErrorTimeoutCrashAndOutOfMemory() {
        createPython("err-fn", """
                import os, time
                def handler(e, c):
                    if e.get("raise"): raise KeyError("boom")
                    if e.get("sleep"): time.sleep(e["sleep"])
                    if e.get("exit"): os._exit(3)
                    if e.get("alloc"):
                        b = bytearray(e["alloc"] * 1024 * 1024)
                        for i in range(0, len(b), 4096): b[i] = 1
                    return "ok"
                """, 1, 128);
        InvokeResponse raised = invoke("err-fn", "{\"raise\":true}");
        assertEquals("Handled", raised.functionError());
        assertTrue(raised.payload().asUtf8String().contains("\"errorType\": \"KeyError\""), raised.payload().asUtf8String());

        InvokeResponse timedOut = invoke("err-fn", "{\"sleep\":5}");
        assertEquals("Unhandled", timedOut.functionError());
        assertTrue(timedOut.payload().asUtf8String().contains("Task timed out after 1.00 seconds"), timedOut.payload().asUtf8String());

        InvokeResponse crashed = invoke("err-fn", "{\"exit\":true}");
        assertEquals("Unhandled", crashed.functionError());
        assertTrue(crashed.payload().asUtf8String().contains("Runtime.ExitError"), crashed.payload().asUtf8String());

        InvokeResponse oom = invoke("err-fn", "{\"alloc\":400}");
        assertEquals("Unhandled", oom.functionError());
        assertTrue(oom.payload().asUtf8String().contains("Runtime.OutOfMemory"), oom.payload().asUtf8String());

        assertEquals("\"ok\"", invoke("err-fn", "{}").payload().asUtf8String(), "a fresh instance serves the next call");

        lambda.createFunction(r -> r.functionName("bad-handler").runtime(Runtime.PYTHON3_12).handler("missing.handler")
                .role("r").code(c -> c.zipFile(Zips.of("app.py", "x = 1\n"))));
        InvokeResponse initFailed = invoke("bad-handler", "{}");
        assertEquals("Unhandled", initFailed.functionError(), "an init failure never ran the handler");
        assertTrue(initFailed.payload().asUtf8String().contains("Runtime.ImportModuleError"), initFailed.payload().asUtf8String());
    }

    @Test
    void badRequestsGetAwsErrorsAndTheServerStaysUp() {
        createPython("ok-fn", "def handler(e, c):\n    return 'fine'\n", 3, 128);
        assertThrows(ResourceNotFoundException.class, () -> invoke("no-such-fn", "{}"));
        InvalidRequestContentException bad = assertThrows(InvalidRequestContentException.class, () -> invoke("ok-fn", "{not json"));
        assertEquals(400, bad.statusCode());
        String big = "\"" + "x".repeat(6 * 1024 * 1024 + 10) + "\"";
        RequestTooLargeException tooLarge = assertThrows(RequestTooLargeException.class, () -> invoke("ok-fn", big));
        assertEquals(413, tooLarge.statusCode());
        assertThrows(InvalidParameterValueException.class, () -> lambda.createFunction(r -> r.functionName("zip-garbage")
                .runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                .code(c -> c.zipFile(SdkBytes.fromUtf8String("this is not a zip")))));
        InvalidParameterValueException slip = assertThrows(InvalidParameterValueException.class, () -> lambda.createFunction(r -> r
                .functionName("zip-slip").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                .code(c -> c.zipFile(Zips.of("app.py", "x=1", "../../escaped.txt", "owned")))));
        assertTrue(slip.getMessage().contains("outside"), slip.getMessage());
        assertTrue(!data.resolve("escaped.txt").toFile().exists() && !data.resolve("code/escaped.txt").toFile().exists());
        assertThrows(InvalidParameterValueException.class, () -> lambda.createFunction(r -> r.functionName("bad name!")
                .runtime(Runtime.PYTHON3_12).handler("app.handler").role("r").code(c -> c.zipFile(Zips.of("app.py", "x=1")))));
        assertThrows(ResourceConflictException.class, () -> createPython("ok-fn", "x=1", 3, 128));
        assertEquals("\"fine\"", invoke("ok-fn", "{}").payload().asUtf8String());
    }

    @Test
    void wrongSignatureIsRejected() {
        try (LambdaClient forged = wisp.lambda(new WispProcess.Key(wisp.adminKeyId, "not-the-secret"))) {
            LambdaException e = assertThrows(LambdaException.class, forged::listFunctions);
            assertEquals(403, e.statusCode());
            assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
        }
        try (LambdaClient unknown = wisp.lambda(new WispProcess.Key("AKWPUNKNOWN000000000", "x"))) {
            LambdaException e = assertThrows(LambdaException.class, unknown::listFunctions);
            assertEquals(403, e.statusCode());
            assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
        }
    }

    @Test
    void tenantsSeeOnlyTheirOwnFunctions() throws Exception {
        WispProcess.Key alice = Keys.create(wisp, "alice");
        WispProcess.Key bob = Keys.create(wisp, "bob");
        try (LambdaClient a = wisp.lambda(alice); LambdaClient b = wisp.lambda(bob)) {
            a.createFunction(r -> r.functionName("private-fn").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                    .code(c -> c.zipFile(Zips.of("app.py", "def handler(e, c):\n    return 'alice'\n"))));
            assertEquals("\"alice\"", a.invoke(r -> r.functionName("private-fn")).payload().asUtf8String());
            assertTrue(b.listFunctions().functions().isEmpty());
            assertThrows(ResourceNotFoundException.class, () -> b.invoke(r -> r.functionName("private-fn")));
            String arn = a.getFunction(r -> r.functionName("private-fn")).configuration().functionArn();
            assertThrows(ResourceNotFoundException.class, () -> b.invoke(r -> r.functionName(arn)));
            assertThrows(ResourceNotFoundException.class, () -> b.deleteFunction(r -> r.functionName("private-fn")));
            assertNotNull(a.getFunction(r -> r.functionName("private-fn")));
        }
    }

    @Test
    void everyRuntimeExampleRuns() {
        lambda.createFunction(r -> r.functionName("ex-node").runtime(Runtime.NODEJS20_X).handler("index.handler").role("r")
                .code(c -> c.zipFile(Zips.example("node-hello"))));
        lambda.createFunction(r -> r.functionName("ex-shell").runtime(Runtime.PROVIDED_AL2023).handler("none").role("r")
                .code(c -> c.zipFile(Zips.example("shell-provided"))));
        lambda.createFunction(r -> r.functionName("ex-python").runtime(Runtime.PYTHON3_12).handler("app.handler").role("r")
                .code(c -> c.zipFile(Zips.example("python-hello"))));
        SdkBytes jar = SdkBytes.fromByteArray(readJar());
        lambda.createFunction(r -> r.functionName("ex-java").runtime(Runtime.JAVA21).handler("example.Hello::handleRequest")
                .role("r").memorySize(256).timeout(10).code(c -> c.zipFile(jar)));
        lambda.createFunction(r -> r.functionName("ex-java-stream").runtime(Runtime.JAVA21).handler("example.StreamHello")
                .role("r").memorySize(256).timeout(10).code(c -> c.zipFile(jar)));
        assertTrue(invoke("ex-node", "{\"name\":\"n\"}").payload().asUtf8String().contains("hello n"));
        assertTrue(invoke("ex-shell", "{\"name\":\"s\"}").payload().asUtf8String().contains("hello from bash"));
        assertTrue(invoke("ex-python", "{\"name\":\"p\"}").payload().asUtf8String().contains("hello p"));
        assertTrue(invoke("ex-java", "{\"name\":\"j\"}").payload().asUtf8String().contains("hello j"));
        assertEquals("\"ABC\"", invoke("ex-java-stream", "\"abc\"").payload().asUtf8String());
        InvokeResponse javaError = invoke("ex-java", "{\"fail\":true}");
        assertEquals("Handled", javaError.functionError());
        assertTrue(javaError.payload().asUtf8String().contains("java.lang.IllegalStateException"));
    }

    static byte[] readJar() {
        try {
            return java.nio.file.Files.readAllBytes(Path.of(System.getProperty("wisp.exampleJar")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
