package dev.wisp.tracing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Span ids for an invocation's phases, derived rather than random: the local trace view and an
 * exported trace are computed separately from the same record and must name the same spans.
 */
final class ChildSpanIds {
    private ChildSpanIds() { }

    /** 16 lower-case hex digits, never all zero, fixed by the parent span id and the child's name. */
    static String of(String parentSpanId, String childName) {
        byte[] digest = sha256(parentSpanId + '/' + childName);
        long id = 0;
        for (int i = 0; i < 8; i++) {
            id = (id << 8) | (digest[i] & 0xff);
        }
        // an all-zero id is invalid in OpenTelemetry; the chance is 2^-64, but it must never happen
        if (id == 0) id = 1;
        return HexFormat.of().toHexDigits(id);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
