package dev.wisp.detect.univariate;

/**
 * The simplest comparison baseline: a static band learned once. The first {@code learnRows} rows
 * (the part of a series NAB holds as probation and does not score) give the minimum and maximum;
 * afterwards the band is fixed at that range widened by {@code margin} times its width on each side.
 * A value inside the band scores 0; beyond it the score grows with the distance,
 * {@code d / (d + width)} where {@code d} is the distance past the band edge, so a value one band
 * width outside scores 0.5 and the score stays in [0,1).
 *
 * <p>NAB's probation is 15% of a file, at most 750 rows; online the file length is unknown, so a
 * fixed row count stands in for it (the default 500 rows is below 15% of all but the shortest NAB
 * files, and the learning rows score 0 either way).
 */
public final class ThresholdScorer implements UnivariateScorer {
    private final int learnRows;
    private final double margin;
    private double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    private long n;

    public ThresholdScorer() { this(500, 0.1); }

    public ThresholdScorer(int learnRows, double margin) {
        if (learnRows < 1 || !(margin >= 0)) throw new IllegalArgumentException("learnRows >= 1 and margin >= 0");
        this.learnRows = learnRows;
        this.margin = margin;
    }

    @Override
    public double score(long epochMillis, double value) {
        if (!Double.isFinite(value)) return 0;
        if (n < learnRows) {
            n++;
            min = Math.min(min, value);
            max = Math.max(max, value);
            return 0;
        }
        double width = Math.max(max - min, 1e-9 * Math.max(1, Math.abs(max)));
        double lo = min - margin * width, hi = max + margin * width;
        double d = value > hi ? value - hi : value < lo ? lo - value : 0;
        if (!(d > 0)) return 0;
        double s = d / (d + width);
        return Double.isNaN(s) ? 1 : s; // both infinite: far beyond a band that overflowed
    }
}
