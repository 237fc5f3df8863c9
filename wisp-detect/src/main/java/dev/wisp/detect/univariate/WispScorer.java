package dev.wisp.detect.univariate;

import dev.wisp.detect.baseline.SeasonalBaseline;

/**
 * Wisp's univariate streaming detector, what {@code wisp detect csv} runs by default. One
 * configuration serves every series: nothing here is chosen per file, and nothing looks ahead (each
 * stage is causal, so row i's score depends on rows up to i only).
 *
 * <p>The stages, and why each exists:
 * <ol>
 *   <li><b>Baseline and residual.</b> {@link SeasonalBaseline} (the machinery the live detection
 *       engine uses, with its {@link SeasonalBaseline.Params#univariate()} settings) gives the
 *       expected value (level plus time-of-day profile) and a robust residual scale; the residual in
 *       sigmas, {@code z}, is scored before the row is learned. Its magnitude is capped at
 *       {@code zCap} so one huge outlier cannot dominate the history statistics of the next stage.</li>
 *   <li><b>Two time scales.</b> A spike shows in the short mean of {@code |z|} (the last
 *       {@code shortRows}); a level shift or a drift shows as residuals of one sign, so the signed
 *       mean over {@code shiftRows}, times {@code sqrt(shiftRows)} (the standard error of a mean), is
 *       the second raw score. The baseline's level keeps absorbing a shift, so the signed mean is
 *       large exactly while the shift is news.</li>
 *   <li><b>A slow second baseline.</b> The same {@link SeasonalBaseline}, but with a level time
 *       constant of {@code slowLevelTauSeconds} (a day instead of six hours), and the same two time
 *       scales of its residuals. The fast level absorbs a change within hours, so a change that
 *       builds up over hours (a drift, a sagging level, a day unlike the previous ones) never looks
 *       large against it; against a level that remembers the last day it does.</li>
 *   <li><b>Anomaly likelihood.</b> Each raw score is standardised against its own recent history
 *       ({@code historyRows}, a month of five-minute rows; see {@link AnomalyLikelihood}). This is
 *       the calibration step: a noisy series is far from any baseline all the time, so "far" only
 *       counts when it is unusual for that series, and one corpus-wide threshold then means the same
 *       tail probability everywhere. The strongest of the four is the evidence {@code e}.</li>
 *   <li><b>Only new deviations.</b> The evidence must exceed the largest evidence of the previous
 *       {@code newRows} rows; otherwise the row scores 0. A deviation no bigger than one just seen is
 *       a continuation (a long anomaly, a spiky series doing what it does), not a new event.</li>
 *   <li><b>Range novelty.</b> A value beyond everything seen so far by more than {@code rangeTol}
 *       of the range seen (after {@code rangeMinRows} rows) scores 1: a new extreme is news whatever
 *       the residual statistics say, and it is how slow level changes that the baseline absorbed
 *       without alarm still get reported. So does a value beyond the range of the last
 *       {@code recentRows} rows by more than {@code recentTol} of that range, when the evidence is at
 *       least {@code recentMinEvidence}: a series that fell quiet and then jumps, or a second
 *       anomaly smaller than an old one, is news too; the evidence condition keeps a series whose
 *       recent range is narrow by chance from alarming at its ordinary swings.</li>
 *   <li><b>Alarm hold-off.</b> After a score of at least {@code alarmLevel}, the next
 *       {@code holdRows} rows score 0, and the next {@code eventRows} score 0 unless they are a range
 *       novelty: one alarm per event, instead of re-alarming while the baseline absorbs it, yet a
 *       value that breaks the range right after an alarm still counts.</li>
 * </ol>
 * The output is {@code log(q)/log(1e-10)} of the tail probability {@code q} (see
 * {@link AnomalyLikelihood#tailScore}), so scores near 0 are ordinary and the scale near 1 keeps
 * its resolution. On the Numenta Anomaly Benchmark (bench/nab.sh) these settings give standard
 * 75.3, reward-low-FP 68.1, reward-low-FN 79.8 (the six-stage design before the slow baseline,
 * the recent range and the event hold-off scored 69.4, 62.3, 73.8).
 */
public final class WispScorer implements UnivariateScorer {

    /**
     * @param baseline            the baseline and its residual scale
     * @param zCap                |z| is capped here before it enters the history statistics
     * @param shortRows           rows of the short mean of |z| (spikes)
     * @param shiftRows           rows of the signed mean of z (level shifts), for both baselines
     * @param slowLevelTauSeconds level time constant of the slow second baseline
     * @param historyRows         rows of raw-score history the likelihood judges against
     * @param minHistory          rows of history before the likelihood answers (0 before)
     * @param newRows             the evidence must beat the largest of this many previous rows
     * @param rangeTol            a value beyond the range seen so far by this fraction of it scores 1
     * @param rangeMinRows        range novelty is judged only after this many rows
     * @param recentRows          rows of the recent range
     * @param recentTol           a value beyond the recent range by this fraction of it scores 1 ...
     * @param recentMinEvidence   ... when the evidence is at least this
     * @param alarmLevel          a score at least this high starts a hold-off
     * @param holdRows            rows that score 0 after an alarm
     * @param eventRows           rows after an alarm in which only a range novelty scores
     */
    public record Params(SeasonalBaseline.Params baseline, double zCap, int shortRows, int shiftRows, double slowLevelTauSeconds,
                         int historyRows, int minHistory, int newRows, double rangeTol, int rangeMinRows, int recentRows,
                         double recentTol, double recentMinEvidence, double alarmLevel, int holdRows, int eventRows) {
        public Params {
            if (shortRows < 1 || shiftRows < 1 || historyRows < 2 || minHistory < 2 || newRows < 1 || holdRows < 0 || eventRows < 0
                    || recentRows < 1 || !(zCap > 0) || !(rangeTol >= 0) || !(recentTol >= 0) || !(slowLevelTauSeconds > 0)) {
                throw new IllegalArgumentException("invalid WispScorer parameters");
            }
        }

        /** The one configuration used for every series. */
        public static Params defaults() {
            return new Params(SeasonalBaseline.Params.univariate(), 10, 3, 6, 86_400, 8640, 100, 1200, 0.02, 100, 500,
                    1.5, 2, 0.6, 30, 150);
        }
    }

