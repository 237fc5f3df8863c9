package dev.wisp.detect.baseline;

/**
 * A univariate online baseline with a robust residual scale, learned one observation at a time.
 *
 * <p>The expectation at time {@code t} is a slowly moving level plus a seasonal offset for the
 * time-of-day slot of {@code t} (slots of {@code slotMinutes}, UTC), kept separately for weekdays
 * and weekends (falling back to the other day type while a slot has not been seen in its own). The
 * scale is an exponentially weighted mean absolute residual, per slot and global, blended by how
 * often the slot has been seen, and turned into a standard-deviation-like figure. Observations are
 * clipped to a few scales around the expectation before they are learned, so a burst does not teach
 * the baseline that bursts are normal.
 *
 * <p>Learning rates follow the observed sampling interval, so the same class serves one sample a
 * second, one a minute or one every five minutes (the Numenta benchmark's files). Memory is fixed:
 * two day types times the slots per day, three numbers each.
 *
 * <p>{@link #score(long, double)} is the univariate detector: it scores an observation against what
 * was learned before it (in [0,1]) and then learns it. {@code wisp detect csv} uses exactly that.
 */
public final class SeasonalBaseline {

    /** Which deviations count as anomalous. */
    public enum Direction { UP, DOWN, BOTH }

    /**
     * @param slotMinutes     width of a time-of-day slot
     * @param weekendProfile  keep separate profiles for Saturday/Sunday and the other days
     * @param levelTauSeconds time constant of the level
     * @param slotMemoryDays  how many days a slot's seasonal offset remembers (once it has enough samples)
     * @param scaleTauSeconds time constant of the global residual scale
     * @param clipSigmas      observations are clipped to expected ± this many sigmas before learning
     * @param warmupSamples   {@link #score} answers 0 until this many observations were learned
     * @param minSigma        absolute floor of sigma
     * @param relMinSigma     floor of sigma relative to |expected|
     * @param direction       which deviations {@link #score} rates
     */
    public record Params(int slotMinutes, boolean weekendProfile, double levelTauSeconds, double slotMemoryDays,
                         double scaleTauSeconds, double clipSigmas, int warmupSamples, double minSigma,
                         double relMinSigma, Direction direction) {
        public Params {
            if (slotMinutes <= 0 || 1440 % slotMinutes != 0) throw new IllegalArgumentException("slotMinutes must divide a day");
        }

        /** Defaults for the detection engine's per-minute metrics (upward deviations). */
        public static Params defaults() {
            return new Params(15, true, 86_400, 4, 6 * 3600, 4.0, 30, 1e-9, 0.02, Direction.UP);
        }

        /** Defaults for a univariate series of unknown kind ({@code wisp detect csv}): both directions. */
        public static Params univariate() {
            return new Params(60, false, 6 * 3600, 7, 6 * 3600, 4.0, 50, 1e-9, 0.005, Direction.BOTH);
        }

        public Params withDirection(Direction d) {
            return new Params(slotMinutes, weekendProfile, levelTauSeconds, slotMemoryDays, scaleTauSeconds,
                    clipSigmas, warmupSamples, minSigma, relMinSigma, d);
        }
    }

    private static final double MAD_TO_SIGMA = 1.2533; // mean absolute deviation of a normal -> its sd
    private static final long DAY_MS = 86_400_000L;

    private final Params p;
    private final int slots;
    private final long slotMs;
    private final float[] seas;
    private final float[] dev;
    private final int[] cnt;
    private double level;
    private double globalDev;
    private long n;
    private long lastT = Long.MIN_VALUE;
    private double dtEstimate = Double.NaN; // seconds between observations

    public SeasonalBaseline() { this(Params.defaults()); }

    public SeasonalBaseline(Params params) {
        this.p = params;
        this.slots = 1440 / params.slotMinutes();
        this.slotMs = params.slotMinutes() * 60_000L;
        int size = params.weekendProfile() ? 2 * slots : slots;
        this.seas = new float[size];
        this.dev = new float[size];
        this.cnt = new int[size];
    }

    public Params params() { return p; }

    /** Observations learned so far. */
    public long count() { return n; }

    public boolean warm() { return n >= p.warmupSamples(); }

    /** The expected value at {@code t} (NaN before the first observation). */
    public double expected(long t) {
        if (n == 0) return Double.NaN;
        return level + seasonal(index(t));
    }

    /** The scale (standard-deviation-like) of residuals at {@code t}. */
    public double sigma(long t) {
        if (n == 0) return Double.NaN;
        return sigmaAt(index(t), expected(t));
    }

    /**
     * The upper envelope of the expectation over the slot of {@code t} and its two neighbours: what
     * the detection engine compares upward deviations with, so a recurring event that starts at a
     * slot border (a flash sale at 12:00) is expected a little before and after its slot too.
     */
    public double expectedUpper(long t) {
        if (n == 0) return Double.NaN;
        int i = index(t);
        double s = Math.max(seasonal(i), Math.max(seasonal(neighbour(i, -1)), seasonal(neighbour(i, 1))));
        return level + s;
    }

    /** The largest sigma over the slot of {@code t} and its two neighbours. */
    public double sigmaUpper(long t) {
        if (n == 0) return Double.NaN;
        int i = index(t);
        double e = expectedUpper(t);
        return Math.max(sigmaAt(i, e), Math.max(sigmaAt(neighbour(i, -1), e), sigmaAt(neighbour(i, 1), e)));
    }

    /** The residual of {@code v} at {@code t} in sigmas, signed (0 before the first observation). */
    public double zScore(long t, double v) {
        if (n == 0 || !Double.isFinite(v)) return 0;
        double s = sigma(t);
        return (v - expected(t)) / s;
    }

