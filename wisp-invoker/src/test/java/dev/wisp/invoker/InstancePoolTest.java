package dev.wisp.invoker;

import static dev.wisp.invoker.PoolHarness.spec;
import static dev.wisp.invoker.PoolHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.invoker.FakeBackend.FakeInstance;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Host-wide behaviour of {@link InstancePool}: keep-alive, the host cap, provisioning, retirement. */
class InstancePoolTest {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private PoolHarness h = new PoolHarness(KEEP_ALIVE, 32, 64, 1000);

    @AfterEach
    void tearDown() { h.close(); }

    private void useHostCap(int maxHost) {
        h.close();
        h = new PoolHarness(KEEP_ALIVE, 32, maxHost, 1000);
    }

    /** Runs one invocation of {@code spec} on a new instance to completion; returns that instance. */
    private FakeInstance coldInvocation(FunctionSpec spec) {
        int before = h.backend.startedCount();
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        assertEquals(before + 1, h.backend.startedCount());
        FakeInstance inst = h.instance(before);
        inst.becomeReady();
        inst.respond("ok");
        assertTrue(f.isDone());
        return inst;
    }

    @Test
    void registersOnePeriodicSweeper() {
        assertEquals(1, h.scheduler.periodicTasks());
    }

    @Test
    void idleInstanceIsEvictedOnceKeepAliveHasPassed() {
        FunctionSpec spec = spec("fn");
        FakeInstance inst = coldInvocation(spec);   // idle from t=0
        assertEquals(1, h.pool.hostInstances());

        h.scheduler.advance(KEEP_ALIVE.toMillis() - 1);
        assertFalse(inst.killed(), "still inside keep-alive (sweeps ran at every second)");

        h.scheduler.advance(1);
        assertEquals(List.of("idle"), inst.kills);
        assertEquals(0, h.pool.hostInstances());
        assertEquals(InstanceTransition.EVICTED, h.transitionsOf(inst.id).getLast());
        assertTrue(h.pool.snapshot().isEmpty(), "an empty pool is dropped (scale to zero)");

        CompletableFuture<InvocationResult> f = h.invoke(spec);
        assertEquals(2, h.backend.startedCount(), "after scale to zero the next invoke is cold again");
        h.scheduler.advance(10);
        h.instance(1).becomeReady();
        h.instance(1).respond("again");
        assertTrue(f.join().coldStart());
    }

    @Test
    void useResetsTheKeepAliveClock() {
        FunctionSpec spec = spec("fn");
        FakeInstance inst = coldInvocation(spec);
        h.scheduler.advance(50_000);
        h.invoke(spec);
        inst.respond("warm");                       // idle again from t=50s
        h.scheduler.advance(50_000);                // t=100s: idle 50s only
        assertFalse(inst.killed());
        h.scheduler.advance(10_000);                // t=110s
        assertEquals(List.of("idle"), inst.kills);
    }

    @Test
    void busyInstancesAreNeverEvictedByKeepAlive() {
        FunctionSpec spec = spec("long", 900, 0);
        h.invoke(spec);
        FakeInstance inst = h.instance(0);
        inst.becomeReady();
        h.scheduler.advance(KEEP_ALIVE.toMillis() * 3);
        assertFalse(inst.killed());
        assertTrue(inst.busy());
    }

    @Test
    void keepAliveEvictsOnlyInstancesIdleLongEnough() {
        FunctionSpec spec = spec("fn", 900, 0);
        h.invoke(spec);
        h.invoke(spec);
        FakeInstance a = h.instance(0);
        FakeInstance b = h.instance(1);
        a.becomeReady();
        b.becomeReady();
        a.respond("a");                             // idle from t=0
        h.scheduler.advance(30_000);
        b.respond("b");                             // idle from t=30s
        h.scheduler.advance(30_000);                // t=60s
        assertEquals(List.of("idle"), a.kills);
        assertFalse(b.killed());
        assertEquals(1, h.pool.hostInstances());
    }

