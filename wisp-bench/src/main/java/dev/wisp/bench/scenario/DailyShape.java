package dev.wisp.bench.scenario;

import java.util.List;

/**
 * The rate of a {@code diurnal} pattern over the day: one bump 2.5 hours wide around each peak
 * hour (UTC), scaled to [-1, 1] with mean 0, so the pattern's mean rate stays {@code ratePerSecond}
 * and {@code amplitude} is its relative swing; Saturdays and Sundays are scaled by
 * {@code weekendFactor}. One definition for the simulator and live mode, so live traffic follows
 * the history that was simulated for it.
 */
public final class DailyShape {
    private static final double WIDTH_HOURS = 2.5;
    private static final long DAY_MS = 86_400_000L;

    private final Pattern.Diurnal pattern;
    private final double[] perMinute;

    public DailyShape(Pattern.Diurnal pattern) {
        this.pattern = pattern;
        this.perMinute = shape(pattern.peakHours());
    }

    /** Arrivals per second at {@code epochMillis}. */
    public double rate(long epochMillis) {
        int minute = (int) (Math.floorMod(epochMillis, DAY_MS) / 60_000L);
        double r = pattern.ratePerSecond() * (1 + pattern.amplitude() * perMinute[minute]);
        if (pattern.weekendFactor() != null) {
            int dow = (int) Math.floorMod(Math.floorDiv(epochMillis, DAY_MS) + 3, 7L); // 1970-01-01 was a Thursday; 0 = Monday
            if (dow >= 5) r *= pattern.weekendFactor();
        }
        return Math.max(0, r);
    }

    /** An upper bound of {@link #rate}, for thinning. */
    public double peakRate() {
        return pattern.ratePerSecond() * (1 + Math.abs(pattern.amplitude()))
                * (pattern.weekendFactor() == null ? 1 : Math.max(1, pattern.weekendFactor()));
    }

    private static double[] shape(List<Double> peakHours) {
        double[] f = new double[1440];
        double mean = 0;
        for (int m = 0; m < 1440; m++) {
            double hour = m / 60.0;
            double v = 0;
            for (double p : peakHours) {
                double d = Math.abs(hour - p) % 24;
                d = Math.min(d, 24 - d);
                v += Math.exp(-d * d / (2 * WIDTH_HOURS * WIDTH_HOURS));
            }
            f[m] = v;
            mean += v / 1440;
        }
        double span = 0;
        for (double v : f) span = Math.max(span, Math.abs(v - mean));
        for (int m = 0; m < 1440; m++) f[m] = span <= 0 ? 0 : (f[m] - mean) / span;
        return f;
    }
}
