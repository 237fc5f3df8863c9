package dev.wisp.tracing;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.Trigger;

/** Invocation records as the dispatcher builds them, for the tests. */
final class Records {
    private Records() { }

    static final long T0 = 1_700_000_000_000L;
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SOURCE = "AKIDEXAMPLECALLER";

    /** Waited 2 ms, initialised 150 ms, ran 40 ms. */
    static InvocationRecord cold(String spanId) {
        return new InvocationRecord("req-cold", "acme", "hello", "$LATEST", Trigger.HTTP, SOURCE, null, "eu-central",
                T0, T0 + 2, T0 + 2, T0 + 152, T0 + 153, T0 + 193, T0 + 195,
                2.0, 150.0, 40.0, 40, 256, 60, true, "i-cold", InvocationStatus.SUCCESS, null, 10, 20,
                InvocationRecord.gbSeconds(256, 40), 0.0000007, TRACE, spanId, null);
    }

    /** A warm run that the function failed. */
    static InvocationRecord warmError(String spanId) {
        return new InvocationRecord("req-warm", "acme", "hello", "3", Trigger.QUEUE, SOURCE, null, "eu-central",
                T0, T0 + 1, 0, 0, T0 + 1, T0 + 11, T0 + 12,
                1.0, 0, 10.0, 10, 128, 40, false, "i-warm", InvocationStatus.ERROR, "Handled", 10, 20,
                InvocationRecord.gbSeconds(128, 10), 0.0000001, TRACE, spanId, null);
    }

    static InvocationRecord throttled(String spanId) {
        return new InvocationRecord("req-throttled", "acme", "hello", "$LATEST", Trigger.SDK, SOURCE, null, "eu-central",
                T0, 0, 0, 0, 0, 0, T0, 0, 0, 0, 0, 256, 0, false, null, InvocationStatus.THROTTLED,
                "TooManyRequestsException", 10, 0, 0, 0, TRACE, spanId, null);
    }

    /** Called from inside {@code parent}: same trace, under the parent's span. */
    static InvocationRecord chained(InvocationRecord parent, String spanId) {
        return new InvocationRecord("req-child", "acme", "world", "$LATEST", Trigger.CHAIN, SOURCE, parent.requestId(),
                "eu-central", T0 + 160, T0 + 161, 0, 0, T0 + 161, T0 + 181, T0 + 182,
                1.0, 0, 20.0, 20, 512, 70, false, "i-world", InvocationStatus.SUCCESS, null, 5, 5,
                InvocationRecord.gbSeconds(512, 20), 0.0000002, parent.traceId(), spanId, parent.spanId());
    }
}
