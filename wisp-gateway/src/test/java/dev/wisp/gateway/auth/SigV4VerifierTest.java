package dev.wisp.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.ManualClock;
import dev.wisp.common.WispException;
import dev.wisp.gateway.auth.SigV4Verifier.SignedRequest;
import dev.wisp.gateway.auth.SigV4Verifier.Verified;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs requests with the real AWS SDK v2 signer and checks that {@link SigV4Verifier} agrees. */
class SigV4VerifierTest {
    private static final String KEY_ID = "AKIDWISPEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYWISPEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2026-01-01T12:00:00Z");
    private static final String INVOKE_PATH = "/2015-03-31/functions/my-fn/invocations";
    private static final byte[] JSON = "{\"hello\": \"world\", \"n\": 1}".getBytes(StandardCharsets.UTF_8);

    private final ManualClock clock = new ManualClock(SIGNED_AT.toEpochMilli());
    private final SigV4Verifier verifier =
            new SigV4Verifier(id -> KEY_ID.equals(id) ? SECRET : null, clock);

    // ---------------------------------------------------------------- requests the SDK signs that must verify

    @Test
    void postWithJsonBodyVerifiesAndReportsKeyRegionAndService() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);

        Verified verified = verifier.verify(request);

        assertEquals(new Verified(KEY_ID, "us-east-1", "lambda"), verified);
    }

    @Test
    void regionAndServiceComeFromTheCredentialScope() {
        SignedRequest request = sign(post(INVOKE_PATH), JSON, KEY_ID, SECRET,
                r -> r.putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-3")
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts"));

        assertEquals(new Verified(KEY_ID, "eu-west-3", "sts"), verifier.verify(request));
    }

    @Test
    void queryParametersAreDecodedReencodedAndSorted() {
        SdkHttpRequest.Builder get = get("/2015-03-31/functions/")
                .putRawQueryParameter("MaxItems", "10")
                .putRawQueryParameter("Marker", "abc def/ghi+jkl*~")
                .putRawQueryParameter("FunctionVersion", "ALL");

        SignedRequest request = signed(get, new byte[0]);

        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
    }

    @Test
    void queryParameterOrderAsSentDoesNotMatter() {
        SignedRequest request = signed(get("/2015-03-31/functions/")
                .putRawQueryParameter("Marker", "abc")
                .putRawQueryParameter("MaxItems", "10"), new byte[0]);
        List<String> params = new ArrayList<>(List.of(request.rawQuery().split("&")));
        Collections.reverse(params);

        SignedRequest reordered = withQuery(request, String.join("&", params));

        assertEquals(KEY_ID, verifier.verify(reordered).accessKeyId());
    }

    @Test
    void queryParameterWithoutEqualsSignHasEmptyValue() {
        SignedRequest request = signed(get("/2015-03-31/functions/").putRawQueryParameter("flag", ""), new byte[0]);

        // The SDK sends "flag="; a client may equally send the bare name.
        assertEquals("flag=", request.rawQuery());
        assertEquals(KEY_ID, verifier.verify(withQuery(request, "flag")).accessKeyId());
    }

    @Test
    void pathIsPercentEncodedTwiceSoAnEncodedColonInAFunctionArnVerifies() {
        String arnPath = "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn"
                + "/invocations";
        SignedRequest request = signed(post(arnPath).putRawQueryParameter("Qualifier", "$LATEST"), JSON);

        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
        assertEquals("/functions/arn%253Aaws%253Alambda/x%2520y",
                SigV4Verifier.canonicalUri("/functions/arn%3Aaws%3Alambda/x%20y"));
    }

    @Test
    void emptyPathIsCanonicalizedAsSlash() {
        SignedRequest request = signed(get(""), new byte[0]);

        assertEquals(KEY_ID, verifier.verify(withPath(request, "")).accessKeyId());
        assertEquals("/", SigV4Verifier.canonicalUri(""));
    }

    @Test
    void dotSegmentsInThePathAreRemovedBeforeSigning() {
        assertEquals("/a/c", SigV4Verifier.removeDotSegments("/a/./b/../c"));
        assertEquals("/a/", SigV4Verifier.removeDotSegments("/a/b/.."));
        assertEquals("/", SigV4Verifier.removeDotSegments("/../.."));
        assertEquals("/v1.2/x.y", SigV4Verifier.removeDotSegments("/v1.2/x.y"));

        SignedRequest request = signed(get("/2015-03-31/./functions/other/../my-fn"), new byte[0]);
        assertEquals("/2015-03-31/./functions/other/../my-fn", request.rawPath());
        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
    }

    @Test
    void headerValuesAreTrimmedAndInnerWhitespaceCollapsed() {
        SignedRequest request = signed(post(INVOKE_PATH)
                .putHeader("X-Wisp-Note", "   lots   of \t  space   ")
                .putHeader("X-Wisp-Multi", List.of(" first  value ", "second")), JSON);

        assertEquals(List.of("   lots   of \t  space   "), header(request, "X-Wisp-Note"));
        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
    }

    @Test
    void headerNamesMatchInAnyCase() {
        SignedRequest request = signed(post(INVOKE_PATH).putHeader("X-Wisp-Note", "v"), JSON);
        Map<String, List<String>> upper = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> upper.put(k.toUpperCase(java.util.Locale.ROOT), v));

        assertEquals(KEY_ID, verifier.verify(withHeaders(request, upper)).accessKeyId());
    }

    @Test
    void dateWithinFifteenMinutesOfTheClockIsAccepted() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        clock.advanceMillis(Duration.ofMinutes(15).toMillis());

        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
    }

    @Test
    void unsignedPayloadDeclaredInContentSha256IsAccepted() {
        SignedRequest request = sign(post(INVOKE_PATH).protocol("https").port(443), JSON, KEY_ID, SECRET,
                r -> r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));

        assertEquals(List.of("UNSIGNED-PAYLOAD"), header(request, "x-amz-content-sha256"));
        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
    }

    /**
     * Every SDK-signed request carries x-amz-content-sha256, so the case without it (botocore and
     * the AWS CLI for Lambda, curl) is checked against AWS's published SigV4 test-suite vectors.
     */
    @Test
    void bodyHashIsComputedWhenContentSha256HeaderIsAbsent() {
        SigV4Verifier suite = new SigV4Verifier(id -> "AKIDEXAMPLE".equals(id)
                ? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" : null,
                new ManualClock(Instant.parse("2015-08-30T12:36:00Z").toEpochMilli()));

        // get-vanilla
        assertEquals(new Verified("AKIDEXAMPLE", "us-east-1", "service"), suite.verify(
                suiteRequest("GET", null, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "")));
        // get-vanilla-query-order-key-case: sent out of order, signed sorted
        assertEquals("AKIDEXAMPLE", suite.verify(suiteRequest("GET", "Param2=value2&Param1=value1",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", "")).accessKeyId());
        // post-vanilla: the empty body hashes to SHA-256 of ""
        SignedRequest post = suiteRequest("POST", null,
                "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", "");
        assertEquals("AKIDEXAMPLE", suite.verify(post).accessKeyId());

        WispException e = assertThrows(WispException.class,
                () -> suite.verify(withBody(post, "smuggled".getBytes(StandardCharsets.UTF_8))));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertEquals(SigV4Verifier.SIGNATURE_MISMATCH, e.getMessage());
    }

    private static SignedRequest suiteRequest(String method, String query, String signature, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("example.amazonaws.com"));
        headers.put("X-Amz-Date", List.of("20150830T123600Z"));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + signature));
        return new SignedRequest(method, "/", query, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void signedHeaderMissingFromTheRequestIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.remove("x-amz-content-sha256");

        assertInvalid(withHeaders(request, headers), "x-amz-content-sha256");
    }

    // ---------------------------------------------------------------- presigned query-string auth

    @Test
    void presignedGetVerifies() {
        SignedRequest request = presigned(get("/2015-03-31/functions/my-fn")
                .putRawQueryParameter("Qualifier", "prod v2"), Duration.ofMinutes(5));

        assertTrue(request.rawQuery().contains("X-Amz-Signature="));
        assertEquals(null, header(request, "Authorization"));
        assertEquals(new Verified(KEY_ID, "us-east-1", "lambda"), verifier.verify(request));
    }

    @Test
    void presignedUrlFromTheSdkSignsTheBodyHashSoATamperedBodyIsRejected() {
        SignedRequest request = sign(post(INVOKE_PATH), JSON, KEY_ID, SECRET,
                r -> r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5)));

        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
        assertMismatch(withBody(request, "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void presignedUrlSignedWithUnsignedPayloadVerifiesWhateverTheBody() {
        SignedRequest request = sign(post(INVOKE_PATH).protocol("https").port(443), JSON, KEY_ID, SECRET,
                r -> r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(5))
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));

        assertEquals(KEY_ID, verifier.verify(withBody(request, "{}".getBytes(StandardCharsets.UTF_8))).accessKeyId());
    }

    @Test
    void presignedRequestIsAcceptedUntilItExpires() {
        SignedRequest request = presigned(get("/2015-03-31/functions/my-fn"), Duration.ofHours(1));
        clock.advanceMillis(Duration.ofMinutes(59).toMillis());

        assertEquals(KEY_ID, verifier.verify(request).accessKeyId());
    }

    @Test
    void presignedRequestPastItsExpiryIsRejected() {
        SignedRequest request = presigned(get("/2015-03-31/functions/my-fn"), Duration.ofMinutes(5));
        clock.advanceMillis(Duration.ofMinutes(5).toMillis() + 1000);

        WispException e = assertThrows(WispException.class, () -> verifier.verify(request));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertEquals("Request has expired", e.getMessage());
    }

    @Test
    void presignedRequestWithTamperedQueryIsRejected() {
        SignedRequest request = presigned(get("/2015-03-31/functions/my-fn")
                .putRawQueryParameter("Qualifier", "prod"), Duration.ofMinutes(5));

        SignedRequest tampered = withQuery(request, request.rawQuery().replace("Qualifier=prod", "Qualifier=dev"));

        assertMismatch(tampered);
    }

    @Test
    void presignedRequestWithUnknownKeyIsUnrecognized() {
        SignedRequest request = presign(get("/2015-03-31/functions/my-fn"), Duration.ofMinutes(5), "AKIDNOBODY");

        assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, assertThrows(WispException.class,
                () -> verifier.verify(request)).code());
    }

    @Test
    void presignedAndAuthorizationHeaderTogetherAreRejected() {
        SignedRequest headerSigned = signed(get("/2015-03-31/functions/my-fn"), new byte[0]);
        SignedRequest presigned = presigned(get("/2015-03-31/functions/my-fn"), Duration.ofMinutes(5));

        SignedRequest both = withQuery(headerSigned, presigned.rawQuery());

        assertEquals(ErrorCode.INVALID_SIGNATURE, assertThrows(WispException.class,
                () -> verifier.verify(both)).code());
    }

    // ---------------------------------------------------------------- rejections

    @Test
    void missingAuthorizationIsMissingAuthentication() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.remove("Authorization");

        WispException e = assertThrows(WispException.class, () -> verifier.verify(withHeaders(request, headers)));
        assertEquals(ErrorCode.MISSING_AUTHENTICATION, e.code());
        assertEquals("Missing Authentication Token", e.getMessage());
    }

    @Test
    void wrongSecretIsSignatureMismatch() {
        SignedRequest request = sign(post(INVOKE_PATH), JSON, KEY_ID, "not-the-secret", r -> { });

        assertMismatch(request);
    }

    @Test
    void unknownAccessKeyIsUnrecognizedClient() {
        SignedRequest request = sign(post(INVOKE_PATH), JSON, "AKIDNOBODY", SECRET, r -> { });

        WispException e = assertThrows(WispException.class, () -> verifier.verify(request));
        assertEquals(ErrorCode.UNRECOGNIZED_CLIENT, e.code());
        assertEquals("The security token included in the request is invalid.", e.getMessage());
    }

    @Test
    void tamperedBodyIsRejected() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);

        SignedRequest tampered = withBody(request, "{\"hello\": \"mallory\", \"n\": 1}".getBytes(StandardCharsets.UTF_8));

        WispException e = assertThrows(WispException.class, () -> verifier.verify(tampered));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
    }

    @Test
    void tamperedBodyWithRecomputedContentSha256IsSignatureMismatch() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        byte[] evil = "{\"evil\": true}".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.put("x-amz-content-sha256", List.of(sha256Hex(evil)));

        assertMismatch(withBody(withHeaders(request, headers), evil));
    }

    @Test
    void tamperedPathIsSignatureMismatch() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);

        assertMismatch(withPath(request, "/2015-03-31/functions/other-fn/invocations"));
    }

    @Test
    void tamperedSignedHeaderIsSignatureMismatch() {
        SignedRequest request = signed(post(INVOKE_PATH).putHeader("X-Wisp-Note", "original"), JSON);
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.put("X-Wisp-Note", List.of("changed"));

        assertMismatch(withHeaders(request, headers));
    }

    @Test
    void dateMoreThanFifteenMinutesInThePastIsSignatureExpired() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        clock.advanceMillis(Duration.ofMinutes(15).toMillis() + 1000);

        WispException e = assertThrows(WispException.class, () -> verifier.verify(request));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertEquals("Signature expired: 20260101T120000Z is now earlier than 20260101T120001Z "
                + "(20260101T121501Z - 15 min.)", e.getMessage());
    }

    @Test
    void dateMoreThanFifteenMinutesInTheFutureIsSignatureExpired() {
        SignedRequest request = sign(post(INVOKE_PATH), JSON, KEY_ID, SECRET,
                r -> r.putProperty(HttpSigner.SIGNING_CLOCK, fixed(SIGNED_AT.plus(Duration.ofMinutes(16)))));

        WispException e = assertThrows(WispException.class, () -> verifier.verify(request));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertTrue(e.getMessage().startsWith("Signature expired: 20260101T121600Z is now later than"),
                e.getMessage());
    }

    @Test
    void unsupportedAlgorithmIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        String auth = header(request, "Authorization").get(0).replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512");

        assertInvalid(withHeader(request, "Authorization", auth), "AWS4-HMAC-SHA512");
    }

    @Test
    void authorizationWithoutSignatureParameterIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        String auth = header(request, "Authorization").get(0).replaceAll(", Signature=[0-9a-f]+", "");

        assertInvalid(withHeader(request, "Authorization", auth), "'Signature'");
    }

    @Test
    void credentialNotEndingInAws4RequestIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        String auth = header(request, "Authorization").get(0).replace("/aws4_request", "/aws5_request");

        assertInvalid(withHeader(request, "Authorization", auth), "aws4_request");
    }

    @Test
    void missingXAmzDateIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.remove("X-Amz-Date");

        assertInvalid(withHeaders(request, headers), "X-Amz-Date");
    }

    @Test
    void malformedXAmzDateIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);

        assertInvalid(withHeader(request, "X-Amz-Date", "2026-01-01T12:00:00Z"), "X-Amz-Date");
    }

    @Test
    void credentialScopeDateMustMatchXAmzDate() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        String auth = header(request, "Authorization").get(0).replace("/20260101/", "/20251231/");

        assertInvalid(withHeader(request, "Authorization", auth), "Credential scope");
    }

    @Test
    void hostMustBeASignedHeader() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        String auth = header(request, "Authorization").get(0).replace(";host;", ";");

        assertInvalid(withHeader(request, "Authorization", auth), "Host");
    }

    @Test
    void contentSha256ThatDoesNotMatchTheBodyIsInvalidSignature() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);

        assertInvalid(withBody(request, "{}".getBytes(StandardCharsets.UTF_8)), "x-amz-content-sha256");
    }

    @Test
    void signatureInDifferentCaseIsSignatureMismatch() {
        SignedRequest request = signed(post(INVOKE_PATH), JSON);
        String auth = header(request, "Authorization").get(0);
        int at = auth.indexOf("Signature=") + "Signature=".length();
        String upper = auth.substring(0, at) + auth.substring(at).toUpperCase(java.util.Locale.ROOT);

        assertMismatch(withHeader(request, "Authorization", upper));
    }

    // ---------------------------------------------------------------- helpers

    private static SdkHttpRequest.Builder post(String encodedPath) {
        return base(SdkHttpMethod.POST, encodedPath).putHeader("Content-Type", "application/json");
    }

    private static SdkHttpRequest.Builder get(String encodedPath) {
        return base(SdkHttpMethod.GET, encodedPath);
    }

    private static SdkHttpRequest.Builder base(SdkHttpMethod method, String encodedPath) {
        return SdkHttpRequest.builder().method(method).protocol("http").host("localhost").port(9000)
                .encodedPath(encodedPath)
                .putHeader("User-Agent", "aws-sdk-java/2.35.0 wisp-test");
    }

    private static SignedRequest signed(SdkHttpRequest.Builder unsigned, byte[] body) {
        return sign(unsigned, body, KEY_ID, SECRET, r -> { });
    }

    /** Signs with the SDK at {@link #SIGNED_AT}, for lambda in us-east-1 unless {@code extra} overrides. */
    private static SignedRequest sign(SdkHttpRequest.Builder unsigned, byte[] body, String keyId, String secret,
                                      Consumer<software.amazon.awssdk.http.auth.spi.signer.SignRequest.Builder<
                                              AwsCredentialsIdentity>> extra) {
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> {
            r.identity(AwsCredentialsIdentity.create(keyId, secret))
                    .request(unsigned.build())
                    .payload(() -> new ByteArrayInputStream(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(HttpSigner.SIGNING_CLOCK, fixed(SIGNED_AT));
            extra.accept(r);
        }).request();
        return new SignedRequest(signed.method().name(), signed.encodedPath(),
                signed.encodedQueryParameters().orElse(null), signed.headers(), body);
    }

    private static SignedRequest presigned(SdkHttpRequest.Builder unsigned, Duration expiry) {
        return presign(unsigned, expiry, KEY_ID);
    }

    private static SignedRequest presign(SdkHttpRequest.Builder unsigned, Duration expiry, String keyId) {
        return sign(unsigned, new byte[0], keyId, SECRET,
                r -> r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, expiry));
    }

    private static Clock fixed(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    private static List<String> header(SignedRequest request, String name) {
        return request.headers().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static SignedRequest withHeader(SignedRequest request, String name, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                headers.put(k, v);
            }
        });
        headers.put(name, List.of(value));
        return withHeaders(request, headers);
    }

    private static SignedRequest withHeaders(SignedRequest r, Map<String, List<String>> headers) {
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body());
    }

    private static SignedRequest withQuery(SignedRequest r, String rawQuery) {
        return new SignedRequest(r.method(), r.rawPath(), rawQuery, r.headers(), r.body());
    }

    private static SignedRequest withPath(SignedRequest r, String rawPath) {
        return new SignedRequest(r.method(), rawPath, r.rawQuery(), r.headers(), r.body());
    }

    private static SignedRequest withBody(SignedRequest r, byte[] body) {
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(), body);
    }

    private void assertMismatch(SignedRequest request) {
        WispException e = assertThrows(WispException.class, () -> verifier.verify(request));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertEquals(SigV4Verifier.SIGNATURE_MISMATCH, e.getMessage());
    }

    private void assertInvalid(SignedRequest request, String messageMentions) {
        WispException e = assertThrows(WispException.class, () -> verifier.verify(request));
        assertEquals(ErrorCode.INVALID_SIGNATURE, e.code());
        assertTrue(e.getMessage().contains(messageMentions), e.getMessage());
    }

    private static String sha256Hex(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
