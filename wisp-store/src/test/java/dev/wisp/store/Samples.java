package dev.wisp.store;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import java.util.List;

/** Telemetry to put in a store under test. */
final class Samples {
    private Samples() {}

    /** One of every record kind and event subtype of {@code tenant}, with nulls and every enum, times from {@code t}. */
    static List<Object> everyKind(String tenant, long t) {
        return List.of(
                new InvocationRecord("req-1-" + tenant, tenant, "resize", "$LATEST", Trigger.HTTP, "AKID1", null, "local",
                        t, t + 2, t + 3, t + 250, t + 251, t + 300, t + 301, 2.0, 247.5, 49.25, 50, 256, 61, true, "i-1",
                        InvocationStatus.SUCCESS, null, 120, 3_400, 0.0125, 2.1e-7, "0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331", null),
                new InvocationRecord("req-2-" + tenant, tenant, "resize", "3", Trigger.CHAIN, "h:9f", "req-1", "local",
                        t + 400, 0, 0, 0, 0, 0, t + 400, 0, 0, 0, 0, 128, 0, false, null,
                        InvocationStatus.THROTTLED, "TooManyRequestsException", 0, 0, 0, 0,
                        "0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", "b7ad6b7169203331"),
                new PlatformEvent.InstanceEvent(t, tenant, "resize", "i-1", InstanceTransition.EVICTED, "idle timeout"),
                new PlatformEvent.Throttled(t + 400, tenant, "resize", "req-2-" + tenant, "account concurrency"),
                new PlatformEvent.SchedulerDecision(t + 401, tenant, "resize", "cold-start", null),
                new PlatformEvent.ConcurrencySample(t + 1_000, tenant, "resize", 4, 10, 12),
                new PlatformEvent.MitigationAction(t + 1_001, tenant, "resize", "throttle", "resize", true, "cost spike"),
                new PlatformEvent.BudgetCrossed(t + 1_002, tenant, null, "MONTH", 10.0, 10.5),
                new ResourceSample(t + 1_000, ResourceSample.Scope.INSTANCE, tenant, "resize", "i-1", 153.5, 52_428_800L, 0, 0, 0),
                new ResourceSample(t + 1_000, ResourceSample.Scope.FUNCTION, tenant, "resize", null, 0, 0, 2, 1, 1),
                new LogLine(t + 299, LogLine.Source.FUNCTION, tenant, "resize", "i-1", "INFO", "req-1-" + tenant,
                        "tab\there \"quoted\" ünïcødé 🚀 and \\ backslash"),
                new LogLine(t + 500, LogLine.Source.PLATFORM, tenant, "resize", "controller", "WARN", null, "queue full"));
    }

    /** Telemetry of no tenant: host samples and platform lines. */
    static List<Object> platformOnly(long t) {
        return List.of(
                new ResourceSample(t + 1_000, ResourceSample.Scope.HOST, null, null, null, 1_800, 8_000_000_000L, 0, 0, 0),
                new LogLine(t + 600, LogLine.Source.PLATFORM, null, null, "gateway", "ERROR", null, "listener restarted"));
    }

    /** An invocation with the fields the series and cost queries read; the rest is filler. */
    static InvocationRecord invocation(String tenant, String fn, String requestId, long completedAt, InvocationStatus status,
                                       boolean cold, double durationMs, double waitMs, double gbSeconds, double costUsd) {
        return new InvocationRecord(requestId, tenant, fn, "$LATEST", Trigger.SDK, "AKID", null, "local",
                completedAt - 10, completedAt - 9, 0, 0, 0, 0, completedAt, waitMs, cold ? 100 : 0, durationMs,
                InvocationRecord.billedMillis(durationMs), 128, 40, cold, "i-" + fn, status, null, 10, 10, gbSeconds,
                costUsd, "trace-" + requestId, "span", null);
    }
}
