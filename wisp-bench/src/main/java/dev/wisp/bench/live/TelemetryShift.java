package dev.wisp.bench.live;

import java.util.Map;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;

/**
 * Moves telemetry from the real clock to the scenario's clock: every timestamp gets the same
 * offset, so the live run's real start lands on the scenario's {@code startTime} and time-of-day
 * baselines see the hour the scenario is set in. Durations are differences and stay as they are;
 * a phase that did not happen (timestamp 0) stays 0. Items of unknown types pass unchanged.
 * Source identities can be mapped back too: live mode gives each scenario source label an access
 * key, and the simulated history knows the label, so detection must see the same name in both.
 */
public final class TelemetryShift {
    private final long offsetMillis;
    private final Map<String, String> sources;

    /** @param offsetMillis added to every timestamp (scenario start minus real start) */
    public TelemetryShift(long offsetMillis) {
        this(offsetMillis, Map.of());
    }

    private TelemetryShift(long offsetMillis, Map<String, String> sources) {
        this.offsetMillis = offsetMillis;
        this.sources = Map.copyOf(sources);
    }

    /** The same shift, also renaming invocation sources: access-key id to scenario source label. */
    public TelemetryShift renamingSources(Map<String, String> sourceIdToLabel) {
        return new TelemetryShift(offsetMillis, sourceIdToLabel);
    }

    /** The shift that maps {@code realStartMillis} onto {@code scenarioStartMillis}. */
    public static TelemetryShift mapping(long realStartMillis, long scenarioStartMillis) {
        return new TelemetryShift(scenarioStartMillis - realStartMillis);
    }

    public long offsetMillis() { return offsetMillis; }

    /** A real epoch-millisecond time on the scenario's clock. */
    public long toScenario(long realMillis) { return realMillis + offsetMillis; }

    /** A scenario time back on the real clock. */
    public long toReal(long scenarioMillis) { return scenarioMillis - offsetMillis; }

    public Object apply(Object item) {
        return switch (item) {
            case InvocationRecord r -> shift(r);
            case PlatformEvent e -> shift(e);
            case ResourceSample s -> new ResourceSample(t(s.timestamp()), s.scope(), s.tenant(), s.functionName(),
                    s.instanceId(), s.cpuMillicores(), s.rssBytes(), s.idle(), s.busy(), s.initializing());
            case LogLine l -> new LogLine(t(l.timestamp()), l.source(), l.tenant(), l.functionName(), l.component(),
                    l.level(), l.requestId(), l.message());
            case null, default -> item;
        };
    }

    public InvocationRecord shift(InvocationRecord r) {
        return new InvocationRecord(r.requestId(), r.tenant(), r.functionName(), r.version(), r.trigger(),
                sources.getOrDefault(r.sourceId(), r.sourceId()),
                r.parentRequestId(), r.location(), t(r.receivedAt()), t(r.dispatchedAt()), t(r.initStartAt()),
                t(r.initEndAt()), t(r.execStartAt()), t(r.execEndAt()), t(r.completedAt()), r.waitMs(), r.initMs(),
                r.durationMs(), r.billedMs(), r.memoryLimitMb(), r.maxMemoryUsedMb(), r.coldStart(), r.instanceId(),
                r.status(), r.errorType(), r.requestBytes(), r.responseBytes(), r.gbSeconds(), r.costUsd(), r.traceId(),
                r.spanId(), r.parentSpanId());
    }

    public PlatformEvent shift(PlatformEvent e) {
        return switch (e) {
            case PlatformEvent.InstanceEvent i -> new PlatformEvent.InstanceEvent(t(i.timestamp()), i.tenant(),
                    i.functionName(), i.instanceId(), i.transition(), i.reason());
            case PlatformEvent.Throttled th -> new PlatformEvent.Throttled(t(th.timestamp()), th.tenant(),
                    th.functionName(), th.requestId(), th.reason());
            case PlatformEvent.SchedulerDecision d -> new PlatformEvent.SchedulerDecision(t(d.timestamp()), d.tenant(),
                    d.functionName(), d.decision(), d.detail());
            case PlatformEvent.ConcurrencySample c -> new PlatformEvent.ConcurrencySample(t(c.timestamp()), c.tenant(),
                    c.functionName(), c.queued(), c.concurrent(), c.instances());
            case PlatformEvent.MitigationAction m -> new PlatformEvent.MitigationAction(t(m.timestamp()), m.tenant(),
                    m.functionName(), m.action(), m.target(), m.dryRun(), m.reason());
            case PlatformEvent.BudgetCrossed b -> new PlatformEvent.BudgetCrossed(t(b.timestamp()), b.tenant(),
                    b.functionName(), b.period(), b.budgetUsd(), b.spentUsd());
        };
    }

    /** 0 means "did not happen" and stays 0. */
    private long t(long millis) {
        return millis == 0 ? 0 : millis + offsetMillis;
    }

    /** The item's own time on whatever clock it carries, or -1 for an unknown item. */
    public static long timestampOf(Object item) {
        return switch (item) {
            case InvocationRecord r -> r.receivedAt();
            case PlatformEvent e -> e.timestamp();
            case ResourceSample s -> s.timestamp();
            case LogLine l -> l.timestamp();
            case null, default -> -1;
        };
    }
}
