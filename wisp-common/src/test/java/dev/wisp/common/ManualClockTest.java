package dev.wisp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final long ORIGIN = 1_700_000_000_000L;

    @Test
    void startsAtTheWallOriginWithZeroMonotonicTime() {
        ManualClock clock = new ManualClock(ORIGIN);
        assertEquals(ORIGIN, clock.wallMillis());
        assertEquals(0, clock.monoNanos());
    }

    @Test
    void doesNotMoveUntilAdvanced() {
        ManualClock clock = new ManualClock(ORIGIN);
        long wall = clock.wallMillis();
        long mono = clock.monoNanos();
        for (int i = 0; i < 3; i++) {
            assertEquals(wall, clock.wallMillis());
            assertEquals(mono, clock.monoNanos());
        }
    }

    @Test
    void advanceMillisMovesWallAndMonoByTheSameAmount() {
        ManualClock clock = new ManualClock(ORIGIN);
        clock.advanceMillis(1_500);
        assertEquals(ORIGIN + 1_500, clock.wallMillis());
        assertEquals(1_500_000_000L, clock.monoNanos());
        clock.advanceMillis(250);
        assertEquals(ORIGIN + 1_750, clock.wallMillis());
        assertEquals(1_750_000_000L, clock.monoNanos());
    }

    @Test
    void advanceNanosMovesWallOnlyOnceAWholeMillisecondHasPassed() {
        ManualClock clock = new ManualClock(ORIGIN);
        clock.advanceNanos(999_999);
        assertEquals(999_999, clock.monoNanos());
        assertEquals(ORIGIN, clock.wallMillis());
        clock.advanceNanos(1);
        assertEquals(1_000_000, clock.monoNanos());
        assertEquals(ORIGIN + 1, clock.wallMillis());
    }

    @Test
    void wallElapsedAlwaysEqualsMonoElapsedInWholeMillis() {
        ManualClock clock = new ManualClock(ORIGIN);
        long[] steps = {3, 1_000_000, 2_500_000, 7, 999_993, 60_000_000_000L};
        for (long step : steps) {
            clock.advanceNanos(step);
            assertEquals(clock.monoNanos() / 1_000_000L, clock.wallMillis() - ORIGIN);
        }
    }

    @Test
    void clocksAreIndependent() {
        ManualClock a = new ManualClock(ORIGIN);
        ManualClock b = new ManualClock(ORIGIN);
        a.advanceMillis(10);
        assertEquals(ORIGIN, b.wallMillis());
        assertEquals(0, b.monoNanos());
    }
}
