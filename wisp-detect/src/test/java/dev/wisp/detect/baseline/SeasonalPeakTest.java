package dev.wisp.detect.baseline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeasonalPeakTest {
    static final long MIN = 60_000L, HOUR = 3_600_000L, DAY = 86_400_000L;
    static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z

    /** A day of idle minutes with one minute-long burst at 01:01. */
    static void day(SeasonalPeak p, long start) {
        for (long t = start; t < start + DAY; t += MIN) p.update(t, t == start + HOUR + MIN ? 2.4 : 0);
    }

    @Test
    void yesterdaysBurstExcusesTodaysButNotARepeatTheSameDay() {
        SeasonalPeak p = new SeasonalPeak(15, 4);
        day(p, T0);
        assertEquals(0, p.upper(T0 + HOUR + 5 * MIN), 1e-9, "a burst does not excuse itself the same day");
        assertEquals(2.4, p.upper(T0 + DAY + HOUR + MIN), 1e-6, "yesterday's burst at this time");
        assertEquals(2.4, p.upper(T0 + DAY + HOUR + 20 * MIN), 1e-6, "... and in the neighbouring slot");
        assertEquals(0, p.upper(T0 + DAY + 5 * HOUR), 1e-9, "but not at another time of day");
    }

    @Test
    void aPeakNotSeenAgainFades() {
        SeasonalPeak p = new SeasonalPeak(15, 4);
        day(p, T0);
        for (int d = 1; d <= 8; d++) for (long t = T0 + d * DAY; t < T0 + (d + 1) * DAY; t += MIN) p.update(t, 0);
        double left = p.upper(T0 + 9 * DAY + HOUR + MIN);
        assertEquals(2.4 * Math.exp(-7.0 / 4), left, 0.05, "faded over the days it was not seen");
    }
}