    @Test
    void provisionedInstancesAreStartedAtOnceAndNeverEvictedByKeepAlive() {
        FunctionSpec spec = spec("provisioned");
        h.pool.provision(spec, 2);
        assertEquals(2, h.backend.startedCount());
        h.scheduler.advance(500);
        h.instance(0).becomeReady();
        h.instance(1).becomeReady();
        assertEquals(List.of(InstanceTransition.CREATED, InstanceTransition.INIT_STARTED, InstanceTransition.READY),
                h.transitionsOf(h.instance(0).id));

        h.scheduler.advance(KEEP_ALIVE.toMillis() * 5);
        assertFalse(h.instance(0).killed());
        assertFalse(h.instance(1).killed());
        assertEquals(2, h.pool.hostInstances());

        CompletableFuture<InvocationResult> f = h.invoke(spec);
        assertEquals(2, h.backend.startedCount(), "served by a provisioned instance");
        FakeInstance serving = h.instance(0).busy() ? h.instance(0) : h.instance(1);
        serving.respond("warm");
        assertFalse(f.join().coldStart());
    }

    @Test
    void onDemandInstancesAboveTheProvisionedCountStillAgeOut() {
        FunctionSpec spec = spec("mixed");
        h.pool.provision(spec, 1);
        h.instance(0).becomeReady();
        h.invoke(spec);                              // takes the provisioned instance
        h.invoke(spec);                              // needs an on-demand one
        assertEquals(2, h.backend.startedCount());
        h.instance(1).becomeReady();
        h.instance(0).respond("p");
        h.instance(1).respond("o");

        h.scheduler.advance(KEEP_ALIVE.toMillis() * 2);
        long killed = h.backend.started.stream().filter(FakeInstance::killed).count();
        assertEquals(1, killed, "exactly the instance above the provisioned count is evicted");
        assertEquals(1, h.pool.hostInstances());
    }

    @Test
    void provisioningMoreThanTheFunctionCapStartsOnlyTheCap() {
        FunctionSpec spec = spec("small", 3, 2);
        h.pool.provision(spec, 5);
        assertEquals(2, h.backend.startedCount());
    }

    @Test
    void hostCapColdStartEvictsAnotherFunctionsIdleInstance() {
        useHostCap(1);
        FakeInstance a = coldInvocation(spec("fn-a"));
        assertEquals(1, h.pool.hostInstances());

        CompletableFuture<InvocationResult> f = h.invoke(spec("fn-b"));
        assertEquals(List.of("evicted for capacity"), a.kills);
        assertEquals(InstanceTransition.KILLED, h.transitionsOf(a.id).getLast());
        assertEquals(2, h.backend.startedCount());
        FakeInstance b = h.instance(1);
        assertEquals("fn-b", b.spec.functionName());
        assertEquals(1, h.pool.hostInstances(), "the cap of 1 still holds");
        b.becomeReady();
        b.respond("b");
        assertEquals("b", text(f.join().outcome()));
    }

    @Test
    void hostCapEvictsTheLeastRecentlyUsedIdleInstanceAcrossFunctions() {
        useHostCap(2);
        FakeInstance a = coldInvocation(spec("fn-a"));   // idle since t=0
        h.scheduler.advance(10);
        FakeInstance b = coldInvocation(spec("fn-b"));   // idle since t=10ms
        h.scheduler.advance(10);
        h.invoke(spec("fn-c"));
        assertTrue(a.killed());
        assertFalse(b.killed());
        assertEquals(2, h.pool.hostInstances());
    }

    @Test
    void starvedFunctionStartsWhenAnotherFunctionsInstanceGoesIdle() {
        useHostCap(1);
        h.invoke(spec("fn-a"));
        FakeInstance a = h.instance(0);
        a.becomeReady();                                 // busy with fn-a's request

        CompletableFuture<InvocationResult> fb = h.invoke(spec("fn-b"));
        assertEquals(1, h.backend.startedCount(), "no slot, nothing idle to evict: fn-b waits");

        a.respond("a");                                  // a goes idle -> fn-b may take its slot
        assertEquals(List.of("evicted for capacity"), a.kills);
        assertEquals(2, h.backend.startedCount());
        FakeInstance b = h.instance(1);
        b.becomeReady();
        b.respond("b");
        assertEquals("b", text(fb.join().outcome()));
        assertEquals(1, h.pool.hostInstances());
    }

