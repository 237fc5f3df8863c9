package dev.wisp.tracing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One span as Wisp shows and exports it: plain data, free of the OpenTelemetry API, so the query
 * API can assemble a trace from stored records without an exporter.
 *
 * @param parentSpanId  16 hex digits, or null for a root span
 * @param statusMessage why the span failed; null when {@link Status#OK}
 * @param attributes    values are String, Long, Double or Boolean; insertion-ordered
 */
public record SpanView(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        Kind kind,
        long startEpochNanos,
        long endEpochNanos,
        Status status,
        String statusMessage,
        Map<String, Object> attributes) {

    public enum Kind { SERVER, INTERNAL }

    public enum Status { OK, ERROR }

    public SpanView {
        Objects.requireNonNull(traceId, "traceId");
        Objects.requireNonNull(spanId, "spanId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        // a copy keeps the caller's order and stops later changes leaking in
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public boolean isRoot() { return parentSpanId == null; }

    public long durationNanos() { return endEpochNanos - startEpochNanos; }
}
