package dev.wisp.telemetry.model;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Where an invocation sits in a distributed trace: the trace it belongs to, its own span and the
 * span that caused it. One trace id reads both ways: as a W3C {@code traceparent} (32 hex digits)
 * and as an AWS X-Ray header ({@code Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=1}), which is
 * what the Lambda Runtime API hands a function and what AWS SDKs inside functions send on.
 *
 * @param traceId      32 lower-case hex digits
 * @param spanId       16 hex digits: the invocation's own span
 * @param parentSpanId 16 hex digits, or null for a root invocation
 */
public record TraceContext(String traceId, String spanId, String parentSpanId, boolean sampled) {

    /** A new invocation span: continues the caller's trace when a header carried one, else starts one. */
    public static TraceContext start(String traceparent, String xrayHeader) {
        Parent parent = parseTraceparent(traceparent);
        if (parent == null) parent = parseXRay(xrayHeader);
        String span = randomHex(16);
        return parent == null ? new TraceContext(randomHex(32), span, null, true)
                : new TraceContext(parent.traceId, span, parent.spanId, parent.sampled);
    }

    /** A new span under a known parent (an event attempt continues the trace of the call that queued it). */
    public static TraceContext within(String traceId, String parentSpanId) {
        if (traceId == null || !isHex(traceId, 32)) return new TraceContext(randomHex(32), randomHex(16), null, true);
        return new TraceContext(traceId, randomHex(16), parentSpanId, true);
    }

    /** The W3C header a callee would receive from this span. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    /** The X-Ray form, as Lambda passes it in {@code Lambda-Runtime-Trace-Id} and {@code _X_AMZN_TRACE_ID}. */
    public String xray() {
        return "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + ";Parent=" + spanId
                + ";Sampled=" + (sampled ? "1" : "0");
    }

    private record Parent(String traceId, String spanId, boolean sampled) {}

    /** {@code 00-<32 hex>-<16 hex>-<2 hex flags>}; anything malformed is ignored, as the W3C spec asks. */
    private static Parent parseTraceparent(String h) {
        if (h == null) return null;
        String[] p = h.trim().split("-");
        if (p.length < 4 || p[0].length() != 2 || "ff".equals(p[0])) return null;
        if (!isHex(p[1], 32) || !isHex(p[2], 16) || !isHex(p[3], 2)) return null;
        if (p[1].chars().allMatch(c -> c == '0') || p[2].chars().allMatch(c -> c == '0')) return null;
        return new Parent(p[1].toLowerCase(), p[2].toLowerCase(), (Integer.parseInt(p[3], 16) & 1) == 1);
    }

    /** {@code Root=1-<8>-<24>;Parent=<16>;Sampled=<0|1>}, fields in any order; Parent is optional. */
    private static Parent parseXRay(String h) {
        if (h == null) return null;
        String root = null;
        String parent = null;
        boolean sampled = true;
        for (String part : h.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) continue;
            String k = part.substring(0, eq).trim();
            String v = part.substring(eq + 1).trim();
            switch (k) {
                case "Root" -> root = v;
                case "Parent" -> parent = v;
                case "Sampled" -> sampled = !"0".equals(v);
                default -> { }
            }
        }
        if (root == null) return null;
        String[] r = root.split("-");
        if (r.length != 3 || !"1".equals(r[0]) || !isHex(r[1], 8) || !isHex(r[2], 24)) return null;
        if (parent != null && !isHex(parent, 16)) parent = null;
        return new Parent((r[1] + r[2]).toLowerCase(), parent == null ? null : parent.toLowerCase(), sampled);
    }

    private static boolean isHex(String s, int len) {
        if (s.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) return false;
        }
        return true;
    }

    static String randomHex(int digits) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder(digits);
        while (sb.length() < digits) {
            String h = Long.toHexString(r.nextLong() | Long.MIN_VALUE); // 16 digits, never all zero
            sb.append(h, 0, Math.min(16, digits - sb.length()));
        }
        return sb.toString();
    }
}
