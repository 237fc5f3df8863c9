package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/**
 * The official AWS Lambda Java runtime interface client (from Maven Central, unchanged) runs a
 * handler inside a Wisp instance: a `provided` function whose bootstrap starts it.
 */
class RuntimeInterfaceClientIT {
    @TempDir Path data;

    @Test
    void officialRuntimeClientServesInvocations() throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String cp = "";
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("aws-lambda-java-") && name.endsWith(".jar")) {
                files.put("lib/" + name, Files.readAllBytes(Path.of(entry)));
                cp += (cp.isEmpty() ? "" : ":") + "lib/" + name;
            }
        }
        files.put("lib/java-hello.jar", Files.readAllBytes(Path.of(System.getProperty("wisp.exampleJar"))));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        files.put("bootstrap", ("#!/bin/sh\ncd \"$LAMBDA_TASK_ROOT\"\nexec " + java + " -XX:+UseSerialGC -cp " + cp
                + ":lib/java-hello.jar com.amazonaws.services.lambda.runtime.api.client.AWSLambda \"$_HANDLER\"\n")
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(files.keySet().stream().anyMatch(n -> n.contains("runtime-interface-client")), "RIC jar on the test classpath");

        try (WispProcess wisp = WispProcess.start(data); LambdaClient lambda = wisp.lambda()) {
            lambda.createFunction(r -> r.functionName("ric").runtime(Runtime.PROVIDED_AL2023).handler("example.Hello::handleRequest")
                    .role("r").memorySize(512).timeout(30).code(c -> c.zipFile(Zips.zip(files, n -> n.equals("bootstrap")))));
            for (String name : Arrays.asList("first", "second")) {
                InvokeResponse r = lambda.invoke(b -> b.functionName("ric").payload(SdkBytes.fromUtf8String("{\"name\":\"" + name + "\"}")));
                assertNull(r.functionError(), r.payload().asUtf8String());
                assertTrue(r.payload().asUtf8String().contains("hello " + name), r.payload().asUtf8String());
            }
            InvokeResponse failed = lambda.invoke(b -> b.functionName("ric").payload(SdkBytes.fromUtf8String("{\"fail\":true}")));
            assertEquals("Handled", failed.functionError());
            assertTrue(failed.payload().asUtf8String().contains("IllegalStateException"), failed.payload().asUtf8String());
        }
    }

}
