package dev.wisp.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ArrivalsTest {
    private static final long T0 = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli(); // a Tuesday

    @Test
    void poissonHasItsRateAndIsDeterministicPerSeed() {
        List<Long> a = Arrivals.times(new Arrivals.Poisson(5), T0, T0 + 1_000_000, 1, new SplittableRandom(1));
        List<Long> b = Arrivals.times(new Arrivals.Poisson(5), T0, T0 + 1_000_000, 1, new SplittableRandom(1));
        assertEquals(a, b);
        assertEquals(5000, a.size(), 250);
        assertTrue(a.stream().allMatch(t -> t >= T0 && t < T0 + 1_000_000));
        assertEquals(2500, Arrivals.times(new Arrivals.Poisson(5), T0, T0 + 1_000_000, 0.5, new SplittableRandom(2)).size(), 200);
    }

    @Test
    void constantAndScheduleAreEvenlySpaced() {
        assertEquals(20, Arrivals.times(new Arrivals.Constant(2), T0, T0 + 10_000, 1, new SplittableRandom(1)).size());
        List<Long> hourly = Arrivals.times(new Arrivals.Schedule(3600), T0 + 1, T0 + 86_400_000, 1, new SplittableRandom(1));
        assertEquals(23, hourly.size());
        assertEquals(T0 + 3_600_000, hourly.getFirst());
    }

    @Test
    void diurnalPeaksAtItsHoursAndDipsOnWeekends() {
        Arrivals.Diurnal d = new Arrivals.Diurnal(new dev.wisp.bench.scenario.DailyShape(
                new dev.wisp.bench.scenario.Pattern.Diurnal(10, 0.8, List.of(12.0), 0.5)));
        assertTrue(d.rate(T0 + 12 * 3_600_000L) > 15, "peak at noon");
        assertTrue(d.rate(T0) < 8, "night: " + d.rate(T0));
        long saturday = Instant.parse("2026-03-07T12:00:00Z").toEpochMilli();
        assertEquals(d.rate(T0 + 12 * 3_600_000L) * 0.5, d.rate(saturday), 1e-9);
        double mean = 0;
        for (int m = 0; m < 1440; m++) mean += d.rate(T0 + m * 60_000L) / 1440;
        assertEquals(10, mean, 0.01);
    }

    @Test
    void sporadicBurstsThenIdles() {
        List<Long> a = Arrivals.times(new Arrivals.Sporadic(6, 10, 20), T0, T0 + 3_600_000, 1, new SplittableRandom(3));
        assertTrue(a.size() > 0 && a.size() < 6 * 10 * 20 * 3, "a few bursts: " + a.size());
    }
}
