package dev.wisp.bench.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AlarmIntervalsTest {
    @Test
    void alarmsCloseTogetherAreOneAlert() {
        AlarmIntervals a = new AlarmIntervals("t", 30);
        for (long s = 0; s < 10; s++) a.alarm("f", s * 1000, "dos", "x");
        a.alarm("f", 35_000, "dos", "x");
        a.tick(100_000);
        assertEquals(1, a.alerts().size());
        assertEquals(0, a.alerts().getFirst().openedAt());
        assertEquals(36_000, a.alerts().getFirst().closedAt());
    }

    @Test
    void aLongQuietGapSplitsAlertsAndFunctionsAreSeparate() {
        AlarmIntervals a = new AlarmIntervals("t", 30);
        a.alarm("f", 0, "dos", "x");
        a.alarm("g", 1000, "dos", "x");
        a.alarm("f", 100_000, "dos", "x");
        assertEquals(3, a.alerts().size());
        assertEquals(0, a.alerts().getLast().closedAt());
    }
}
