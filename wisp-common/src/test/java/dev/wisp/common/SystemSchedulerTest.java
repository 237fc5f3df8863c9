package dev.wisp.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {
    @Test
    void cancelledTimersLeaveTheQueueAtOnce() {
        try (SystemScheduler scheduler = new SystemScheduler()) {
            AtomicInteger fired = new AtomicInteger();
            List<Scheduler.Cancellable> timeouts = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) timeouts.add(scheduler.schedule(60_000, fired::incrementAndGet));
            assertEquals(1_000, scheduler.queued());
            timeouts.forEach(Scheduler.Cancellable::cancel);
            assertEquals(0, scheduler.queued(), "cancelled timeouts would otherwise wait out their minute");
            assertEquals(0, fired.get());
        }
    }

    @Test
    void aTimerThatIsNotCancelledFires() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler()) {
            CountDownLatch fired = new CountDownLatch(2);
            scheduler.schedule(10, fired::countDown);
            scheduler.schedule(15, () -> { throw new IllegalStateException("a failing task does not stop the timer"); });
            scheduler.schedule(20, fired::countDown);
            assertTrue(fired.await(5, TimeUnit.SECONDS));
        }
    }
}
