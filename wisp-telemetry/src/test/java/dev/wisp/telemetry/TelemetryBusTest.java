package dev.wisp.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryBusTest {
    private final TelemetryBus bus = new TelemetryBus();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void tearDown() {
        release.countDown();
        bus.close();
    }

    /** A consumer that signals when it has taken its first item and then blocks until released. */
    private static Consumer<Object> blockingConsumer(List<Object> seen, CountDownLatch firstTaken, CountDownLatch release) {
        return item -> {
            seen.add(item);
            firstTaken.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void publishDoesNotBlockAndCountsDropsWhenSubscriberBufferIsFull() throws Exception {
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstTaken = new CountDownLatch(1);
        Subscription sub = bus.subscribe("slow", 2, x -> true, blockingConsumer(seen, firstTaken, release));

        bus.publish("item-0");
        assertTrue(firstTaken.await(5, TimeUnit.SECONDS), "drainer took the first item");
        // the consumer is now stuck on item-0; the buffer (capacity 2) takes two, the rest drop
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 1; i <= 5; i++) bus.publish("item-" + i);
        });

        assertEquals(3, sub.dropped());
        assertEquals(3, bus.dropped());
        assertEquals(2, sub.backlog());

        release.countDown();
        bus.close();
        assertEquals(List.of("item-0", "item-1", "item-2"), seen);
        assertEquals(3, sub.delivered());
    }

    @Test
    void aFullSubscriberDoesNotStarveOtherSubscribers() throws Exception {
        List<Object> slowSeen = Collections.synchronizedList(new ArrayList<>());
        List<Object> fastSeen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstTaken = new CountDownLatch(1);
        Subscription slow = bus.subscribe("slow", 1, x -> true, blockingConsumer(slowSeen, firstTaken, release));
        Subscription fast = bus.subscribe("fast", 100, x -> true, fastSeen::add);

        bus.publish(0);
        assertTrue(firstTaken.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 10; i++) bus.publish(i);

        assertEquals(9, slow.dropped());
        assertEquals(0, fast.dropped());
        release.countDown();
        bus.close();
        assertEquals(11, fastSeen.size());
        assertEquals(List.of(0, 1), slowSeen);
    }

    @Test
    void itemsReachEverySubscriberWhoseFilterAcceptsThem() {
        List<Object> strings = Collections.synchronizedList(new ArrayList<>());
        List<Object> integers = Collections.synchronizedList(new ArrayList<>());
        List<Object> everything = Collections.synchronizedList(new ArrayList<>());
        Subscription s = bus.subscribe("strings", 100, x -> x instanceof String, strings::add);
        Subscription i = bus.subscribe("integers", 100, x -> x instanceof Integer, integers::add);
        bus.subscribe("all", 100, x -> true, everything::add);

        bus.publish("a");
        bus.publish(1);
        bus.publish(2.5);
        bus.publish("b");
        bus.publish(2);
        bus.close();

        assertEquals(List.of("a", "b"), strings);
        assertEquals(List.of(1, 2), integers);
        assertEquals(List.of("a", 1, 2.5, "b", 2), everything);
        // items a filter rejects are neither delivered nor counted as drops
        assertEquals(0, s.dropped());
        assertEquals(0, i.dropped());
        assertEquals(2, s.delivered());
    }

    @Test
    void closeDeliversWhatWasBufferedBeforeReturning() throws Exception {
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstTaken = new CountDownLatch(1);
        bus.subscribe("slow", 100, x -> true, blockingConsumer(seen, firstTaken, release));
        bus.publish("first");
        assertTrue(firstTaken.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) bus.publish("buffered-" + i);

        // close while the consumer is still stuck: it must wait and then drain the buffer
        Thread closer = Thread.ofPlatform().start(bus::close);
        awaitWaiting(closer);
        assertEquals(1, seen.size(), "nothing beyond the first item delivered while blocked");
        release.countDown();
        closer.join(10_000);

        assertEquals(21, seen.size());
        assertEquals("buffered-19", seen.getLast());
    }

    @Test
    void aThrowingConsumerDoesNotStopDelivery() {
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription s = bus.subscribe("flaky", 100, x -> true, x -> {
            if (x.equals("bad")) throw new IllegalStateException("boom");
            seen.add(x);
        });
        bus.publish("ok-1");
        bus.publish("bad");
        bus.publish("ok-2");
        bus.close();
        assertEquals(List.of("ok-1", "ok-2"), seen);
        assertEquals(2, s.delivered());
    }

    @Test
    void aBlackoutWithholdsItemsFromEverySubscriberUntilItEnds() {
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        Subscription s = bus.subscribe("all", 100, x -> true, seen::add);
        bus.publish("before");
        TelemetryBus.Blackout on = bus.blackout(60_000);
        assertTrue(on.active());
        assertTrue(on.remainingMillis() > 59_000 && on.remainingMillis() <= 60_000, "remaining " + on.remainingMillis());
        bus.publish("during-1");
        bus.publish("during-2");
        TelemetryBus.Blackout off = bus.endBlackout();
        bus.publish("after");
        bus.close();

        assertEquals(List.of("before", "after"), seen);
        assertEquals(new TelemetryBus.Blackout(false, 0, 2), off);
        // withheld is not dropped: the subscriber never had the items offered
        assertEquals(0, s.dropped());
    }

    @Test
    void aBlackoutEndsByItself() throws Exception {
        List<Object> seen = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe("all", 100, x -> true, seen::add);
        bus.blackout(50);
        bus.publish("during");
        Thread.sleep(80);
        bus.publish("after");
        bus.close();
        assertEquals(List.of("after"), seen);
        assertEquals(new TelemetryBus.Blackout(false, 0, 1), bus.blackout());
    }

    @Test
    void aBlackoutNeedsABoundedPositiveLength() {
        assertThrows(IllegalArgumentException.class, () -> bus.blackout(0));
        assertThrows(IllegalArgumentException.class, () -> bus.blackout(TelemetryBus.MAX_BLACKOUT_MILLIS + 1));
        assertFalse(bus.blackout().active());
    }

    @Test
    void closeRemovesSubscriptions() {
        bus.subscribe("a", 10, x -> true, x -> {});
        assertEquals(1, bus.subscriptions().size());
        bus.close();
        assertTrue(bus.subscriptions().isEmpty());
    }

    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) throw new AssertionError("closer never started waiting: " + t.getState());
            Thread.yield();
        }
    }
}
