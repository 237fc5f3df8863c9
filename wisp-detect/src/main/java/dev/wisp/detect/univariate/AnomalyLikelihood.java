package dev.wisp.detect.univariate;

/**
 * Turns a stream of raw anomaly scores into how unusual the recent raw scores are for this series:
 * the anomaly-likelihood idea (Ahmad et al., "Unsupervised real-time anomaly detection for streaming
 * data", 2017). A raw score says "this value is far from the baseline"; whether that is news depends
 * on the series, because a noisy series is far from any baseline all the time. So the recent raw
 * scores (a short moving average) are compared with the distribution of raw scores over a long
 * history (its mean and standard deviation), and the Gaussian tail probability {@code q} of the
 * short average is the evidence. The output is {@code log(q)/log(1e-10)} clipped to [0,1]: 0 for an
 * ordinary level of surprise, 0.5 for a one-in-100,000 short average, 1 at 1e-10 or rarer. The log
 * keeps the resolution where it matters, near the tail.
 *
 * <p>Everything is kept incrementally: the history in a {@link RollingWindow}, the short average in a
 * ring. Until {@code minHistory} raw scores were seen the
 * output is 0.
 */
final class AnomalyLikelihood {
    private static final double LOG_FLOOR = Math.log(1e-10);

    private final RollingWindow hist;
    private final double[] shortRing;
    private final int minHistory;
    private int sHead, sSize;
    private double sSum;
    private final double minSd;

    AnomalyLikelihood(int historyRows, int shortRows, int minHistory, double minSd) {
        this.hist = new RollingWindow(historyRows);
        this.shortRing = new double[shortRows];
        this.minHistory = minHistory;
        this.minSd = minSd;
    }

    /** Adds {@code raw} and returns the likelihood score of the short average ending with it, judged against the history before it. */
    double next(double raw) { return tailScore(nextZ(raw)); }

    /** Adds {@code raw} and returns its short average standardised against the history before it (0 while learning). */
    double nextZ(double raw) {
        // short average including this raw score
        if (sSize == shortRing.length) sSum -= shortRing[sHead]; else sSize++;
        shortRing[sHead] = raw;
        sHead = (sHead + 1) % shortRing.length;
        sSum += raw;
        double avg = sSum / sSize;
        double out = 0;
        if (hist.size() >= minHistory) {
            double sd = Math.max(minSd, Math.sqrt(hist.variance()));
            out = (avg - hist.mean()) / sd;
        }
        hist.add(raw);
        return out;
    }

    /** The likelihood score of a standardised value: {@code log(Q(z))/log(1e-10)} in [0,1]. */
    static double tailScore(double z) {
        if (!(z > 0)) return 0;
        double logQ = logGaussianTail(z);
        return Math.min(1, logQ / LOG_FLOOR);
    }

    /**
     * ln Q(z) for z > 0, Q the standard normal upper tail. Below 3: Abramowitz and Stegun 26.2.17
     * (absolute error below 7.5e-8). From 3 on: Laplace's continued fraction for the Mills ratio,
     * {@code Q(z) = phi(z) / (z + 1/(z + 2/(z + 3/(z + ...)))}, evaluated in logs so it never underflows.
     */
    static double logGaussianTail(double z) {
        double logPhi = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
        if (z < 3) {
            double t = 1 / (1 + 0.2316419 * z);
            double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
            return logPhi + Math.log(poly);
        }
        double cf = z;
        for (int k = 40; k >= 1; k--) cf = z + k / cf;
        return logPhi - Math.log(cf);
    }
}
