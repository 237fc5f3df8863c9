package dev.wisp.bench.run;

import org.apache.datasketches.kll.KllDoublesSketch;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static-threshold baseline: a fixed limit per function on the invocation rate and on the p95
 * response time, as an operator would set it once from past traffic. The limits are twice the
 * 99.9th percentile of per-second rates and twice the 99th percentile of per-second p95 seen
 * before the scored part (its first minute when there is less than an hour of history); after
 * that they never move.
 */
final class ThresholdBaseline implements Baseline {
    private static final long CALIBRATION_MILLIS = 60_000;

    private final long scoredStart;
    private final boolean hasHistory;
    private final Map<String, Limits> limits = new HashMap<>();
    private final AlarmIntervals alarms = new AlarmIntervals("threshold", 30);

    private static final class Limits {
        final KllDoublesSketch rates = KllDoublesSketch.newHeapInstance();
        final KllDoublesSketch p95s = KllDoublesSketch.newHeapInstance();
        double rateLimit = Double.NaN;
        double latencyLimit = Double.NaN;

        void fix() {
            rateLimit = Math.max(2.0, 2 * (rates.isEmpty() ? 0 : rates.getQuantile(0.999)));
            latencyLimit = Math.max(100.0, 2 * (p95s.isEmpty() ? 0 : p95s.getQuantile(0.99)));
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
            l.rates.update(s.count());
            if (!Double.isNaN(s.p95Ms())) l.p95s.update(s.p95Ms());
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
}
