package dev.wisp.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wisp.server.WispServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * A Wisp server as a client sees it: the Lambda API through the AWS SDK v2, Wisp's key API, and
 * function URLs, every request signed with SigV4 by the SDK's own signer.
 */
final class WispEndpoint {
    /** One access key. */
    record Key(String tenant, String accessKeyId, String secret) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Key admin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    WispEndpoint(URI endpoint, Key admin) {
        this.endpoint = endpoint;
        this.admin = admin;
    }

    /** The server running in this process, acting with the admin key it made on its first start. */
    static WispEndpoint ofLocal(WispServer server) {
        var admin = server.firstAdminKey().orElseThrow(() -> new IllegalStateException("no admin key on a new data directory"));
        return new WispEndpoint(URI.create("http://127.0.0.1:" + server.port() + "/"),
                new Key(admin.tenant(), admin.accessKeyId(), admin.secretAccessKey()));
    }

    URI uri() { return endpoint; }

    Key admin() { return admin; }

    /** A new key of {@code tenant}, made as {@code wisp keys create} makes it: {@code POST /wisp/keys} signed with the admin key. */
    Key createKey(String tenant) throws IOException, InterruptedException {
        HttpResponse<String> r = send(admin, "POST", endpoint.resolve("/wisp/keys"),
                JSON.writeValueAsString(Map.of("tenant", tenant)), Duration.ofSeconds(30));
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IOException("creating a key for tenant " + tenant + " failed: " + r.statusCode() + " " + r.body());
        }
        JsonNode n = JSON.readTree(r.body());
        return new Key(tenant, n.path("accessKeyId").asText(), n.path("secretAccessKey").asText());
    }

    /**
     * Cuts the server's dispatch capacity to {@code factor} times normal for {@code durationMillis}
     * ({@code POST /wisp/faults/dispatch-capacity}, admin only); returns the server's answer.
     */
    String collapseDispatch(double factor, long durationMillis) throws IOException, InterruptedException {
        HttpResponse<String> r = send(admin, "POST", endpoint.resolve(DISPATCH_CAPACITY),
                JSON.writeValueAsString(Map.of("factor", factor, "durationSeconds", durationMillis / 1000.0)), Duration.ofSeconds(30));
        if (r.statusCode() != 200) throw new IOException("cutting dispatch capacity failed: " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** Ends a dispatch-capacity cut ({@code DELETE /wisp/faults/dispatch-capacity}); the backlog then drains. */
    String restoreDispatch() throws IOException, InterruptedException {
        HttpResponse<String> r = send(admin, "DELETE", endpoint.resolve(DISPATCH_CAPACITY), "", Duration.ofSeconds(30));
        if (r.statusCode() != 200) throw new IOException("restoring dispatch capacity failed: " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static final String DISPATCH_CAPACITY = "/wisp/faults/dispatch-capacity";

    /** A Lambda client acting as {@code key}; no SDK retries, so every arrival is exactly one request. */
    LambdaClient lambda(Key key, Duration timeout) {
        return LambdaClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secret())))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(timeout).build())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(timeout).build())
                .build();
    }

    /** One request signed with {@code key} (service "lambda", as function URLs with AWS_IAM expect). */
    HttpResponse<String> send(Key key, String method, URI uri, String body, Duration timeout)
            throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest req = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secret()))
                .request(req).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) vs.forEach(v -> b.header(k, v));
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /health} answers 200. */
    boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(endpoint.resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
