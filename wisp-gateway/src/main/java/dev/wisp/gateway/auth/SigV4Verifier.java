package dev.wisp.gateway.auth;

import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server side of AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}), so that unmodified AWS SDKs
 * and the AWS CLI can authenticate against Wisp.
 *
 * <p>Both the {@code Authorization} header form and the presigned query-string form are accepted.
 * The canonical request follows the rules AWS documents for services other than S3: the path is
 * percent-encoded a second time, dot segments are removed, query parameters are decoded,
 * re-encoded and sorted, and signed header values are trimmed with inner whitespace collapsed.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class SigV4Verifier {
    private final java.util.Map<String, byte[]> signingKeys = new java.util.concurrent.ConcurrentHashMap<>();


    /** Looks up the secret for an access key id; returns null if unknown. */
    @FunctionalInterface
    public interface SecretLookup {
        String secretFor(String accessKeyId);
    }

    /**
     * What the verifier needs from an HTTP request. rawPath is the path exactly as sent (still
     * percent-encoded), rawQuery the raw query string or null; headers: every header name (any
     * case) -> list of values in order received; body: full body bytes (may be empty).
     */
    public record SignedRequest(String method, String rawPath, String rawQuery,
                                Map<String, List<String>> headers, byte[] body) {
        public SignedRequest {
            Objects.requireNonNull(method, "method");
            rawPath = rawPath == null ? "" : rawPath;
            headers = headers == null ? Map.of() : headers;
            body = body == null ? new byte[0] : body;
        }
    }

    /** Result of a successful verification. */
    public record Verified(String accessKeyId, String region, String service) {}

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. "
            + "Consult the service documentation for details.";
    static final String UNKNOWN_KEY = "The security token included in the request is invalid.";
    static final String MISSING_TOKEN = "Missing Authentication Token";

    /** How far X-Amz-Date may be from our clock, either way. */
    private static final long MAX_SKEW_MILLIS = 15 * 60 * 1000L;
    /** Longest validity AWS allows for a presigned request: seven days. */
    private static final long MAX_EXPIRES_SECONDS = 7 * 24 * 60 * 60L;
    private static final String TERMINATOR = "aws4_request";
    private static final String HMAC = "HmacSHA256";
    private static final String UPPER_HEX = "0123456789ABCDEF";
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter
            .ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final String QUERY_ALGORITHM = "X-Amz-Algorithm";
    private static final String QUERY_CREDENTIAL = "X-Amz-Credential";
    private static final String QUERY_DATE = "X-Amz-Date";
    private static final String QUERY_EXPIRES = "X-Amz-Expires";
    private static final String QUERY_SIGNED_HEADERS = "X-Amz-SignedHeaders";
    private static final String QUERY_SIGNATURE = "X-Amz-Signature";

    private final SecretLookup secrets;
    private final Clock clock;

    public SigV4Verifier(SecretLookup secrets, Clock clock) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Verifies; throws dev.wisp.common.WispException on failure, never returns null. */
    public Verified verify(SignedRequest request) {
        Map<String, List<String>> headers = caseInsensitive(request.headers());
        List<QueryParam> query = parseQuery(request.rawQuery());
        String authorization = singleHeader(headers, "authorization");
        boolean hasHeader = authorization != null && !authorization.isBlank();
        boolean presigned = query.stream().anyMatch(p -> p.name().equals(QUERY_ALGORITHM));
        if (hasHeader && presigned) {
            throw invalid("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter "
                    + "or the Authorization header should be specified");
        }
        if (!hasHeader && !presigned) {
            throw new WispException(ErrorCode.MISSING_AUTHENTICATION, MISSING_TOKEN);
        }
        Auth auth = presigned ? fromQuery(query) : fromHeader(authorization, headers);

        String secret = secrets.secretFor(auth.accessKeyId());
        if (secret == null) {
            throw new WispException(ErrorCode.UNRECOGNIZED_CLIENT, UNKNOWN_KEY);
        }
        checkTime(auth);
        List<String> payloadHashes = payloadHashes(headers, request.body(), presigned);

        String canonicalPrefix = request.method() + '\n'
                + canonicalUri(request.rawPath()) + '\n'
                + canonicalQuery(query, presigned) + '\n'
                + canonicalHeaders(auth.signedHeaders(), headers) + '\n'
                + String.join(";", auth.signedHeaders()) + '\n';
        String scope = auth.scopeDate() + '/' + auth.region() + '/' + auth.service() + '/' + TERMINATOR;
        byte[] key = signingKey(secret, auth.scopeDate(), auth.region(), auth.service());

        byte[] provided = auth.signature().getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String payloadHash : payloadHashes) {
            String canonicalRequest = canonicalPrefix + payloadHash;
            String stringToSign = ALGORITHM + '\n' + auth.amzDate() + '\n' + scope + '\n'
                    + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
            byte[] expected = HEX.formatHex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII);
            matched |= MessageDigest.isEqual(expected, provided);
        }
        if (!matched) {
            throw invalid(SIGNATURE_MISMATCH);
        }
        return new Verified(auth.accessKeyId(), auth.region(), auth.service());
    }

    // ---------------------------------------------------------------- parsing the two auth forms

    /** Everything the signature covers that comes from the auth header or presigned query. */
    private record Auth(String accessKeyId, String scopeDate, String region, String service,
                        List<String> signedHeaders, String signature, String amzDate,
                        Instant requestTime, long expiresSeconds) {}

    private static Auth fromHeader(String authorization, Map<String, List<String>> headers) {
        String value = authorization.strip();
        int space = value.indexOf(' ');
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!ALGORITHM.equals(algorithm)) {
            throw invalid("Unsupported Authorization algorithm " + quote(algorithm)
                    + "; only " + ALGORITHM + " is supported");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String piece : (space < 0 ? "" : value.substring(space + 1)).split(",")) {
            String part = piece.strip();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw invalid("Authorization header component " + quote(part) + " is not of the form key=value");
            }
            String name = part.substring(0, eq).strip();
            if (parts.putIfAbsent(name, part.substring(eq + 1).strip()) != null) {
                throw invalid("Authorization header repeats the " + quote(name) + " parameter");
            }
        }
        StringBuilder missing = new StringBuilder();
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (parts.get(required) == null || parts.get(required).isEmpty()) {
                missing.append(missing.isEmpty() ? "" : " ")
                        .append("Authorization header requires '").append(required).append("' parameter.");
            }
        }
        if (!missing.isEmpty()) {
            throw invalid(missing.toString());
        }
        String amzDate = singleHeader(headers, "x-amz-date");
        if (amzDate == null || amzDate.isBlank()) {
            throw invalid("Authorization header requires existence of an 'X-Amz-Date' header.");
        }
        return build(parts.get("Credential"), parts.get("SignedHeaders"), parts.get("Signature"),
                amzDate.strip(), -1);
    }

    private static Auth fromQuery(List<QueryParam> query) {
        Map<String, String> values = new TreeMap<>();
        List<String> names = List.of(QUERY_ALGORITHM, QUERY_CREDENTIAL, QUERY_DATE, QUERY_EXPIRES,
                QUERY_SIGNED_HEADERS, QUERY_SIGNATURE);
        for (QueryParam p : query) {
            if (names.contains(p.name()) && values.put(p.name(), p.value()) != null) {
                throw invalid("Query-string parameter " + quote(p.name()) + " appears more than once");
            }
        }
        if (!values.keySet().containsAll(names) || values.containsValue("")) {
            throw invalid("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                    + "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', and 'X-Amz-Expires'. "
                    + "Re-examine the query-string parameters.");
        }
        String algorithm = values.get(QUERY_ALGORITHM);
        if (!ALGORITHM.equals(algorithm)) {
            throw invalid("Unsupported X-Amz-Algorithm " + quote(algorithm) + "; only " + ALGORITHM
                    + " is supported");
        }
        long expires;
        try {
            expires = Long.parseLong(values.get(QUERY_EXPIRES));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 0 || expires > MAX_EXPIRES_SECONDS) {
            throw invalid("X-Amz-Expires must be a whole number of seconds from 0 to " + MAX_EXPIRES_SECONDS
                    + ", not " + quote(values.get(QUERY_EXPIRES)));
        }
        return build(values.get(QUERY_CREDENTIAL), values.get(QUERY_SIGNED_HEADERS),
                values.get(QUERY_SIGNATURE), values.get(QUERY_DATE), expires);
    }

    private static Auth build(String credential, String signedHeaders, String signature, String amzDate,
                              long expiresSeconds) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || List.of(scope).contains("")) {
            throw invalid("Credential " + quote(credential)
                    + " is not of the form <access key>/<yyyyMMdd>/<region>/<service>/aws4_request");
        }
        if (!TERMINATOR.equals(scope[4])) {
            throw invalid("Credential should be scoped with a valid terminator: 'aws4_request', not "
                    + quote(scope[4]) + ".");
        }
        Instant time;
        try {
            time = AMZ_DATE.parse(amzDate, Instant::from);
        } catch (DateTimeParseException e) {
            throw invalid("X-Amz-Date " + quote(amzDate) + " is not in the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'");
        }
        if (!scope[1].equals(amzDate.substring(0, 8))) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                    + "from HTTP: " + quote(scope[1]) + " != " + quote(amzDate.substring(0, 8))
                    + ", from " + quote(amzDate) + ".");
        }
        List<String> headerNames = new ArrayList<>();
        for (String name : signedHeaders.split(";", -1)) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (lower.isEmpty()) {
                throw invalid("SignedHeaders " + quote(signedHeaders) + " contains an empty header name");
            }
            headerNames.add(lower);
        }
        if (!headerNames.contains("host") && !headerNames.contains(":authority")) {
            throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return new Auth(scope[0], scope[1], scope[2], scope[3], List.copyOf(headerNames), signature,
                amzDate, time, expiresSeconds);
    }

    private void checkTime(Auth auth) {
        long now = clock.wallMillis();
        long signedAt = auth.requestTime().toEpochMilli();
        if (signedAt > now + MAX_SKEW_MILLIS) {
            throw invalid("Signature expired: " + auth.amzDate() + " is now later than "
                    + format(now + MAX_SKEW_MILLIS) + " (" + format(now) + " + 15 min.)");
        }
        if (auth.expiresSeconds() >= 0) {
            if (now > signedAt + auth.expiresSeconds() * 1000L) {
                throw invalid("Request has expired");
            }
        } else if (signedAt < now - MAX_SKEW_MILLIS) {
            throw invalid("Signature expired: " + auth.amzDate() + " is now earlier than "
                    + format(now - MAX_SKEW_MILLIS) + " (" + format(now) + " - 15 min.)");
        }
    }

    /**
     * The payload hashes the request may have been signed with. A header-signed request names its
     * hash in x-amz-content-sha256 or else signed the body's. A presigned URL without that header
     * may have signed either UNSIGNED-PAYLOAD (S3-style presigners) or the body's hash (the AWS SDKs
     * for every other service: for a GET, the hash of the empty body), so both are tried.
     */
    private static List<String> payloadHashes(Map<String, List<String>> headers, byte[] body, boolean presigned) {
        if (presigned && singleHeader(headers, "x-amz-content-sha256") == null) {
            return List.of(UNSIGNED_PAYLOAD, HEX.formatHex(sha256(body)));
        }
        return List.of(payloadHash(headers, body));
    }

    /** The payload hash a request declares in x-amz-content-sha256, checked against the body, or the body's. */
    private static String payloadHash(Map<String, List<String>> headers, byte[] body) {
        String declared = singleHeader(headers, "x-amz-content-sha256");
        if (declared == null) {
            return HEX.formatHex(sha256(body));
        }
        declared = declared.strip();
        if (declared.equals(UNSIGNED_PAYLOAD)) {
            return declared;
        }
        if (declared.length() != 64 || !declared.chars().allMatch(HexFormat::isHexDigit)) {
            throw invalid("Unsupported x-amz-content-sha256 value " + quote(declared)
                    + "; expected a hex SHA-256 of the body or UNSIGNED-PAYLOAD");
        }
        // The signature covers the declared hash, not the body: the body must match it.
        if (!MessageDigest.isEqual(HEX.formatHex(sha256(body)).getBytes(StandardCharsets.US_ASCII),
                declared.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return declared;
    }

    // ---------------------------------------------------------------- canonical request pieces

    static String canonicalUri(String rawPath) {
        String path = rawPath.isEmpty() ? "/" : removeDotSegments(rawPath);
        return encode(path.getBytes(StandardCharsets.UTF_8), true);
    }

    /** RFC 3986 section 5.2.4 on a path, as AWS normalizes paths for every service but S3. */
    static String removeDotSegments(String path) {
        if (!path.contains(".")) {
            return path;
        }
        boolean absolute = path.startsWith("/");
        String[] segments = path.split("/", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || segment.equals("..")) {
                if (segment.equals("..") && out.size() > (absolute ? 1 : 0)) {
                    out.remove(out.size() - 1);
                }
                if (last) {
                    out.add(""); // "/a/b/.." -> "/a/": a dot segment at the end leaves a slash
                }
            } else {
                out.add(segment);
            }
        }
        String result = String.join("/", out);
        return absolute && !result.startsWith("/") ? "/" + result : result;
    }

    private static String canonicalQuery(List<QueryParam> query, boolean presigned) {
        List<String[]> pairs = new ArrayList<>();
        for (QueryParam p : query) {
            if (presigned && p.name().equals(QUERY_SIGNATURE)) {
                continue;
            }
            pairs.add(new String[] {encode(p.nameBytes(), false), encode(p.valueBytes(), false)});
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringJoiner joined = new StringJoiner("&");
        for (String[] p : pairs) {
            joined.add(p[0] + '=' + p[1]);
        }
        return joined.toString();
    }

    private static String canonicalHeaders(List<String> signedHeaders, Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = headers.get(name);
            if (values == null && name.equals("host")) {
                values = headers.get(":authority"); // HTTP/2 carries the host as a pseudo-header
            }
            if (values == null) {
                throw invalid("Signed header " + quote(name) + " is not present in the request");
            }
            StringJoiner joined = new StringJoiner(",");
            for (String v : values) {
                joined.add(collapseWhitespace(v));
            }
            out.append(name).append(':').append(joined).append('\n');
        }
        return out.toString();
    }

    private static String collapseWhitespace(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean pendingSpace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B) {
                pendingSpace = !out.isEmpty();
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- percent-encoding

    private record QueryParam(String name, String value, byte[] nameBytes, byte[] valueBytes) {}

    private static List<QueryParam> parseQuery(String rawQuery) {
        List<QueryParam> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String piece : rawQuery.split("&")) {
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            byte[] name = decode(eq < 0 ? piece : piece.substring(0, eq));
            byte[] value = eq < 0 ? new byte[0] : decode(piece.substring(eq + 1));
            params.add(new QueryParam(new String(name, StandardCharsets.UTF_8),
                    new String(value, StandardCharsets.UTF_8), name, value));
        }
        return params;
    }

    /** Percent-decodes to bytes; a '%' not followed by two hex digits stands for itself. '+' is literal. */
    private static byte[] decode(String raw) {
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && HexFormat.isHexDigit(in[i + 1])
                    && HexFormat.isHexDigit(in[i + 2])) {
                out.write(HexFormat.fromHexDigit(in[i + 1]) << 4 | HexFormat.fromHexDigit(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toByteArray();
    }

    /** Percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ (and '/', if keepSlash), uppercase hex. */
    static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
                out.append(c);
            } else {
                out.append('%').append(UPPER_HEX.charAt(c >> 4)).append(UPPER_HEX.charAt(c & 0xF));
            }
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- small helpers

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && values != null) {
                List<String> merged = out.computeIfAbsent(name, k -> new ArrayList<>());
                values.stream().filter(Objects::nonNull).forEach(merged::add);
            }
        });
        return out;
    }

    /** The one value of a header, null if absent; a repeated header is ambiguous and rejected. */
    private static String singleHeader(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw invalid("The " + name + " header must appear only once");
        }
        return values.get(0);
    }

    private static String format(long epochMillis) {
        return AMZ_DATE.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Quotes client-supplied text for an error message, cut short so a message stays small. */
    private static String quote(String s) {
        return "'" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "'";
    }

    private static WispException invalid(String message) {
        return new WispException(ErrorCode.INVALID_SIGNATURE, message);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * The derived signing key depends only on the secret, the day, the region and the service, so
     * it is kept (per day, a few entries per key) instead of four HMACs on every request.
     */
    private byte[] signingKey(String secret, String date, String region, String service) {
        String cacheKey = date + '/' + region + '/' + service + '/' + secret;
        byte[] key = signingKeys.get(cacheKey);
        if (key != null) return key;
        key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, TERMINATOR);
        if (signingKeys.size() > 10_000) signingKeys.clear();
        signingKeys.put(cacheKey, key);
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
