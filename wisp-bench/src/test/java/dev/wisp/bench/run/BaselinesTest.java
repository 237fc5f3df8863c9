package dev.wisp.bench.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {
    private static final long START = 10_000_000L;

    @Test
    void thresholdLearnsFromHistoryAndAlarmsAboveTwiceItsPeak() {
        ThresholdBaseline t = new ThresholdBaseline(START * 1000, 1);
        for (long s = START - 7200; s < START; s++) t.accept(new SecondStats("f", s, (int) (s % 5), 100, 0, 0));
        t.accept(new SecondStats("f", START, 8, 150, 0, 0));   // below 2 × 4
        assertTrue(t.alerts().isEmpty());
        t.accept(new SecondStats("f", START + 1, 9, 150, 0, 0));
        assertEquals(1, t.alerts().size());
        assertEquals("dos", t.alerts().getFirst().type());
        t.accept(new SecondStats("f", START + 100, 1, 500, 0, 0)); // p95 above 2 × 100 ms
        assertEquals("regression", t.alerts().getLast().type());
    }

    @Test
    void zscoreAlarmsOnAnOutlierAfterItsWarmUp() {
        ZScoreBaseline z = new ZScoreBaseline();
        for (long s = 0; s < 300; s++) z.accept(new SecondStats("f", s, 10 + (int) (s % 3), Double.NaN, 0, 0));
        assertTrue(z.alerts().isEmpty());
        z.accept(new SecondStats("f", 300, 40, Double.NaN, 0, 0));
        assertEquals(1, z.alerts().size());
    }
}
