package dev.wisp.metrics;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.Trigger;

/** Invocation records for tests, with only the fields metrics read filled in. */
final class Records {
    static final long T0 = 1_700_000_000_000L;
    private static int seq;

    private Records() {}

    static InvocationRecord ran(String function, InvocationStatus status, Trigger trigger, boolean cold, double durationMs,
                                String errorType) {
        return of(function, status, trigger, cold, T0, 3.0, cold ? 150.0 : 0.0, durationMs, errorType, 0.25, 0.000005);
    }

    static InvocationRecord throttled(String function) {
        return of(function, InvocationStatus.THROTTLED, Trigger.SDK, false, 0, 0, 0, 0, "TooManyRequestsException", 0, 0);
    }

    static InvocationRecord of(String function, InvocationStatus status, Trigger trigger, boolean cold, long dispatchedAt,
                               double waitMs, double initMs, double durationMs, String errorType, double gbSeconds, double costUsd) {
        String id = "req-" + (++seq);
        return new InvocationRecord(id, "acme", function, "$LATEST", trigger, "AKIDSOURCE", null, "local", T0,
                dispatchedAt, 0, 0, 0, 0, T0 + 1, waitMs, initMs, durationMs, InvocationRecord.billedMillis(durationMs),
                256, 40, cold, "inst-" + seq, status, errorType, 10, 20, gbSeconds, costUsd,
                "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null);
    }
}