    private final Params p;
    private final SeasonalBaseline baseline, slow;
    private final AnomalyLikelihood spikes, shifts, slowSpikes, slowShifts;
    private final MaxWindow recentEvidence, recentMax, recentMinNeg;
    private final SignedMean shift, slowShift;
    private double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    private long row, lastAlarm = Long.MIN_VALUE / 2;

    public WispScorer() { this(Params.defaults()); }

    public WispScorer(Params params) {
        this.p = params;
        SeasonalBaseline.Params b = params.baseline();
        this.baseline = new SeasonalBaseline(b);
        this.slow = new SeasonalBaseline(new SeasonalBaseline.Params(b.slotMinutes(), b.weekendProfile(), params.slowLevelTauSeconds(),
                b.slotMemoryDays(), b.scaleTauSeconds(), b.clipSigmas(), b.warmupSamples(), b.minSigma(), b.relMinSigma(), b.direction()));
        this.spikes = new AnomalyLikelihood(params.historyRows(), params.shortRows(), params.minHistory(), 1e-3);
        this.shifts = new AnomalyLikelihood(params.historyRows(), 1, params.minHistory(), 1e-3);
        this.slowSpikes = new AnomalyLikelihood(params.historyRows(), params.shortRows(), params.minHistory(), 1e-3);
        this.slowShifts = new AnomalyLikelihood(params.historyRows(), 1, params.minHistory(), 1e-3);
        this.recentEvidence = new MaxWindow(params.newRows());
        this.recentMax = new MaxWindow(params.recentRows());
        this.recentMinNeg = new MaxWindow(params.recentRows());
        this.shift = new SignedMean(params.shiftRows());
        this.slowShift = new SignedMean(params.shiftRows());
    }

    @Override
    public double score(long t, double v) {
        if (!Double.isFinite(v)) return 0;
        row++;
        // 1. + 3. residuals against what the two baselines learned before this row, then learn the row
        double zc = cap(baseline.warm() ? baseline.zScore(t, v) : 0);
        double zs = cap(slow.warm() ? slow.zScore(t, v) : 0);
        baseline.update(t, v);
        slow.update(t, v);
        // 6. (judged before the ranges take this value in) a new extreme, overall or recently
        boolean newExtreme = row > p.rangeMinRows() && beyond(v, min, max, p.rangeTol());
        boolean recentExtreme = row > p.recentRows() && beyond(v, -recentMinNeg.max(), recentMax.max(), p.recentTol());
        min = Math.min(min, v);
        max = Math.max(max, v);
        recentMax.push(v);
        recentMinNeg.push(-v);
        // 2. - 4. two time scales per baseline, each standardised against its own history
        double e = Math.max(spikes.nextZ(Math.abs(zc)), shifts.nextZ(shift.next(zc)));
        e = Math.max(e, Math.max(slowSpikes.nextZ(Math.abs(zs)), slowShifts.nextZ(slowShift.next(zs))));
        // 5. only evidence beyond what the recent past already showed
        double previous = recentEvidence.max();
        recentEvidence.push(e);
        double out = e > previous ? AnomalyLikelihood.tailScore(e) : 0;
        boolean rangeNews = newExtreme || recentExtreme && e >= p.recentMinEvidence();
        if (rangeNews) out = 1;
        // 7. one alarm per event
        long since = row - lastAlarm;
        if (since <= p.holdRows() || since <= p.eventRows() && !rangeNews) return 0;
        if (out >= p.alarmLevel()) lastAlarm = row;
        return out;
    }

    private double cap(double z) { return Math.max(-p.zCap(), Math.min(p.zCap(), z)); }

    /** Whether {@code v} lies beyond [lo, hi] by more than {@code tol} of its width. */
    private static boolean beyond(double v, double lo, double hi, double tol) {
        double margin = tol * (hi - lo);
        return v > hi + margin || v < lo - margin;
    }

    /** |mean of the last n values| times sqrt(n): how far a run of one sign is from noise, in standard errors. */
    private static final class SignedMean {
        private final double[] ring;
        private final double norm;
        private int head;
        private double sum;

        SignedMean(int n) {
            this.ring = new double[n];
            this.norm = 1 / Math.sqrt(n);
        }

        double next(double z) {
            sum += z - ring[head];
            ring[head] = z;
            head = (head + 1) % ring.length;
            return Math.abs(sum) * norm;
        }
    }
}
