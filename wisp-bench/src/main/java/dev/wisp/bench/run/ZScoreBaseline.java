package dev.wisp.bench.run;

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

    private final Map<String, Window[]> windows = new HashMap<>();
    private final AlarmIntervals alarms = new AlarmIntervals("zscore", 30);

    @Override public String name() { return "zscore"; }

    @Override
    public void accept(SecondStats s) {
        Window[] w = windows.computeIfAbsent(s.function(), f -> new Window[]{new Window(), new Window(), new Window()});
        long at = s.second() * 1000;
        check(w[0], s.count(), s, at, "dos", "rate");
        if (!Double.isNaN(s.p95Ms())) check(w[1], s.p95Ms(), s, at, "regression", "p95");
        check(w[2], s.errors(), s, at, "dependency-failure", "errors");
    }

    private void check(Window w, double x, SecondStats s, long at, String type, String metric) {
        if (w.n >= MIN_SAMPLES) {
            double mean = w.sum / w.n;
            double sd = Math.sqrt(Math.max(0, w.sumSq / w.n - mean * mean));
            if (sd > 1e-9 && Math.abs(x - mean) / sd > Z) {
                alarms.alarm(s.function(), at, type, String.format("%s %.1f is %.1f sd from its 5-minute mean %.1f",
                        metric, x, (x - mean) / sd, mean));
            }
        }
        w.add(x);
    }

    @Override public void tick(long nowMillis) { alarms.tick(nowMillis); }

    @Override public List<Alert> alerts() { return alarms.alerts(); }

    /** A ring of the last {@link #WINDOW} values with running sums. */
    private static final class Window {
        final double[] ring = new double[WINDOW];
        int next;
        int n;
        double sum;
        double sumSq;

        void add(double x) {
            if (n == WINDOW) {
                double old = ring[next];
                sum -= old;
                sumSq -= old * old;
            } else {
                n++;
            }
            ring[next] = x;
            next = (next + 1) % WINDOW;
            sum += x;
            sumSq += x * x;
            if (next == 0) resum(); // running sums drift over millions of seconds
        }

        private void resum() {
            sum = 0;
            sumSq = 0;
            for (double v : ring) {
                sum += v;
                sumSq += v * v;
            }
        }
    }
}