    /** Learns one observation. Non-finite values and out-of-order timestamps are ignored. */
    public void update(long t, double v) {
        if (!Double.isFinite(v)) return;
        if (lastT != Long.MIN_VALUE && t < lastT) return;
        double dt = lastT == Long.MIN_VALUE ? Double.NaN : (t - lastT) / 1000.0;
        if (dt > 0) dtEstimate = Double.isNaN(dtEstimate) ? dt : dtEstimate + 0.05 * (Math.min(dt, 86_400) - dtEstimate);
        lastT = t;
        int i = index(t);
        if (n == 0) {
            level = v;
            n = 1;
            cnt[i] = 1;
            return;
        }
        double exp = level + seasonal(i);
        double sig = sigmaAt(i, exp);
        double step = Double.isNaN(dtEstimate) ? 1 : Math.max(dtEstimate, 1e-3);
        double perSlotPerDay = Math.max(1.0, slotMs / 1000.0 / step);
        boolean established = n >= p.warmupSamples();
        // the level and the global scale learn clipped values (robust to bursts); a slot learns
        // with a looser clip, and none while it is young, so a recurring peak is learned from the
        // first days it is seen in
        double x = v, xs = v;
        if (established) {
            double lim = p.clipSigmas() * sig;
            x = Math.max(exp - lim, Math.min(exp + lim, v));
            if (cnt[i] >= 2 * perSlotPerDay) {
                double lim2 = 2 * p.clipSigmas() * sig;
                xs = Math.max(exp - lim2, Math.min(exp + lim2, v));
            }
        }
        double aLevel = Math.max(1.0 / (n + 1), 1 - Math.exp(-step / p.levelTauSeconds()));
        level += aLevel * (x - level);
        double aSlot = Math.max(1.0 / (cnt[i] + 1), 1.0 / (perSlotPerDay * p.slotMemoryDays()));
        seas[i] += (float) (aSlot * ((xs - level) - seas[i]));
        dev[i] += (float) (aSlot * (Math.abs(xs - exp) - dev[i]));
        double aG = Math.max(1.0 / (n + 1), 1 - Math.exp(-step / p.scaleTauSeconds()));
        globalDev += aG * (Math.abs(x - exp) - globalDev);
        if (cnt[i] < Integer.MAX_VALUE) cnt[i]++;
        n++;
    }

    /**
     * Scores {@code v} at {@code t} against what was learned before it, then learns it: the
     * streaming univariate detector. 0 during warm-up; otherwise {@link #zToScore} of the residual
     * in the configured direction.
     */
    public double score(long t, double v) {
        double s = 0;
        if (warm() && Double.isFinite(v)) {
            double z = zScore(t, v);
            double dz = switch (p.direction()) {
                case UP -> z;
                case DOWN -> -z;
                case BOTH -> Math.abs(z);
            };
            s = zToScore(dz);
        }
        update(t, v);
        return s;
    }

    /** Maps a residual in sigmas to [0,1]: 0 at or below 0, 0.5 at 4 sigmas, 0.95 at 6. */
    public static double zToScore(double z) {
        if (!(z > 0)) return 0;
        double s = 1 / (1 + Math.exp(-1.5 * (z - 4)));
        return Math.max(0, Math.min(1, s));
    }

    // ---- internals ----

    private int index(long t) {
        long local = Math.floorMod(t, DAY_MS);
        int slot = (int) (local / slotMs);
        if (!p.weekendProfile()) return slot;
        long day = Math.floorDiv(t, DAY_MS); // 1970-01-01 was a Thursday (day 0)
        int dow = (int) Math.floorMod(day + 3, 7); // 0 = Monday .. 6 = Sunday
        return dow >= 5 ? slots + slot : slot;
    }

    private int neighbour(int i, int d) {
        int base = i >= slots ? slots : 0;
        int s = Math.floorMod(i - base + d, slots);
        return base + s;
    }

    private int other(int i) {
        if (!p.weekendProfile()) return -1;
        return i >= slots ? i - slots : i + slots;
    }

    private double seasonal(int i) {
        int c = cnt[i];
        if (c > 0) return seas[i] * (c / (c + 2.0));
        int o = other(i);
        if (o >= 0 && cnt[o] > 0) return seas[o] * (cnt[o] / (cnt[o] + 2.0));
        return 0;
    }

    private double sigmaAt(int i, double expected) {
        int c = cnt[i];
        double slotDev = dev[i];
        if (c == 0) {
            int o = other(i);
            if (o >= 0 && cnt[o] > 0) { c = cnt[o]; slotDev = dev[o]; }
        }
        double w = c / (c + 5.0);
        double d = w * slotDev + (1 - w) * globalDev;
        double s = MAD_TO_SIGMA * d;
        if (cnt[i] == 0) s *= 1.5; // a slot never seen in its own day type: less sure
        return Math.max(s, Math.max(p.minSigma(), p.relMinSigma() * Math.abs(expected)));
    }

    /** A short label for the context of {@code t}, e.g. "Tue 10:00" (the start of its slot, UTC). */
    public String contextLabel(long t) {
        long day = Math.floorDiv(t, DAY_MS);
        int dow = (int) Math.floorMod(day + 3, 7);
        long local = Math.floorMod(t, DAY_MS);
        long slotStart = local / slotMs * slotMs;
        int h = (int) (slotStart / 3_600_000L), m = (int) (slotStart / 60_000L % 60);
        return DAYS[dow] + " " + (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
    }

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
}
