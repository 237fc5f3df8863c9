package dev.wisp.bench.run;

import dev.wisp.detect.univariate.RollingWindow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rolling z-score baseline: per function and metric (rate, p95 response time, errors), the
 * mean and standard deviation of the last five minutes of seconds; a second more than three
 * standard deviations away alarms.
 */
final class ZScoreBaseline implements Baseline {
    private static final int WINDOW = 300;
    private static final int MIN_SAMPLES = 30;
    private static final double Z = 3.0;

    private final Map<String, RollingWindow[]> windows = new HashMap<>();
    private final AlarmIntervals alarms = new AlarmIntervals("zscore", 30);

    @Override public String name() { return "zscore"; }

    @Override
    public void accept(SecondStats s) {
        RollingWindow[] w = windows.computeIfAbsent(s.function(),
                f -> new RollingWindow[]{new RollingWindow(WINDOW), new RollingWindow(WINDOW), new RollingWindow(WINDOW)});
        long at = s.second() * 1000;
        check(w[0], s.count(), s, at, "dos", "rate");
        if (!Double.isNaN(s.p95Ms())) check(w[1], s.p95Ms(), s, at, "regression", "p95");
        check(w[2], s.errors(), s, at, "dependency-failure", "errors");
    }

    private void check(RollingWindow w, double x, SecondStats s, long at, String type, String metric) {
        if (w.size() >= MIN_SAMPLES) {
            double mean = w.mean();
            double sd = Math.sqrt(w.variance());
            if (sd > 1e-9 && Math.abs(x - mean) / sd > Z) {
                alarms.alarm(s.function(), at, type, String.format("%s %.1f is %.1f sd from its 5-minute mean %.1f",
                        metric, x, (x - mean) / sd, mean));
            }
        }
        w.add(x);
    }

    @Override public void tick(long nowMillis) { alarms.tick(nowMillis); }

    @Override public List<Alert> alerts() { return alarms.alerts(); }
}
