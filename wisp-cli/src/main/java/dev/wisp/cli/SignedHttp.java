package dev.wisp.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Wisp's own (non-Lambda) operations, signed with SigV4 from the usual AWS environment, as the SDK would. */
final class SignedHttp {
    /** A reply; {@code body} is read fully unless the caller asked for the stream. */
    record Reply(int status, String errorType, byte[] body) {
        boolean ok() { return status < 300; }

        String text() { return new String(body, StandardCharsets.UTF_8); }

        /** Prints the AWS-style error and returns the exit code 1. */
        int fail() {
            System.err.println("wisp: " + (errorType == null ? "HTTP " + status : errorType) + ": " + text());
            return 1;
        }
    }

    private SignedHttp() {}

    /** Percent-encoding as SigV4's canonical request has it: a space is %20, never "+". */
    /** Appends {@code &k=v} to a query, URL-encoded; a null value is left out. */
    static void param(StringBuilder query, String k, String v) {
        if (v != null) query.append('&').append(k).append('=').append(encode(v));
    }

    static String encode(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code pathAndQuery} must already be URL-encoded. */
    static Reply call(Endpoint endpoint, String method, String pathAndQuery, byte[] body) throws IOException {
        URI uri = endpoint.uri().resolve(pathAndQuery);
        byte[] payload = body == null ? new byte[0] : body;
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("Content-Type", "application/json").build();
        AwsCredentialsIdentity creds = DefaultCredentialsProvider.builder().build().resolveCredentials();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(creds).request(request)
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod(method);
        signed.request().headers().forEach((k, vs) -> {
            if (!k.equalsIgnoreCase("Host")) vs.forEach(v -> c.addRequestProperty(k, v));
        });
        if (payload.length > 0) {
            c.setDoOutput(true);
            c.getOutputStream().write(payload);
        }
        int status = c.getResponseCode();
        InputStream in = status < 300 ? c.getInputStream() : c.getErrorStream();
        byte[] reply = in == null ? new byte[0] : in.readAllBytes();
        return new Reply(status, c.getHeaderField("x-amzn-ErrorType"), reply);
    }
}
