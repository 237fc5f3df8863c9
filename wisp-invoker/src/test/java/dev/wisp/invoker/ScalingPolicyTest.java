package dev.wisp.invoker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.invoker.ScalingPolicy.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPolicyTest {

    @ParameterizedTest(name = "queued={0} idle={1} busy={2} initializing={3} cap={4} -> {5}")
    @CsvSource(delimiter = '|', textBlock = """
            # queued | idle | busy | initializing | cap | expected
              1      | 0    | 0    | 0            | 10  | 1
              5      | 0    | 0    | 2            | 10  | 3
              5      | 0    | 0    | 0            | 10  | 5
              5      | 0    | 8    | 0            | 10  | 2
              5      | 0    | 10   | 0            | 10  | 0
              5      | 0    | 6    | 4            | 10  | 0
              0      | 0    | 3    | 0            | 10  | 0
              2      | 0    | 0    | 5            | 10  | 0
              3      | 1    | 0    | 0            | 10  | 0
              9      | 4    | 2    | 0            | 10  | 0
              4      | 0    | 12   | 0            | 10  | 0
              50     | 0    | 0    | 0            | 32  | 32
            """)
    void coldStartsNeeded(int queued, int idle, int busy, int initializing, int cap, int expected) {
        assertEquals(expected, ScalingPolicy.coldStartsNeeded(new Snapshot(queued, idle, busy, initializing, cap)));
    }

    @Test
    void idleInstancesMeanNoColdStartsEvenWithAQueue() {
        assertEquals(0, ScalingPolicy.coldStartsNeeded(new Snapshot(100, 1, 0, 0, 100)));
    }

    @Test
    void startsOnlyForQueuedRequestsNoInitializingInstanceWillServe() {
        assertEquals(3, ScalingPolicy.coldStartsNeeded(new Snapshot(5, 0, 0, 2, 10)));
    }

    @Test
    void reachedCapMeansNoStarts() {
        assertEquals(0, ScalingPolicy.coldStartsNeeded(new Snapshot(5, 0, 7, 3, 10)));
    }

    @Test
    void neverNegativeOverAGridOfSnapshots() {
        for (int queued = 0; queued <= 6; queued++)
            for (int idle = 0; idle <= 2; idle++)
                for (int busy = 0; busy <= 6; busy++)
                    for (int init = 0; init <= 6; init++)
                        for (int cap = 0; cap <= 6; cap++) {
                            Snapshot s = new Snapshot(queued, idle, busy, init, cap);
                            int n = ScalingPolicy.coldStartsNeeded(s);
                            assertTrue(n >= 0, s + " -> " + n);
                            assertTrue(s.total() + n <= Math.max(cap, s.total()), "never exceeds the cap: " + s + " -> " + n);
                            assertTrue(n <= Math.max(0, queued - init), "never more than uncovered requests: " + s);
                        }
    }

    @Test
    void totalCountsIdleBusyAndInitializingButNotQueued() {
        assertEquals(6, new Snapshot(100, 1, 2, 3, 10).total());
    }
}
