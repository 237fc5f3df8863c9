package dev.wisp.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalCounterTest {
    static final long T0 = 1_772_532_000_000L;

    /** 5 arrivals a second queue behind a 10-s cold start, then all finish within one second. */
    @Test
    void queuedRequestsFinishingTogetherAreNotABurst() {
        ArrivalCounter a = new ArrivalCounter();
        a.onSample(T0, 0);
        a.closeSecond();
        double total = 0, max = 0;
        int inflight = 0;
        for (int s = 1; s <= 12; s++) {
            long at = T0 + s * 1000L;
            if (s <= 10) inflight += 5;                      // arrived during the previous second, still queued
            if (s == 11) {                                   // the instance is ready: all 50 finish in second 11
                for (int k = 0; k < 50; k++) a.onRecord(T0 + (k / 5) * 1000L + 100);
                inflight = 0;
            }
            a.onSample(at, inflight);
            double c = a.closeSecond();
            total += c;
            max = Math.max(max, c);
        }
        assertEquals(50, total, 1e-9, "every arrival counted once");
        assertTrue(max <= 5, "no second counts more than arrived in it: " + max);
    }

    @Test
    void coldStartsCountAtOnceAndNeverTwice() {
        ArrivalCounter a = new ArrivalCounter();
        a.onSample(T0, 0);
        a.closeSecond();
        // a burst of 30 in one second: 30 cold starts, all still in flight at the next sample
        for (int k = 0; k < 30; k++) a.onColdStart();
        assertEquals(30, a.closeSecond(), 1e-9, "counted in the second they arrived");
        a.onSample(T0 + 1000, 30);
        assertEquals(0, a.closeSecond(), 1e-9, "not again when the sample shows them in flight");
        // they finish; 2 new requests arrive and finish in the same second
        for (int k = 0; k < 30; k++) a.onRecord(T0 + 500);
        a.onRecord(T0 + 1500);
        a.onRecord(T0 + 1600);
        a.onSample(T0 + 2000, 0);
        assertEquals(2, a.closeSecond(), 1e-9);
    }

    @Test
    void withoutSamplesEveryRecordCounts() {
        ArrivalCounter a = new ArrivalCounter();
        for (int k = 0; k < 7; k++) a.onRecord(T0 + k);
        a.onColdStart(); // not counted without samples: its record will be
        assertEquals(7, a.closeSecond(), 1e-9);
    }
}
