package dev.wisp.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.controller.ConcurrencyLimiter.Denial;
import dev.wisp.controller.ConcurrencyLimiter.Permit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {
    private static final String T = "tenant-a";

    private static Permit permit(Object grant) {
        return assertInstanceOf(Permit.class, grant, "expected a permit");
    }

    @Test
    void reservedLimitIsEnforcedAndReleasedSlotsAreReusable() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1000);
        Permit p1 = permit(limiter.tryAcquire(T, "fn", 2));
        Permit p2 = permit(limiter.tryAcquire(T, "fn", 2));
        assertSame(Denial.ReservedFunctionConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "fn", 2));
        assertEquals(2, limiter.active(T));

        p1.release();
        assertEquals(1, limiter.active(T));
        Permit p3 = permit(limiter.tryAcquire(T, "fn", 2));
        assertSame(Denial.ReservedFunctionConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "fn", 2));
        p2.release();
        p3.release();
        assertEquals(0, limiter.active(T));
    }

    @Test
    void reservedZeroAlwaysDeniesWithTheReservedReason() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1000);
        for (int i = 0; i < 5; i++) {
            assertSame(Denial.ReservedFunctionConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "off", 0));
        }
        assertEquals(0, limiter.active(T));
    }

    @Test
    void reservedFunctionsHaveTheirOwnCountersPerFunctionAndTenant() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(1000);
        permit(limiter.tryAcquire(T, "one", 1));
        permit(limiter.tryAcquire(T, "two", 1));
        permit(limiter.tryAcquire("tenant-b", "one", 1));
        assertSame(Denial.ReservedFunctionConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "one", 1));
        assertEquals(2, limiter.active(T));
        assertEquals(1, limiter.active("tenant-b"));
    }

    @Test
    void unreservedFunctionsShareTheTenantLimit() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(3);
        permit(limiter.tryAcquire(T, "a", null));
        permit(limiter.tryAcquire(T, "b", null));
        Permit p = permit(limiter.tryAcquire(T, "c", null));
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "d", null));
        p.release();
        permit(limiter.tryAcquire(T, "d", null));
    }

    @Test
    void unreservedPoolShrinksAsTheReservedTotalGrows() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10);
        limiter.setReservedTotal(T, 7);
        List<Permit> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) held.add(permit(limiter.tryAcquire(T, "shared", null)));
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "shared", null));
        held.forEach(Permit::release);

        limiter.setReservedTotal(T, 9);
        Permit last = permit(limiter.tryAcquire(T, "shared", null));
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "shared", null));
        last.release();

        limiter.setReservedTotal(T, 10);
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "shared", null));
        limiter.setReservedTotal(T, 25);   // over-reserved: nothing left, never negative
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "shared", null));

        limiter.setReservedTotal(T, 0);
        for (int i = 0; i < 10; i++) permit(limiter.tryAcquire(T, "shared", null));
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "shared", null));
    }

    @Test
    void reservedTotalOfOneTenantDoesNotShrinkAnothersPool() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        limiter.setReservedTotal("tenant-b", 2);
        permit(limiter.tryAcquire(T, "x", null));
        permit(limiter.tryAcquire(T, "y", null));
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire("tenant-b", "x", null));
    }

    @Test
    void reservedFunctionDoesNotConsumeTheUnreservedPool() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(5);
        limiter.setReservedTotal(T, 2);
        permit(limiter.tryAcquire(T, "reserved", 2));
        permit(limiter.tryAcquire(T, "reserved", 2));
        for (int i = 0; i < 3; i++) permit(limiter.tryAcquire(T, "other", null));
        assertSame(Denial.ConcurrentInvocationLimitExceeded, limiter.tryAcquire(T, "other", null));
        assertEquals(5, limiter.active(T));
    }

    @Test
    void concurrentAcquiresNeverExceedTheReservedLimit() throws Exception {
        assertConcurrentAcquiresBounded(new ConcurrencyLimiter(1000), 5, 5);
    }

    @Test
    void concurrentAcquiresNeverExceedTheUnreservedLimit() throws Exception {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10);
        limiter.setReservedTotal(T, 6);
        assertConcurrentAcquiresBounded(limiter, null, 4);
    }

    private static void assertConcurrentAcquiresBounded(ConcurrencyLimiter limiter, Integer reserved, int limit)
            throws Exception {
        int threads = 16;
        int attemptsPerThread = 2_000;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        Object grant = limiter.tryAcquire(T, "hot", reserved);
                        if (grant instanceof Permit p) {
                            granted.incrementAndGet();
                            int now = inside.incrementAndGet();
                            maxInside.accumulateAndGet(now, Math::max);
                            Thread.yield();
                            inside.decrementAndGet();
                            p.release();
                        } else {
                            denied.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(maxInside.get() <= limit, "observed " + maxInside.get() + " concurrent holders, limit " + limit);
        assertTrue(granted.get() > 0, "some acquires succeeded");
        assertEquals(threads * attemptsPerThread, granted.get() + denied.get());
        assertEquals(0, limiter.active(T), "every permit was returned");
        // after the storm the full limit is available again
        List<Permit> again = new ArrayList<>();
        for (int i = 0; i < limit; i++) again.add(permit(limiter.tryAcquire(T, "hot", reserved)));
        assertInstanceOf(Denial.class, limiter.tryAcquire(T, "hot", reserved));
        again.forEach(Permit::release);
    }
}
