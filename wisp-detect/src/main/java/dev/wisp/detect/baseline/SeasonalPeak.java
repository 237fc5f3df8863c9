package dev.wisp.detect.baseline;

/**
 * The largest per-minute value seen in each time-of-day slot (UTC) on earlier days: what a sparse,
 * bursty series has already done at this time of day. A {@link SeasonalBaseline} keeps a slot's
 * mean and a robust scale, which cannot represent a function that is idle for most of a slot and
 * fires a minute-long burst in it; this bound can.
 *
 * <p>A value counts only from half a day after it was seen, so a burst never excuses a repetition
 * of itself later the same day (repeated attacks stay visible), while yesterday's burst at this
 * time excuses today's. Peaks not seen again fade by 1/e per {@code memoryDays}. One day-type
 * profile only (a bound errs safer on the loose side); fixed size, learned one minute at a time.
 */
public final class SeasonalPeak {
    private static final long DAY_MS = 86_400_000L;
    private static final long SETTLE_MS = DAY_MS / 2;

    private final int slots;
    private final long slotMs;
    private final double dayDecay;
    private final float[] settled; // peaks of earlier days
    private final float[] recent;  // the peak of the slot's latest pass
    private final long[] recentAt; // when the latest pass was last learned (Long.MIN_VALUE: never)

    /**
     * @param slotMinutes width of a slot (must divide a day)
     * @param memoryDays  a peak not seen again fades to 1/e over about this many days
     */
    public SeasonalPeak(int slotMinutes, double memoryDays) {
        if (slotMinutes <= 0 || 1440 % slotMinutes != 0) throw new IllegalArgumentException("slotMinutes must divide a day");
        this.slots = 1440 / slotMinutes;
        this.slotMs = slotMinutes * 60_000L;
        this.dayDecay = Math.exp(-1.0 / Math.max(memoryDays, 1e-3));
        this.settled = new float[slots];
        this.recent = new float[slots];
        this.recentAt = new long[slots];
        java.util.Arrays.fill(recentAt, Long.MIN_VALUE);
    }

    /** Learns the value of the minute at {@code t}. */
    public void update(long t, double v) {
        if (!Double.isFinite(v)) return;
        int i = index(t);
        if (recentAt[i] != Long.MIN_VALUE && t - recentAt[i] >= SETTLE_MS) {
            long days = Math.max(1, (t - recentAt[i]) / DAY_MS);
            settled[i] = (float) Math.max(settled[i] * Math.pow(dayDecay, days), recent[i]);
            recent[i] = 0;
        }
        recent[i] = (float) Math.max(recent[i], Math.max(v, 0));
        recentAt[i] = t;
    }

    /** The largest earlier-day peak over the slot of {@code t} and its two neighbours (0 when none). */
    public double upper(long t) {
        int i = index(t);
        return Math.max(at(i, t), Math.max(at(Math.floorMod(i - 1, slots), t), at(Math.floorMod(i + 1, slots), t)));
    }

    private double at(int i, long t) {
        double s = settled[i];
        if (recentAt[i] != Long.MIN_VALUE && t - recentAt[i] >= SETTLE_MS) s = Math.max(s, recent[i]);
        return s;
    }

    private int index(long t) {
        return (int) (Math.floorMod(t, DAY_MS) / slotMs);
    }
}
