package dev.wisp.detect.univariate;

/**
 * The classic comparison baseline: the value's distance from the mean of the previous
 * {@code window} rows in standard deviations of those rows (the current row is scored before it
 * enters the window). The score is {@code z²/(z²+9)}: 0 at the mean, 0.5 at the usual 3-sigma
 * alarm line, towards 1 beyond. The window's mean and variance come from a {@link RollingWindow}.
 */
public final class ZScoreScorer implements UnivariateScorer {
    private final RollingWindow window;
    private final int minRows;

    /** A day of five-minute rows (NAB's commonest interval), scoring once 30 rows were seen. */
    public ZScoreScorer() { this(288, 30); }

    public ZScoreScorer(int window, int minRows) {
        if (window < 2 || minRows < 2 || minRows > window) throw new IllegalArgumentException("need 2 <= minRows <= window");
        this.window = new RollingWindow(window);
        this.minRows = minRows;
    }

    @Override
    public double score(long epochMillis, double value) {
        if (!Double.isFinite(value)) return 0;
        double s = 0;
        if (window.size() >= minRows) {
            double mean = window.mean();
            double sd = Math.max(Math.sqrt(window.variance()), 1e-9 * Math.max(1, Math.abs(mean)));
            double z = (value - mean) / sd;
            double z2 = z * z;
            s = Double.isInfinite(z2) ? 1 : z2 / (z2 + 9);
            if (Double.isNaN(s)) s = 0; // the window's sums overflowed (values near Double.MAX_VALUE): no verdict
        }
        window.add(value);
        return s;
    }
}
