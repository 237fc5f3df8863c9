package dev.wisp.detect.univariate;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * A streaming univariate anomaly scorer: {@link #score} rates one observation against what came
 * before it, in [0,1], and then learns it. Implementations keep state for exactly one series and see
 * each row once, in order, so row i's score depends on rows up to and including i only.
 */
public interface UnivariateScorer {

    /** Scores the observation {@code value} at {@code epochMillis} (in [0,1]) and learns it. Non-finite values score 0. */
    double score(long epochMillis, double value);

    /** The detectors {@code wisp detect csv --detector} knows, by name. */
    enum Kind {
        /** Wisp's detector: the seasonal baseline with its residual, likelihood and alarm layers ({@link WispScorer}). */
        WISP(WispScorer::new),
        /** A static band learned from the first rows ({@link ThresholdScorer}); a comparison baseline. */
        THRESHOLD(ThresholdScorer::new),
        /** A rolling mean and standard deviation, 3 sigmas ({@link ZScoreScorer}); a comparison baseline. */
        ZSCORE(ZScoreScorer::new);

        private final Supplier<UnivariateScorer> factory;

        Kind(Supplier<UnivariateScorer> factory) { this.factory = factory; }

        /** A fresh scorer for one series. */
        public UnivariateScorer create() { return factory.get(); }

        public String wireName() { return name().toLowerCase(Locale.ROOT); }

        /** The kind named {@code name} (case-insensitive); IllegalArgumentException naming the choices otherwise. */
        public static Kind parse(String name) {
            for (Kind k : values()) if (k.wireName().equalsIgnoreCase(name.trim())) return k;
            throw new IllegalArgumentException("unknown detector '" + name + "', expected one of wisp, threshold, zscore");
        }
    }
}
