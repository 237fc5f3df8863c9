package dev.wisp.telemetry.model;

/**
 * One invocation attempt, built once when it completes (throttled and rejected attempts included).
 * Timestamps are epoch milliseconds; a phase that did not happen has timestamp 0.
 *
 * @param sourceId   who called: the access-key id, or a keyed hash of the client address
 * @param parentRequestId the calling invocation for {@link Trigger#CHAIN}, else null
 * @param receivedAt when the gateway had the request
 * @param dispatchedAt when an instance took it (warm) or was started for it (cold)
 * @param gbSeconds  memory limit in GB times billed seconds
 * @param costUsd    the money this attempt costs at the configured {@link PriceTable} (0 when not billed)
 * @param traceId    32 hex digits (see {@link TraceContext}); spanId is the invocation's own span,
 *                   parentSpanId the caller's span or null
 */
public record InvocationRecord(
        String requestId,
        String tenant,
        String functionName,
        String version,
        Trigger trigger,
        String sourceId,
        String parentRequestId,
        String location,
        long receivedAt,
        long dispatchedAt,
        long initStartAt,
        long initEndAt,
        long execStartAt,
        long execEndAt,
        long completedAt,
        double waitMs,
        double initMs,
        double durationMs,
        long billedMs,
        int memoryLimitMb,
        int maxMemoryUsedMb,
        boolean coldStart,
        String instanceId,
        InvocationStatus status,
        String errorType,
        long requestBytes,
        long responseBytes,
        double gbSeconds,
        double costUsd,
        String traceId,
        String spanId,
        String parentSpanId) {

    /** Billed duration: rounded up to the next millisecond, as Lambda bills. */
    public static long billedMillis(double durationMs) {
        return (long) Math.ceil(Math.max(0.0, durationMs));
    }

    public static double gbSeconds(int memoryMb, long billedMs) {
        return memoryMb / 1024.0 * billedMs / 1000.0;
    }
}
