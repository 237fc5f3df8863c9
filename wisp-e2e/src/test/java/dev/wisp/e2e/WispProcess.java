package dev.wisp.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A real `wisp serve` in its own JVM, started the way a user starts it (the CLI's main class on
 * the test classpath), read through its stdout contract: the admin key line and the listening line.
 */
final class WispProcess implements AutoCloseable {
    final Path data;
    final Process process;
    final List<String> output = new CopyOnWriteArrayList<>();
    final URI endpoint;
    final String adminKeyId;
    final String adminSecret;

    /** Credentials of one tenant's key. */
    record Key(String accessKeyId, String secret) {}

    private WispProcess(Path data, Process process, URI endpoint, String adminKeyId, String adminSecret) {
        this.data = data;
        this.process = process;
        this.endpoint = endpoint;
        this.adminKeyId = adminKeyId;
        this.adminSecret = adminSecret;
    }

    static WispProcess start(Path data, String... extraArgs) throws IOException {
        return start(data, null, extraArgs);
    }

    /** @param adminKey the key printed on an earlier start of the same data directory, or null */
    static WispProcess start(Path data, Key adminKey, String... extraArgs) throws IOException {
        return start(null, data, data.toString(), adminKey, extraArgs);
    }

    /** Starts in {@code workDir} (null: inherit) with {@code dataArg} as given on the command line (may be relative). */
    static WispProcess start(Path workDir, Path data, String dataArg, Key adminKey, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.wisp.cli.WispCli", "serve", "--port", "0",
                "--data", dataArg, "--keep-alive", "PT2M"));
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (workDir != null) pb.directory(workDir.toFile());
        Process p = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.contains("listening on http://127.0.0.1:")) listening.complete(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
            listening.completeExceptionally(new IllegalStateException("wisp serve exited: " + String.join("\n", lines)));
        });
        String line;
        try {
            line = listening.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("wisp serve did not start: " + String.join("\n", lines), e);
        }
        URI endpoint = URI.create(line.substring(line.indexOf("http://")).trim());
        String id = adminKey == null ? null : adminKey.accessKeyId();
        String secret = adminKey == null ? null : adminKey.secret();
        for (String l : lines) {
            if (l.startsWith("admin key: ")) {
                String[] parts = l.substring("admin key: ".length()).trim().split(" ");
                id = parts[0];
                secret = parts[1];
            }
        }
        WispProcess w = new WispProcess(data, p, endpoint, id, secret);
        w.output.addAll(lines);
        return w;
    }

    Key adminKey() { return new Key(adminKeyId, adminSecret); }

    LambdaClient lambda() { return lambda(adminKey()); }

    LambdaClient lambda(Key key) {
        return LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secret())))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(60)).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(b -> b.maxAttempts(1)).build())
                .build();
    }

    long pid() { return process.pid(); }

    /** Stops the server the way an operator would (SIGTERM) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the server with SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
