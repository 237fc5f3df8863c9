package dev.wisp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI (`aws lambda ...`) creates and invokes functions on Wisp unchanged. */
class AwsCliIT {
    @TempDir Path data;
    @TempDir Path work;

    record Result(int exit, String out, String err) {}

    Result aws(WispProcess wisp, WispProcess.Key key, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("aws", "lambda"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint-url", wisp.endpoint.toString(), "--region", "us-east-1", "--output", "json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("AWS_ACCESS_KEY_ID", key.accessKeyId());
        pb.environment().put("AWS_SECRET_ACCESS_KEY", key.secret());
        pb.environment().put("AWS_CONFIG_FILE", work.resolve("none").toString());
        pb.environment().put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("none").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    @Test
    void createsAndInvokesAFunction() throws Exception {
        Files.write(work.resolve("fn.zip"), Zips.example("python-hello").asByteArray());
        try (WispProcess wisp = WispProcess.start(data)) {
            WispProcess.Key key = wisp.adminKey();
            Result created = aws(wisp, key, "create-function", "--function-name", "cli-hello", "--runtime", "python3.12",
                    "--handler", "app.handler", "--role", "arn:aws:iam::000000000000:role/cli", "--zip-file", "fileb://fn.zip");
            assertEquals(0, created.exit(), created.err());
            assertTrue(created.out().contains("\"FunctionName\": \"cli-hello\""), created.out());

            Result invoked = aws(wisp, key, "invoke", "--function-name", "cli-hello", "--payload", "{\"name\":\"cli\"}", "out.json");
            assertEquals(0, invoked.exit(), invoked.err());
            assertTrue(invoked.out().contains("\"StatusCode\": 200"), invoked.out());
            assertTrue(Files.readString(work.resolve("out.json")).contains("hello cli"));

            Result listed = aws(wisp, key, "list-functions");
            assertTrue(listed.out().contains("cli-hello"), listed.out());

            Result missing = aws(wisp, key, "get-function", "--function-name", "nope");
            assertEquals(255, missing.exit());
            assertTrue(missing.err().contains("ResourceNotFoundException"), missing.err());

            Result forged = aws(wisp, new WispProcess.Key(key.accessKeyId(), "wrong-secret"), "list-functions");
            assertTrue(forged.err().contains("InvalidSignatureException"), forged.err());
        }
    }
}
