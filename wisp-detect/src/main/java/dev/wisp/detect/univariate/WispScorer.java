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
 *   <li><b>Anomaly likelihood.</b> Each raw score is standardised against its own recent history
 *       ({@code historyRows}, a month of five-minute rows; see {@link AnomalyLikelihood}). This is
 *       the calibration step: a noisy series is far from any baseline all the time, so "far" only
 *       counts when it is unusual for that series, and one corpus-wide threshold then means the same
 *       tail probability everywhere. The stronger of the two scales is the evidence {@code e}.</li>
 *   <li><b>Only new deviations.</b> The evidence must exceed the largest evidence of the previous
 *       {@code newRows} rows; otherwise the row scores 0. A deviation no bigger than one just seen is
 *       a continuation (a long anomaly, a spiky series doing what it does), not a new event.</li>
 *   <li><b>Range novelty.</b> A value beyond everything seen so far by more than {@code rangeTol}
 *       of the range seen (after {@code rangeMinRows} rows) scores 1: a new extreme is news whatever
 *       the residual statistics say, and it is how slow level changes that the baseline absorbed
 *       without alarm still get reported.</li>
 *   <li><b>Alarm hold-off.</b> After a score of at least {@code alarmLevel}, the next
 *       {@code holdRows} rows score 0: one alarm per event, instead of re-alarming while the
 *       baseline absorbs it.</li>
 * </ol>
 * The output is {@code log(q)/log(1e-10)} of the tail probability {@code q} (see
 * {@link AnomalyLikelihood#tailScore}), so scores near 0 are ordinary and the scale near 1 keeps
 * its resolution. On the Numenta Anomaly Benchmark (bench/nab.sh) these settings give standard
 * 69.4, reward-low-FP 62.3, reward-low-FN 73.8.
 */
public final class WispScorer implements UnivariateScorer {

    /**
     * @param baseline     the baseline and its residual scale
     * @param zCap         |z| is capped here before it enters the history statistics
     * @param shortRows    rows of the short mean of |z| (spikes)
     * @param shiftRows    rows of the signed mean of z (level shifts)
     * @param historyRows  rows of raw-score history the likelihood judges against
     * @param minHistory   rows of history before the likelihood answers (0 before)
     * @param newRows      the evidence must beat the largest of this many previous rows
     * @param rangeTol     a value beyond the range seen so far by this fraction of it scores 1
     * @param rangeMinRows range novelty is judged only after this many rows
     * @param alarmLevel   a score at least this high starts a hold-off
     * @param holdRows     rows that score 0 after an alarm
     */
    public record Params(SeasonalBaseline.Params baseline, double zCap, int shortRows, int shiftRows, int historyRows,
                         int minHistory, int newRows, double rangeTol, int rangeMinRows, double alarmLevel, int holdRows) {
        public Params {
            if (shortRows < 1 || shiftRows < 1 || historyRows < 2 || minHistory < 2 || newRows < 1 || holdRows < 0
                    || !(zCap > 0) || !(rangeTol >= 0)) {
                throw new IllegalArgumentException("invalid WispScorer parameters");
            }
        }

        /** The one configuration used for every series. */
        public static Params defaults() {
            return new Params(SeasonalBaseline.Params.univariate(), 10, 3, 6, 8640, 100, 1000, 0.05, 100, 0.6, 50);
        }
    }

    private final Params p;
    private final SeasonalBaseline baseline;
    private final AnomalyLikelihood spikes, shifts;
    private final MaxWindow recentEvidence;
    private final double[] zRing;
    private final double shiftNorm;
    private int zHead;
    private double zSum;
    private double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
    private long row, lastAlarm = Long.MIN_VALUE / 2;

    public WispScorer() { this(Params.defaults()); }

    public WispScorer(Params params) {
        this.p = params;
        this.baseline = new SeasonalBaseline(params.baseline());
        this.spikes = new AnomalyLikelihood(params.historyRows(), params.shortRows(), params.minHistory(), 1e-3);
        this.shifts = new AnomalyLikelihood(params.historyRows(), 1, params.minHistory(), 1e-3);
        this.recentEvidence = new MaxWindow(params.newRows());
        this.zRing = new double[params.shiftRows()];
        this.shiftNorm = 1 / Math.sqrt(params.shiftRows());
    }

    @Override
    public double score(long t, double v) {
        if (!Double.isFinite(v)) return 0;
        row++;
        // 1. residual against what was learned before this row, then learn the row
        double z = baseline.warm() ? baseline.zScore(t, v) : 0;
        baseline.update(t, v);
        double zc = Math.max(-p.zCap(), Math.min(p.zCap(), z));
        // 5. (judged before the range takes this value in) a new extreme
        boolean newExtreme = row > p.rangeMinRows() && (v > max + p.rangeTol() * (max - min) || v < min - p.rangeTol() * (max - min));
        min = Math.min(min, v);
        max = Math.max(max, v);
        // 2. + 3. two time scales, each standardised against its own history
        zSum += zc - zRing[zHead];
        zRing[zHead] = zc;
        zHead = (zHead + 1) % zRing.length;
        double e = Math.max(spikes.nextZ(Math.abs(zc)), shifts.nextZ(Math.abs(zSum) * shiftNorm));
        // 4. only evidence beyond what the recent past already showed
        double previous = recentEvidence.max();
        recentEvidence.push(e);
        double out = e > previous ? AnomalyLikelihood.tailScore(e) : 0;
        if (newExtreme) out = 1;
        // 6. one alarm per event
        if (row - lastAlarm <= p.holdRows()) return 0;
        if (out >= p.alarmLevel()) lastAlarm = row;
        return out;
    }
}
