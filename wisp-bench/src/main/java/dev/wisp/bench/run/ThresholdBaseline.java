package dev.wisp.bench.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The static-threshold baseline: a fixed limit per function on the invocation rate and on the p95
 * response time, as an operator would set it once from past traffic. The limits are twice the
 * 99.9th percentile of per-second rates and twice the 99th percentile of per-second p95 seen
 * before the scored part (its first minute when there is less than an hour of history); after
 * that they never move. Quantiles are exact (counts of whole values), so a run is reproducible:
 * a sketch with randomised compaction would move the limits from one run to the next.
 */
final class ThresholdBaseline implements Baseline {
    private static final long CALIBRATION_MILLIS = 60_000;

    private final long scoredStart;
    private final boolean hasHistory;
    private final Map<String, Limits> limits = new HashMap<>();
    private final AlarmIntervals alarms = new AlarmIntervals("threshold", 30);

    private static final class Limits {
        final Quantiles rates = new Quantiles();
        final Quantiles p95s = new Quantiles();
        double rateLimit = Double.NaN;
        double latencyLimit = Double.NaN;

        void fix() {
            rateLimit = Math.max(2.0, 2 * rates.quantile(0.999));
            latencyLimit = Math.max(100.0, 2 * p95s.quantile(0.99));
        }
    }

    ThresholdBaseline(long scoredStartMillis, double historyDays) {
        this.scoredStart = scoredStartMillis;
        this.hasHistory = historyDays * 24 >= 1;
    }

    @Override public String name() { return "threshold"; }

    @Override
    public void accept(SecondStats s) {
        long at = s.second() * 1000;
        long learnUntil = hasHistory ? scoredStart : scoredStart + CALIBRATION_MILLIS;
        Limits l = limits.computeIfAbsent(s.function(), f -> new Limits());
        if (at < learnUntil) {
            l.rates.add(s.count());
            if (!Double.isNaN(s.p95Ms())) l.p95s.add(Math.round(s.p95Ms()));
            return;
        }
        if (Double.isNaN(l.rateLimit)) l.fix();
        boolean rate = s.count() > l.rateLimit;
        boolean latency = s.p95Ms() > l.latencyLimit;
        if (rate || latency) {
            alarms.alarm(s.function(), at, rate ? "dos" : "regression", rate
                    ? String.format("rate %d/s above the static limit %.1f/s", s.count(), l.rateLimit)
                    : String.format("p95 %.0f ms above the static limit %.0f ms", s.p95Ms(), l.latencyLimit));
        }
    }

    @Override public void tick(long nowMillis) { alarms.tick(nowMillis); }

    @Override public List<Alert> alerts() { return alarms.alerts(); }

    /** Exact quantiles of whole numbers (per-second counts, milliseconds): how often each value was seen. */
    private static final class Quantiles {
        private final TreeMap<Long, Long> counts = new TreeMap<>();
        private long n;

        void add(long v) {
            counts.merge(v, 1L, Long::sum);
            n++;
        }

        /** The smallest value with at least {@code q} of the observations at or below it; 0 when empty. */
        double quantile(double q) {
            long rank = (long) Math.ceil(q * n);
            long seen = 0;
            for (var e : counts.entrySet()) {
                seen += e.getValue();
                if (seen >= rank) return e.getKey();
            }
            return 0;
        }
    }
}
