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

    /** The largest Wisp score over rows [from, to) of {@code values} (five-minute rows), scored from row 0. */
    static double maxScore(double[] values, int from, int to) {
        WispScorer s = new WispScorer();
        double m = 0;
        for (int i = 0; i < to; i++) {
            double x = s.score(T0 + i * STEP, values[i]);
            if (i >= from) m = Math.max(m, x);
        }
        return m;
    }

    @Test
    void wispReportsASecondJumpSmallerThanAnOldOneOnceTheSeriesWasQuiet() {
        Random r = new Random(11);
        double[] v = new double[3000];
        for (int i = 0; i < v.length; i++) v[i] = 100 + 2 * r.nextDouble(); // bounded noise: no records by chance
        v[800] = 200; // an old, large spike: the range of everything seen now reaches 200
        v[2600] = 120; // far inside that range, but far beyond the range of the last 500 rows
        assertTrue(maxScore(v, 1000, 2600) < 0.6, "quiet stretch");
        assertEquals(1, maxScore(v, 2600, 2601), 1e-12);
    }

    @Test
    void wispReportsASlowSag() {
        Random r = new Random(13);
        double[] v = new double[4000];
        for (int i = 0; i < v.length; i++) {
            double sag = i < 3000 ? 0 : -Math.min(1, (i - 3000) / 150.0) * 6; // 30% of the daily swing, over half a day
            v[i] = 100 + 10 * Math.sin(2 * Math.PI * i / 288.0) + 2 * r.nextDouble() + sag; // bounded noise
        }
        assertTrue(maxScore(v, 1000, 3000) < 0.6, "before the sag");
        assertTrue(maxScore(v, 3000, 3300) >= 0.6, "the sag");
    }

    @Test
    void theSlowBaselineCatchesADriftTheFastOneFollows() {
        // a level sliding down by 6 over two days (the noise is 2 wide): the six-hour level follows it
        // closely enough that its residuals stay ordinary, the one-day level does not
        Random r = new Random(13);
        double[] v = new double[3600];
        for (int i = 0; i < v.length; i++) {
            double drift = i < 3000 ? 0 : -6 * (i - 3000) / 600.0;
            v[i] = 100 + 10 * Math.sin(2 * Math.PI * i / 288.0) + 2 * r.nextDouble() + drift;
        }
        v[300] = 0; // a wide range early on, so that the drift is no new extreme
        v[301] = 200;
        WispScorer.Params d = WispScorer.Params.defaults();
        WispScorer.Params fastOnly = new WispScorer.Params(d.baseline(), d.zCap(), d.shortRows(), d.shiftRows(),
                d.baseline().levelTauSeconds(), d.historyRows(), d.minHistory(), d.newRows(), d.rangeTol(), d.rangeMinRows(),
                d.recentRows(), d.recentTol(), d.recentMinEvidence(), d.alarmLevel(), d.holdRows(), d.eventRows());
        double withSlow = 0, without = 0, before = 0;
        WispScorer a = new WispScorer(), b = new WispScorer(fastOnly);
        for (int i = 0; i < v.length; i++) {
            double x = a.score(T0 + i * STEP, v[i]), y = b.score(T0 + i * STEP, v[i]);
            if (i >= 1000 && i < 3000) before = Math.max(before, x);
            if (i >= 3000) { withSlow = Math.max(withSlow, x); without = Math.max(without, y); }
        }
        assertTrue(before < 0.5, "before " + before);
        assertTrue(withSlow >= d.alarmLevel(), "with the slow baseline " + withSlow);
        assertTrue(without < 0.5, "fast baseline only " + without);
    }
}
