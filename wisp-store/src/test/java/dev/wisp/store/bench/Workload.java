package dev.wisp.store.bench;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Synthetic telemetry in time order, shaped like the server's: per invocation one record and one
 * log line (the REPORT line, or the error text), and per second of time, per function, one
 * concurrency sample, one function sample and one sample per instance.
 */
final class Workload {
    static final String TENANT = "bench";
    static final String FUNCTION = "api";
    private static final String[] INSTANCES = {"i-api-1", "i-api-2"};

    private final SplittableRandom random = new SplittableRandom(42);
    private final long start;
    private final long stepMillisTimes1000;
    private final boolean logs;
    private long invocations;

    /**
     * @param perSecond invocations per second of simulated time
     * @param logs      whether to emit each invocation's log line (see {@link #LOGS_FROM_INVOCATIONS})
     */
    Workload(long start, int perSecond, boolean logs) {
        this.start = start;
        this.stepMillisTimes1000 = 1_000_000L / perSecond;
        this.logs = logs;
    }

    /** The log lines {@link #next} would emit, made in SQL from stored invocations: much faster for big data sets. */
    static final String LOGS_FROM_INVOCATIONS = "INSERT INTO logs SELECT completed_at, 'FUNCTION', tenant, function_name,"
            + " instance_id, CASE WHEN status = 'throttled' THEN 'WARN' ELSE 'INFO' END, request_id,"
            + " CASE status WHEN 'timeout' THEN 'Task timed out after 3.00 seconds'"
            + " WHEN 'error' THEN '[ERROR] upstream refused connection: db-7 port 5432'"
            + " ELSE 'REPORT RequestId: ' || request_id || chr(9) || 'Duration: ' || round(duration_ms, 2) || ' ms' || chr(9)"
            + " || 'Billed Duration: ' || billed_ms || ' ms' || chr(9) || 'Memory Size: 128 MB' || chr(9)"
            + " || 'Max Memory Used: 52 MB' END FROM invocations";

    long invocations() { return invocations; }

    /** Emits the next invocation (and the samples of any second it starts); returns its request id. */
    String next(Consumer<Object> out) {
        long i = invocations++;
        long t = start + i * stepMillisTimes1000 / 1000;
        long previous = i == 0 ? start - 1 : start + (i - 1) * stepMillisTimes1000 / 1000;
        if (t / 1000 != previous / 1000) samples(t / 1000 * 1000, out);
        String requestId = new UUID(random.nextLong(), random.nextLong()).toString();
        double roll = random.nextDouble();
        InvocationStatus status = roll < 0.001 ? InvocationStatus.TIMEOUT : roll < 0.006 ? InvocationStatus.ERROR
                : roll < 0.008 ? InvocationStatus.THROTTLED : InvocationStatus.SUCCESS;
        boolean ran = status != InvocationStatus.THROTTLED;
        boolean cold = ran && random.nextDouble() < 0.01;
        double duration = ran ? 5 + -Math.log(1 - random.nextDouble()) * 20 : 0;
        long billed = InvocationRecord.billedMillis(duration);
        double gbSeconds = InvocationRecord.gbSeconds(128, billed);
        double wait = ran ? random.nextDouble() * 2 : 0;
        double init = cold ? 150 + random.nextDouble() * 100 : 0;
        String instance = ran ? INSTANCES[(int) (i & 1)] : null;
        out.accept(new InvocationRecord(requestId, TENANT, FUNCTION, "$LATEST", Trigger.HTTP, "AKIDBENCH", null, "local",
                t - (long) (duration + wait + init), t - (long) (duration + init), 0, 0, 0, 0, t, wait, init, duration, billed,
                128, 40 + (int) (i % 20), cold, instance, status, status == InvocationStatus.ERROR ? "Error" : null, 200, 900,
                gbSeconds, ran ? 2e-7 + gbSeconds * 0.0000166667 : 0,
                Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE),
                Long.toHexString(random.nextLong() | Long.MIN_VALUE), null));
        if (!logs) return requestId;
        String message = switch (status) {
            case TIMEOUT -> "Task timed out after 3.00 seconds";
            case ERROR -> "[ERROR] upstream refused connection: db-7 port 5432";
            default -> "REPORT RequestId: " + requestId + "\tDuration: " + Math.round(duration * 100) / 100.0
                    + " ms\tBilled Duration: " + billed + " ms\tMemory Size: 128 MB\tMax Memory Used: 52 MB";
        };
        out.accept(new LogLine(t, LogLine.Source.FUNCTION, TENANT, FUNCTION, instance, ran ? "INFO" : "WARN", requestId, message));
        return requestId;
    }

    private void samples(long second, Consumer<Object> out) {
        int busy = random.nextInt(3);
        out.accept(new PlatformEvent.ConcurrencySample(second, TENANT, FUNCTION, 0, busy, 2));
        out.accept(new ResourceSample(second, ResourceSample.Scope.FUNCTION, TENANT, FUNCTION, null, 0, 0, 2 - busy, busy, 0));
        for (String instance : INSTANCES) {
            out.accept(new ResourceSample(second, ResourceSample.Scope.INSTANCE, TENANT, FUNCTION, instance,
                    random.nextDouble() * 500, 50_000_000 + random.nextInt(10_000_000), 0, 0, 0));
        }
    }
}
