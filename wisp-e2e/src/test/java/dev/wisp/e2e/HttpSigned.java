package dev.wisp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Wisp's own endpoints (outside the Lambda API), called with SigV4 signatures made by the AWS SDK's signer. */
final class HttpSigned {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpSigned() {}

    static JsonNode get(WispProcess wisp, String path) throws Exception {
        return send(wisp, SdkHttpMethod.GET, path, "");
    }

    static JsonNode post(WispProcess wisp, String path, String body) throws Exception {
        return send(wisp, SdkHttpMethod.POST, path, body);
    }

    static JsonNode send(WispProcess wisp, SdkHttpMethod method, String path, String body) throws Exception {
        HttpResponse<String> r = raw(wisp, wisp.adminKey(), method, path, body);
        if (r.statusCode() >= 300) throw new AssertionError(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return new ObjectMapper().readTree(r.body());
    }

    /** Signed with {@code key}; the reply whatever its status. */
    static HttpResponse<String> raw(WispProcess wisp, WispProcess.Key key, SdkHttpMethod method, String path, String body)
            throws Exception {
        URI uri = wisp.endpoint.resolve(path);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest req = SdkHttpRequest.builder().method(method).uri(uri).putHeader("Content-Type", "application/json").build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsCredentialsIdentity.create(key.accessKeyId(), key.secret()))
                .request(req).payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method.name(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("host") && !k.equalsIgnoreCase("content-length")) vs.forEach(v -> b.header(k, v));
        });
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