    @Test
    void functionCannotEvictItsOwnIdleInstanceToGrow() {
        useHostCap(1);
        FunctionSpec spec = spec("fn");
        h.invoke(spec);
        h.invoke(spec);
        assertEquals(1, h.backend.startedCount(), "host cap 1: only one instance for both requests");
        h.instance(0).becomeReady();
        h.instance(0).respond("1");
        assertEquals(2, h.instance(0).executed.size(), "second request served by the same instance");
        assertFalse(h.instance(0).killed());
    }

    /**
     * evictLeastRecentlyUsed picks the pool with the oldest idle instance and gives up if that pool
     * refuses (because the instance is provisioned), although another pool has an evictable one.
     */
    @Test
    void provisionedIdleInstanceDoesNotBlockEvictingOtherFunctionsIdleInstances() {
        useHostCap(2);
        h.pool.provision(spec("provisioned"), 1);
        h.instance(0).becomeReady();                     // idle since t=0, exempt from eviction
        h.scheduler.advance(10);
        FakeInstance a = coldInvocation(spec("fn-a"));   // idle since t=10ms, evictable
        h.scheduler.advance(10);
        h.invoke(spec("fn-b"));
        assertTrue(a.killed(), "fn-a's idle on-demand instance is evicted for fn-b");
        assertEquals(3, h.backend.startedCount());
    }

    /**
     * A provision() that finds the host full marks the pool starved, but wakeStarved only rescales
     * pools with queued requests, so the provisioned instances are never started later.
     */
    @Test
    void provisioningThatFoundTheHostFullIsCompletedWhenCapacityFrees() {
        useHostCap(1);
        h.invoke(spec("fn-a"));
        FakeInstance a = h.instance(0);
        a.becomeReady();                                 // busy: not evictable
        h.pool.provision(spec("provisioned"), 1);
        assertEquals(1, h.backend.startedCount());
        a.respond("a");                                  // a idle now: the slot can be taken
        assertEquals(2, h.backend.startedCount(), "the provisioned instance starts once a slot can be freed");
    }

    @Test
    void retireKillsIdleInstancesNowAndBusyOnesWhenTheyFinish() {
        FunctionSpec spec = spec("old");
        h.invoke(spec);
        CompletableFuture<InvocationResult> busyCall = h.invoke(spec);
        FakeInstance a = h.instance(0);
        FakeInstance b = h.instance(1);
        a.becomeReady();
        b.becomeReady();
        a.respond("a");                                  // a idle, b busy

        h.pool.retire(s -> s.functionName().equals("old"));
        assertEquals(List.of("retired"), a.kills);
        assertFalse(b.killed());
        b.respond("b");
        assertEquals("b", text(busyCall.join().outcome()), "the running invocation completes normally");
        assertEquals(List.of("retired"), b.kills);
        assertEquals(0, h.pool.hostInstances());

        h.invoke(spec);
        assertEquals(3, h.backend.startedCount(), "a retired pool is never reused");
    }

    @Test
    void retireLeavesOtherFunctionsAlone() {
        FakeInstance keep = coldInvocation(spec("keep"));
        FakeInstance old = coldInvocation(spec("old"));
        h.pool.retire(s -> s.functionName().equals("old"));
        assertTrue(old.killed());
        assertFalse(keep.killed());
        assertEquals(List.of(spec("keep").poolKey()), List.copyOf(h.pool.snapshot().keySet()));
    }

    @Test
    void differentRevisionsOfAFunctionNeverShareInstances() {
        FunctionSpec v1 = spec("fn");
        FunctionSpec v2 = new FunctionSpec(v1.tenant(), v1.functionName(), v1.version(), v1.arn(), "rev-2",
                v1.runtime(), v1.runtimeName(), v1.handler(), v1.codeDir(), v1.memoryMb(), v1.timeoutSeconds(),
                v1.environment(), v1.maxInstances(), true);
        coldInvocation(v1);
        h.invoke(v2);
        assertEquals(2, h.backend.startedCount());
        assertEquals("rev-2", h.instance(1).spec.revisionId());
    }

    @Test
    void closeStopsTheSweeperRetiresInstancesAndClosesTheBackend() {
        FakeInstance inst = coldInvocation(spec("fn"));
        h.pool.close();
        assertTrue(h.backend.closed);
        assertEquals(List.of("retired"), inst.kills);
        assertEquals(0, h.scheduler.periodicTasks());
    }
}
