package dev.wisp.detect.univariate;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnivariateScorersTest {
    static final long T0 = 1_772_409_600_000L, STEP = 300_000L;

    @Test
    void kindsParseByName() {
        assertEquals(UnivariateScorer.Kind.WISP, UnivariateScorer.Kind.parse("wisp"));
        assertEquals(UnivariateScorer.Kind.THRESHOLD, UnivariateScorer.Kind.parse("Threshold"));
        assertEquals(UnivariateScorer.Kind.ZSCORE, UnivariateScorer.Kind.parse(" zscore "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UnivariateScorer.Kind.parse("htm"));
        assertTrue(e.getMessage().contains("wisp, threshold, zscore"), e.getMessage());
    }

    @Test
    void thresholdLearnsABandThenGradesDistanceBeyondIt() {
        ThresholdScorer s = new ThresholdScorer(100, 0.1);
        for (int i = 0; i < 100; i++) assertEquals(0, s.score(T0 + i * STEP, i % 2 == 0 ? 10 : 20));
        assertEquals(0, s.score(T0, 15));
        assertEquals(0, s.score(T0, 20.9)); // inside the 10% margin
        assertEquals(0.5, s.score(T0, 31), 1e-9); // one band width beyond the widened band
        assertTrue(s.score(T0, -100) > 0.9);
        assertEquals(0, s.score(T0, Double.NaN));
    }

    @Test
    void zscoreIsHalfAtThreeSigmas() {
        ZScoreScorer s = new ZScoreScorer(100, 10);
        for (int i = 0; i < 100; i++) s.score(T0 + i * STEP, i % 2 == 0 ? -1 : 1); // mean 0, sd 1
        assertEquals(0.5, s.score(T0, 3), 1e-9);
        assertEquals(0, new ZScoreScorer(100, 10).score(T0, 5)); // nothing learned yet
    }

    @Test
    void everyScorerStaysInRangeOnHostileInput() {
        Random r = new Random(3);
        for (UnivariateScorer.Kind k : UnivariateScorer.Kind.values()) {
            UnivariateScorer s = k.create();
            for (int i = 0; i < 3000; i++) {
                double v = switch (i % 11) {
                    case 0 -> Double.NaN;
                    case 1 -> 1e300;
                    case 2 -> 0;
                    default -> r.nextGaussian() * (i > 2000 ? 1e-12 : 1);
                };
                long t = T0 + (i % 97 == 0 ? -STEP : i * STEP); // some out-of-order times
                double x = s.score(t, v);
                assertTrue(x >= 0 && x <= 1, k + " row " + i + ": " + x);
            }
        }
    }

    @Test
    void wispStaysQuietOnAConstantOrPeriodicSeries() {
        UnivariateScorer flat = UnivariateScorer.Kind.WISP.create(), wave = UnivariateScorer.Kind.WISP.create();
        double maxFlat = 0, maxWave = 0;
        for (int i = 0; i < 4000; i++) {
            long t = T0 + i * STEP;
            maxFlat = Math.max(maxFlat, flat.score(t, 7));
            double w = wave.score(t, 20 + 10 * Math.sin(2 * Math.PI * i / 288.0));
            if (i > 600) maxWave = Math.max(maxWave, w);
        }
        assertEquals(0, maxFlat, 1e-12);
        assertTrue(maxWave < 0.5, "periodic " + maxWave);
    }

    @Test
    void gaussianTailIsAccurate() {
        assertEquals(Math.log(0.158655254), AnomalyLikelihood.logGaussianTail(1), 1e-4);
        assertEquals(Math.log(1.349898e-3), AnomalyLikelihood.logGaussianTail(3), 1e-4);
        assertEquals(Math.log(9.8658765e-10), AnomalyLikelihood.logGaussianTail(6), 1e-4);
        assertEquals(Math.log(7.6198530e-24), AnomalyLikelihood.logGaussianTail(10), 1e-4);
        assertEquals(AnomalyLikelihood.logGaussianTail(2.9999999), AnomalyLikelihood.logGaussianTail(3), 1e-4);
        assertEquals(0, AnomalyLikelihood.tailScore(-1));
        assertEquals(1, AnomalyLikelihood.tailScore(50));
        assertEquals(0.5, AnomalyLikelihood.tailScore(4.2649), 2e-3); // Q = 1e-5
    }

    @Test
    void maxWindowMatchesABruteForceMaximum() {
        Random r = new Random(5);
        MaxWindow w = new MaxWindow(17);
        ArrayDeque<Double> last = new ArrayDeque<>();
        for (int i = 0; i < 2000; i++) {
            double x = r.nextInt(50);
            w.push(x);
            last.addLast(x);
            if (last.size() > 17) last.removeFirst();
            assertEquals(last.stream().mapToDouble(d -> d).max().orElseThrow(), w.max(), "at " + i);
        }
    }
}
