package dev.wisp.bench.run;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Rolls invocation records up into one {@link SecondStats} per function per second for the
 * baselines. Every function seen so far gets a row each second, zero when it was quiet, so that
 * rolling statistics see the silences too.
 */
final class SecondAggregator {
    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private final Consumer<SecondStats> out;

    SecondAggregator(Consumer<SecondStats> out) {
        this.out = out;
    }

    void accept(InvocationRecord r) {
        Bucket b = buckets.computeIfAbsent(r.functionName(), f -> new Bucket());
        if (r.status() == InvocationStatus.THROTTLED || r.status() == InvocationStatus.REJECTED) {
            b.throttles++;
            return;
        }
        b.add(r.completedAt() - r.receivedAt());
        if (r.status() != InvocationStatus.SUCCESS) b.errors++;
    }

    /** Closes the second that ends at {@code epochMillis}. */
    void tick(long epochMillis) {
        long second = epochMillis / 1000 - 1;
        for (var e : buckets.entrySet()) {
            Bucket b = e.getValue();
            out.accept(new SecondStats(e.getKey(), second, b.n, b.p95(), b.errors, b.throttles));
            b.clear();
        }
    }

    private static final class Bucket {
        double[] latencies = new double[16];
        int n;
        int errors;
        int throttles;

        void add(double ms) {
            if (n == latencies.length) latencies = Arrays.copyOf(latencies, n * 2);
            latencies[n++] = ms;
        }

        double p95() {
            if (n == 0) return Double.NaN;
            Arrays.sort(latencies, 0, n);
            return latencies[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)];
        }

        void clear() {
            n = 0;
            errors = 0;
            throttles = 0;
        }
    }
}
