package dev.wisp.metrics;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Counters and latency histograms from completed invocation records. */
final class InvocationMeters {
    /**
     * Fixed buckets from 1 ms to Lambda's 15-minute limit: a handful per decade keeps the series
     * count per function small while still separating fast, slow and timing-out calls.
     */
    static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
        Duration.ofMinutes(10), Duration.ofMinutes(15)
    };
    /** A function chooses its own error type names; past this many per function they count as "other". */
    static final int MAX_ERROR_TYPES = 20;

    private final MeterRegistry registry;
    private final LabelGuard errorTypes = new LabelGuard(MAX_ERROR_TYPES);
    private final Map<FunctionKey, FunctionMeters> byFunction = new ConcurrentHashMap<>();

    InvocationMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(InvocationRecord r) {
        FunctionMeters m = byFunction.computeIfAbsent(new FunctionKey(r.tenant(), r.functionName()), FunctionMeters::new);
        // throttled and rejected attempts never reached an instance: neither cold nor warm
        boolean ran = r.dispatchedAt() > 0;
        String start = !ran ? "none" : r.coldStart() ? "cold" : "warm";
        m.attempts(r.status() == null ? "" : r.status().wireName(), r.trigger() == null ? "" : r.trigger().wireName(), start)
                .increment();
        if (isError(r.status())) {
            String type = r.errorType() == null || r.errorType().isBlank() ? r.status().wireName() : r.errorType();
            String bounded = errorTypes.bound(r.tenant() + '/' + r.functionName(), type);
            counter("wisp.invocation.errors", "Failed invocations by error type", m.tags.and("error_type", bounded)).increment();
        }
        if (ran) {
            (r.coldStart() ? m.coldDuration : m.warmDuration).record(nanos(r.durationMs()), TimeUnit.NANOSECONDS);
            m.waitTime.record(nanos(r.waitMs()), TimeUnit.NANOSECONDS);
        }
        if (r.coldStart()) {
            m.coldStarts.increment();
            m.initTime.record(nanos(r.initMs()), TimeUnit.NANOSECONDS);
        }
        if (r.gbSeconds() > 0) m.gbSeconds.increment(r.gbSeconds());
        if (r.costUsd() > 0) m.costUsd.increment(r.costUsd());
    }

    private record FunctionKey(String tenant, String function) {}

    private record AttemptKey(String status, String trigger, String start) {}

    /**
     * One function's meters, looked up once: building tags and finding a meter in the registry for
     * every record cost more than recording into it. Counters and timers are never removed, so the
     * references stay the registry's own.
     */
    private final class FunctionMeters {
        final Tags tags;
        final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
        final Timer coldDuration;
        final Timer warmDuration;
        final Timer waitTime;
        final Timer initTime;
        final Counter coldStarts;
        final Counter gbSeconds;
        final Counter costUsd;

        FunctionMeters(FunctionKey k) {
            tags = Labels.function(k.tenant(), k.function());
            coldDuration = timer("wisp.invocation.duration", "Handler run time", tags.and("start", "cold"));
            warmDuration = timer("wisp.invocation.duration", "Handler run time", tags.and("start", "warm"));
            waitTime = timer("wisp.invocation.wait", "Time from arrival until an instance took the request", tags);
            initTime = timer("wisp.invocation.init.duration", "Instance init time on cold starts", tags);
            coldStarts = counter("wisp.cold.starts", "Invocations that had to start an instance", tags);
            gbSeconds = counter("wisp.gb.seconds", "Billed GB-seconds", tags);
            costUsd = counter("wisp.cost.usd", "Cost at the configured price table, in US dollars", tags);
        }

        Counter attempts(String status, String trigger, String start) {
            return attempts.computeIfAbsent(new AttemptKey(status, trigger, start), a ->
                    counter("wisp.invocations", "Invocation attempts by outcome, trigger and cold or warm start",
                            tags.and("status", a.status(), "trigger", a.trigger(), "start", a.start())));
        }
    }

    /** Failures of the function or its instance; throttles and rejections are counted by status instead. */
    private static boolean isError(InvocationStatus s) {
        return s != null && switch (s) {
            case ERROR, TIMEOUT, OOM, CRASH -> true;
            case SUCCESS, THROTTLED, REJECTED -> false;
        };
    }

    private static long nanos(double millis) {
        return (long) (Math.max(0.0, millis) * 1_000_000.0);
    }

    private Counter counter(String name, String help, Tags tags) {
        return Counter.builder(name).description(help).tags(tags).register(registry);
    }

    private Timer timer(String name, String help, Tags tags) {
        return Timer.builder(name).description(help).tags(tags).serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0]).maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
    }
}
