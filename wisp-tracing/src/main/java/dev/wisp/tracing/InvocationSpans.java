package dev.wisp.tracing;

import static dev.wisp.tracing.SpanAttributes.*;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The spans of one invocation, derived from its record alone: a SERVER span for the whole
 * invocation (the record's own span id, under the caller's span) and an INTERNAL span per phase
 * that happened: {@value #WAIT}, {@value #INIT} (cold starts only) and {@value #EXECUTE}.
 * The local trace view and the OTLP export both come from here, so they cannot disagree.
 */
public final class InvocationSpans {
    public static final String WAIT = "wait";
    public static final String INIT = "init";
    public static final String EXECUTE = "execute";

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private InvocationSpans() { }

    /**
     * The invocation span first, then its phases in time order; empty when the record carries no
     * valid trace or span id (nothing could link such spans into a trace).
     */
    public static List<SpanView> of(InvocationRecord r) {
        String traceId = validId(r.traceId(), 32);
        String spanId = validId(r.spanId(), 16);
        if (traceId == null || spanId == null) return List.of();
        boolean failed = r.status() != InvocationStatus.SUCCESS;
        String message = failed ? failureMessage(r) : null;
        SpanView.Status status = failed ? SpanView.Status.ERROR : SpanView.Status.OK;

        List<Phase> phases = phases(r);
        List<SpanView> spans = new ArrayList<>(1 + phases.size());
        spans.add(new SpanView(traceId, spanId, validId(r.parentSpanId(), 16),
                r.functionName() == null ? "invocation" : r.functionName(), SpanView.Kind.SERVER,
                nanos(r.receivedAt()), nanos(Math.max(r.receivedAt(), r.completedAt())), status, message,
                attributes(r)));
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            // the last phase reached is where a failed invocation failed
            boolean failedHere = failed && i == phases.size() - 1;
            spans.add(new SpanView(traceId, ChildSpanIds.of(spanId, p.name), spanId, p.name, SpanView.Kind.INTERNAL,
                    nanos(p.startMs), nanos(Math.max(p.startMs, p.endMs)),
                    failedHere ? SpanView.Status.ERROR : SpanView.Status.OK, failedHere ? message : null, Map.of()));
        }
        return List.copyOf(spans);
    }

    private record Phase(String name, long startMs, long endMs) {}

    private static List<Phase> phases(InvocationRecord r) {
        List<Phase> phases = new ArrayList<>(3);
        if (r.dispatchedAt() > 0) {
            phases.add(new Phase(WAIT, r.receivedAt(), r.dispatchedAt()));
        } else if (r.waitMs() > 0) {
            // queued for an instance and gave up (a throttle never waits, so it has no phases)
            phases.add(new Phase(WAIT, r.receivedAt(), r.completedAt()));
        }
        if (r.coldStart() && r.initStartAt() > 0) {
            phases.add(new Phase(INIT, r.initStartAt(), endOr(r.initEndAt(), r)));
        }
        if (r.execStartAt() > 0) {
            phases.add(new Phase(EXECUTE, r.execStartAt(), endOr(r.execEndAt(), r)));
        }
        return phases;
    }

    /** A phase cut short without its end time ran until the invocation completed. */
    private static long endOr(long end, InvocationRecord r) {
        return end > 0 ? end : r.completedAt();
    }

    private static Map<String, Object> attributes(InvocationRecord r) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(FAAS_TRIGGER, faasTrigger(r.trigger()));
        put(a, FAAS_INVOCATION_ID, r.requestId());
        put(a, FAAS_NAME, r.functionName());
        put(a, FAAS_VERSION, r.version());
        a.put(FAAS_COLDSTART, r.coldStart());
        if (r.memoryLimitMb() > 0) a.put(FAAS_MAX_MEMORY, r.memoryLimitMb() * 1024L * 1024L);
        put(a, FAAS_INSTANCE, r.instanceId());
        put(a, CLOUD_ACCOUNT_ID, r.tenant());
        put(a, CLOUD_REGION, r.location());
        // sourceId is deliberately absent: it identifies the caller, and traces leave this process
        if (r.trigger() != null) a.put(WISP_TRIGGER, r.trigger().wireName());
        if (r.status() != null) a.put(WISP_STATUS, r.status().wireName());
        put(a, WISP_ERROR_TYPE, r.errorType());
        put(a, WISP_PARENT_REQUEST_ID, r.parentRequestId());
        a.put(WISP_WAIT_MS, r.waitMs());
        a.put(WISP_INIT_MS, r.initMs());
        a.put(WISP_DURATION_MS, r.durationMs());
        a.put(WISP_BILLED_MS, r.billedMs());
        a.put(WISP_MAX_MEMORY_USED_MB, (long) r.maxMemoryUsedMb());
        a.put(WISP_GB_SECONDS, r.gbSeconds());
        a.put(WISP_COST_USD, r.costUsd());
        return a;
    }

    private static void put(Map<String, Object> a, String key, String value) {
        if (value != null && !value.isEmpty()) a.put(key, value);
    }

    private static String failureMessage(InvocationRecord r) {
        String status = r.status() == null ? "failed" : r.status().wireName();
        return r.errorType() == null || r.errorType().isEmpty() ? status : status + ": " + r.errorType();
    }

    /** The id in lower case, or null when it is not {@code digits} hex digits or is all zero. */
    static String validId(String id, int digits) {
        if (id == null || id.length() != digits) return null;
        boolean nonZero = false;
        for (int i = 0; i < digits; i++) {
            char c = id.charAt(i);
            // ASCII only: Character.digit would also take other scripts' digits
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) return null;
            nonZero |= c != '0';
        }
        return nonZero ? id.toLowerCase(Locale.ROOT) : null;
    }

    private static long nanos(long epochMillis) {
        return epochMillis * NANOS_PER_MILLI;
    }
}
