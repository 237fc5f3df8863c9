package dev.wisp.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ManualClock;
import org.junit.jupiter.api.Test;

class DispatchGateTest {
    private final ManualClock clock = new ManualClock(1_800_000_000_000L);
    private final DispatchGate gate = new DispatchGate(clock);

    /** Ten arrivals a second for a minute: normal capacity 1.5 x 10 = 15/s. */
    private void aMinuteAtTenPerSecond() throws InterruptedException {
        for (int s = 0; s < 60; s++) {
            for (int i = 0; i < 10; i++) assertTrue(gate.admit(Long.MAX_VALUE), "open: straight through");
            clock.advanceMillis(1000);
        }
    }

    @Test
    void aCollapsePacesDispatchAtTheFactorOfNormalThenDrainsAndOpens() throws InterruptedException {
        aMinuteAtTenPerSecond();
        assertEquals(15, gate.state().normalCapacityPerSecond(), 1e-9);
        DispatchGate.State s = gate.collapse(0.5, 10_000);
        assertTrue(s.active());
        assertEquals(7.5, s.capacityPerSecond(), 1e-9);
        assertEquals(clock.wallMillis() + 10_000, s.untilMillis());

        long now = clock.monoNanos();
        assertTrue(gate.admit(now + 60_000_000_000L), "the first takes the free turn at once");
        // the next turn is 1/7.5 s away; a request whose deadline comes first times out without taking it
        assertFalse(gate.admit(now + 1_000_000L));
        assertTrue(gate.admit(now + 60_000_000_000L), "the turn was still free: " + gate.state());

        clock.advanceMillis(10_000);
        DispatchGate.State after = gate.state();
        assertFalse(after.active(), "over after its duration");
        assertEquals(1, after.factor());
        clock.advanceMillis(1_000);
        assertFalse(gate.state().draining(), "backlog drained: open again");
        assertTrue(gate.admit(clock.monoNanos()));
    }

    @Test
    void waitingRequestsArePacedAgainWhenTheCollapseEnds() throws Exception {
        for (int s = 0; s < 60; s++) {
            for (int i = 0; i < 30; i++) gate.admit(Long.MAX_VALUE);
            clock.advanceMillis(1000);
        }
        assertEquals(9, gate.collapse(0.2, 60_000).capacityPerSecond(), 1e-9); // 0.2 x 1.5 x 30/s
        java.util.List<Thread> waiters = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiters.add(Thread.ofVirtual().start(() -> {
                try {
                    assertTrue(gate.admit(Long.MAX_VALUE));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (gate.state().waiting() < 15 && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(gate.state().waiting() >= 15, "20 requests at 9/s queue up: " + gate.state());
        // at 9/s the last would leave after about 2.2 s; at the normal 45/s of the drain after 0.44 s
        long restored = System.nanoTime();
        DispatchGate.State s = gate.restore();
        assertTrue(s.draining(), s.toString());
        assertEquals(45, s.capacityPerSecond(), 1e-9);
        for (Thread t : waiters) t.join(5_000);
        double seconds = (System.nanoTime() - restored) / 1e9;
        assertTrue(seconds < 1.5, "the backlog drained at normal capacity: " + seconds + " s");
    }

    @Test
    void restoreEndsTheCollapseAtOnceAndBadArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> gate.collapse(0, 1000));
        assertThrows(IllegalArgumentException.class, () -> gate.collapse(1.5, 1000));
        assertThrows(IllegalArgumentException.class, () -> gate.collapse(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> gate.collapse(0.5, DispatchGate.MAX_DURATION_MILLIS + 1));
        assertTrue(gate.collapse(0.3, 60_000).active());
        assertEquals(0.45, gate.state().capacityPerSecond(), 1e-9, "at least one arrival a second counts as the normal load");
        assertFalse(gate.restore().active());
        assertEquals(0, gate.activeUntilMillis());
    }
}
