package dev.wisp.invoker;

import static dev.wisp.invoker.PoolHarness.spec;
import static dev.wisp.invoker.PoolHarness.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.invoker.FakeBackend.FakeInstance;
import dev.wisp.invoker.InvocationOutcome.Failure;
import dev.wisp.invoker.InvocationOutcome.FunctionError;
import dev.wisp.invoker.InvocationOutcome.Success;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-function semantics of {@link FunctionPool}, driven through {@link InstancePool#invoke}. */
class FunctionPoolTest {
    private PoolHarness h = new PoolHarness();

    @AfterEach
    void tearDown() { h.close(); }

    private static InvocationResult done(CompletableFuture<InvocationResult> f) {
        assertTrue(f.isDone(), "the invocation has completed");
        return f.join();
    }

    @Test
    void firstInvokeStartsExactlyOneInstanceAndDispatchesWhenReady() {
        FunctionSpec spec = spec("hello");
        InvocationRequest req = h.request();
        CompletableFuture<InvocationResult> f = h.pool.invoke(spec, req);

        assertEquals(1, h.backend.startedCount());
        FakeInstance inst = h.instance(0);
        assertSame(spec, inst.spec);
        assertTrue(inst.executed.isEmpty(), "nothing dispatched before the runtime is ready");
        assertFalse(f.isDone());

        h.scheduler.advance(250);
        assertTrue(inst.executed.isEmpty());
        inst.becomeReady();
        assertEquals(List.of(req), inst.executed);
        assertEquals(PoolHarness.ORIGIN + 250 + 3_000, inst.deadlines.getFirst(), "deadline = dispatch + timeout");

        h.scheduler.advance(40);
        inst.respond("hi");
        InvocationResult r = done(f);
        assertEquals("hi", text(r.outcome()));
        assertInstanceOf(Success.class, r.outcome());
        assertTrue(r.coldStart());
        assertEquals(250.0, r.initMs(), 1e-9);
        assertEquals(40.0, r.durationMs(), 1e-9);
        assertEquals(0.0, r.waitMs(), 1e-9);
        assertEquals(inst.id, r.instanceId());
        assertEquals(PoolHarness.ORIGIN, r.initStartAt());
        assertEquals(PoolHarness.ORIGIN + 250, r.initEndAt());
        assertEquals(PoolHarness.ORIGIN + 250, r.execStartAt());
        assertEquals(PoolHarness.ORIGIN + 290, r.execEndAt());
        assertEquals("log of hi", r.logTail());
        assertEquals(42, r.maxMemoryUsedMb());
        assertEquals(1, h.backend.startedCount());
        assertEquals(List.of(InstanceTransition.CREATED, InstanceTransition.INIT_STARTED, InstanceTransition.READY),
                h.transitionsOf(inst.id));
    }

    @Test
    void secondInvokeAfterTheFirstFinishedReusesTheWarmInstance() {
        FunctionSpec spec = spec("hello");
        CompletableFuture<InvocationResult> first = h.invoke(spec);
        h.scheduler.advance(300);
        FakeInstance inst = h.instance(0);
        inst.becomeReady();
        inst.respond("one");
        assertTrue(done(first).coldStart());

        h.scheduler.advance(5);
        InvocationRequest second = h.request();
        CompletableFuture<InvocationResult> f = h.pool.invoke(spec, second);
        assertEquals(1, h.backend.startedCount(), "no new instance for a warm invoke");
        assertEquals(second, inst.executed.getLast(), "dispatched at once to the idle instance");
        h.scheduler.advance(7);
        inst.respond("two");

        InvocationResult r = done(f);
        assertFalse(r.coldStart());
        assertEquals(0.0, r.initMs(), 1e-9);
        assertEquals(0, r.initStartAt());
        assertEquals(0, r.initEndAt());
        assertEquals(7.0, r.durationMs(), 1e-9);
        assertEquals(inst.id, r.instanceId());
    }

    @Test
    void concurrentInvokesWithNoIdleInstanceStartOneInstanceEach() {
        FunctionSpec spec = spec("hello");
        InvocationRequest r1 = h.request();
        InvocationRequest r2 = h.request();
        CompletableFuture<InvocationResult> f1 = h.pool.invoke(spec, r1);
        CompletableFuture<InvocationResult> f2 = h.pool.invoke(spec, r2);
        assertEquals(2, h.backend.startedCount());

        // whichever instance is ready first takes the oldest waiting request
        h.instance(1).becomeReady();
        h.instance(0).becomeReady();
        assertEquals(List.of(r1), h.instance(1).executed);
        assertEquals(List.of(r2), h.instance(0).executed);
        h.instance(0).respond("b");
        h.instance(1).respond("a");
        assertEquals("a", text(done(f1).outcome()));
        assertEquals("b", text(done(f2).outcome()));
        assertEquals(h.instance(1).id, done(f1).instanceId());
    }

    @Test
    void perFunctionCapLimitsStartsAndQueuedRequestsAreServedInArrivalOrder() {
        FunctionSpec spec = spec("capped", 3, 2);
        List<InvocationRequest> reqs = List.of(h.request(), h.request(), h.request(), h.request(), h.request());
        List<CompletableFuture<InvocationResult>> fs = reqs.stream().map(r -> h.pool.invoke(spec, r)).toList();
        assertEquals(2, h.backend.startedCount(), "the cap of 2 bounds cold starts");
        assertEquals(new ScalingPolicy.Snapshot(5, 0, 0, 2, 2), h.pool.snapshot().get(spec.poolKey()));

        FakeInstance a = h.instance(0);
        FakeInstance b = h.instance(1);
        a.becomeReady();
        b.becomeReady();
        assertEquals(List.of(reqs.get(0)), a.executed);
        assertEquals(List.of(reqs.get(1)), b.executed);
        assertEquals(new ScalingPolicy.Snapshot(3, 0, 2, 0, 2), h.pool.snapshot().get(spec.poolKey()));

        b.respond("1");
        assertEquals(reqs.get(2), b.executed.getLast(), "the oldest waiter goes to the instance that freed up");
        a.respond("0");
        assertEquals(reqs.get(3), a.executed.getLast());
        a.respond("3");
        assertEquals(reqs.get(4), a.executed.getLast());
        b.respond("2");
        a.respond("4");

        for (int i = 0; i < 5; i++) assertEquals(Integer.toString(i), text(done(fs.get(i)).outcome()));
        assertEquals(2, h.backend.startedCount(), "queued requests never pushed past the cap");
        assertEquals(new ScalingPolicy.Snapshot(0, 2, 0, 0, 2), h.pool.snapshot().get(spec.poolKey()));
    }

    @Test
    void defaultCapComesFromTheInvokerConfigWhenTheSpecHasNone() {
        h.close();
        h = new PoolHarness(Duration.ofMinutes(10), 3, 64, 1000);
        FunctionSpec spec = spec("default-cap", 3, 0);
        for (int i = 0; i < 10; i++) h.invoke(spec);
        assertEquals(3, h.backend.startedCount());
    }

    @Test
    void queueBeyondItsBoundIsRefusedWithNull() {
        h.close();
        h = new PoolHarness(Duration.ofMinutes(10), 1, 64, 2);
        FunctionSpec spec = spec("busy");
        assertNotNull(h.invoke(spec));
        assertNotNull(h.invoke(spec));
        assertNull(h.invoke(spec), "a third waiter exceeds maxQueuePerFunction=2: the caller throttles");
        h.instance(0).becomeReady();
        // one waiter left the queue for the instance, so there is room again
        assertNotNull(h.invoke(spec));
    }

    @Test
    void invocationRunningPastTheTimeoutIsKilledAndReportedAsSandboxTimedout() {
        FunctionSpec spec = spec("slow", 3, 0);
        InvocationRequest req = h.request();
        CompletableFuture<InvocationResult> f = h.pool.invoke(spec, req);
        FakeInstance inst = h.instance(0);
        inst.becomeReady();

        h.scheduler.advance(2_999);
        assertFalse(f.isDone());
        assertFalse(inst.killed());

        h.scheduler.advance(2);
        InvocationResult r = done(f);
        Failure failure = assertInstanceOf(Failure.class, r.outcome());
        assertEquals(InvocationStatus.TIMEOUT, failure.status());
        assertEquals("Sandbox.Timedout", failure.errorType());
        assertEquals(req.requestId() + " Task timed out after 3.00 seconds", failure.message());
        assertEquals(3_000.0, r.durationMs(), 1e-9);
        assertEquals(List.of("timeout"), inst.kills);
        assertEquals(0, h.pool.hostInstances(), "the killed instance gave its host slot back");

        // the dying runtime's late answer changes nothing and the instance is never reused
        inst.finish(new Failure(InvocationStatus.CRASH, "Runtime.ExitError", "killed"), "");
        assertEquals(InvocationStatus.TIMEOUT, f.join().outcome().status());
        CompletableFuture<InvocationResult> next = h.invoke(spec);
        assertEquals(2, h.backend.startedCount(), "a fresh instance replaces the timed-out one");
        assertEquals(1, inst.executed.size());
        h.instance(1).becomeReady();
        h.instance(1).respond("ok");
        assertEquals("ok", text(done(next).outcome()));
    }

    @Test
    void answerBeforeTheTimeoutCancelsTheTimeout() {
        FunctionSpec spec = spec("quick", 3, 0);
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        FakeInstance inst = h.instance(0);
        inst.becomeReady();
        h.scheduler.advance(2_000);
        inst.respond("done");
        h.scheduler.advance(5_000);
        assertEquals("done", text(done(f).outcome()));
        assertFalse(inst.killed());
        assertEquals(0, h.scheduler.pendingOneShots(), "no timers left behind");
    }

    /**
     * The Instance contract lets kill() settle the execution in flight (its exit does). The pool
     * kills before it settles the waiter with the timeout, so an instance whose death is reported
     * synchronously turns a timeout into a crash. See the report: FunctionPool.dispatch.
     */
    @Test
    void timeoutIsReportedAsTimeoutEvenWhenTheKillSettlesTheExecutionAtOnce() {
        FunctionSpec spec = spec("slow", 3, 0);
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        FakeInstance inst = h.instance(0);
        inst.settleInFlightOnKill = true;
        inst.becomeReady();
        h.scheduler.advance(3_001);
        Failure failure = assertInstanceOf(Failure.class, done(f).outcome());
        assertEquals(InvocationStatus.TIMEOUT, failure.status());
        assertEquals("Sandbox.Timedout", failure.errorType());
    }

    @Test
    void requestWaitingLongerThanTheTimeoutForAnInstanceTimesOut() {
        FunctionSpec spec = spec("never-ready", 3, 1);
        InvocationRequest r1 = h.request();
        CompletableFuture<InvocationResult> f1 = h.pool.invoke(spec, r1);
        h.scheduler.advance(1_000);
        CompletableFuture<InvocationResult> f2 = h.invoke(spec);

        h.scheduler.advance(2_000);
        InvocationResult r = done(f1);
        assertFalse(f2.isDone(), "the later request has its own deadline");
        Failure failure = assertInstanceOf(Failure.class, r.outcome());
        assertEquals(InvocationStatus.TIMEOUT, failure.status());
        assertEquals("Sandbox.Timedout", failure.errorType());
        assertTrue(failure.message().startsWith(r1.requestId() + " Task timed out after 3.00 seconds"));
        assertNull(r.instanceId());
        assertEquals(3_000.0, r.waitMs(), 1e-9);

        h.scheduler.advance(1_000);
        assertEquals(InvocationStatus.TIMEOUT, done(f2).outcome().status());
        // an instance that finally becomes ready does not run requests that already timed out
        h.instance(0).becomeReady();
        assertTrue(h.instance(0).executed.isEmpty());
    }

    @Test
    void initFailureFailsTheWaitingRequestWithTheInitErrorType() {
        FunctionSpec spec = spec("broken");
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        FakeInstance inst = h.instance(0);
        h.scheduler.advance(120);
        String payload = "{\"errorType\":\"Runtime.ImportModuleError\",\"errorMessage\":\"no module\"}";
        inst.failInit("Runtime.ImportModuleError", payload);

        InvocationResult r = done(f);
        FunctionError error = assertInstanceOf(FunctionError.class, r.outcome());
        assertEquals("Runtime.ImportModuleError", error.errorType());
        assertEquals(payload, new String(error.payload(), StandardCharsets.UTF_8));
        assertTrue(r.coldStart());
        assertEquals(120.0, r.initMs(), 1e-9);
        assertEquals(inst.id, r.instanceId());
        assertEquals(List.of("init failed"), inst.kills);
        assertTrue(inst.executed.isEmpty());
        assertEquals(0, h.pool.hostInstances());

        // the broken instance is gone: the next invoke cold-starts again
        h.invoke(spec);
        assertEquals(2, h.backend.startedCount());
    }

    @Test
    void initFailureFailsOnlyTheOldestWaiterAndTheRestGetAFreshInstance() {
        FunctionSpec spec = spec("flaky-init", 3, 1);
        CompletableFuture<InvocationResult> f1 = h.invoke(spec);
        CompletableFuture<InvocationResult> f2 = h.invoke(spec);
        assertEquals(1, h.backend.startedCount());
        h.instance(0).failInit("Runtime.ExitError", "{}");

        assertInstanceOf(FunctionError.class, done(f1).outcome());
        assertFalse(f2.isDone());
        assertEquals(2, h.backend.startedCount(), "a replacement starts for the request still waiting");
        h.scheduler.advance(80);
        h.instance(1).becomeReady();
        h.instance(1).respond("second");
        InvocationResult r2 = done(f2);
        assertEquals("second", text(r2.outcome()));
        assertTrue(r2.coldStart());
        assertEquals(80.0, r2.initMs(), 1e-9);
    }

    @Test
    void functionErrorKeepsTheInstanceWarm() {
        FunctionSpec spec = spec("throws");
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        FakeInstance inst = h.instance(0);
        inst.becomeReady();
        inst.functionError("java.lang.IllegalStateException", "{\"errorMessage\":\"nope\"}");
        FunctionError e = assertInstanceOf(FunctionError.class, done(f).outcome());
        assertEquals("java.lang.IllegalStateException", e.errorType());

        h.invoke(spec);
        assertEquals(1, h.backend.startedCount());
        assertEquals(2, inst.executed.size());
        assertFalse(inst.killed());
    }

    /**
     * A runtime can fail an invocation without exiting (ProcessInstance reports
     * Runtime.InvalidNextCall as a Failure and keeps running). The pool neither releases nor kills
     * such an instance, so it stays "busy" forever, holding a slot of the function's cap.
     */
    @Test
    void instanceWhoseExecutionFailsWithoutExitingDoesNotWedgeTheFunction() {
        FunctionSpec spec = spec("invalid-next", 3, 1);
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        FakeInstance inst = h.instance(0);
        inst.becomeReady();
        inst.finish(new Failure(InvocationStatus.ERROR, "Runtime.InvalidNextCall", "next without answering"), "");
        assertEquals(InvocationStatus.ERROR, done(f).outcome().status());

        CompletableFuture<InvocationResult> next = h.invoke(spec);
        // either reuse the instance or replace it; with cap 1 nothing happens at all today
        boolean served = inst.executed.size() == 2
                || h.backend.startedCount() == 2 && inst.killed();
        assertTrue(served, "the next request is served by the same or a replacement instance");
        assertFalse(next.isDone() && next.join().outcome().status() == InvocationStatus.TIMEOUT);
    }

    @Test
    void warmInstancesAreReusedMostRecentlyUsedFirst() {
        FunctionSpec spec = spec("mru");
        h.invoke(spec);
        h.invoke(spec);
        FakeInstance a = h.instance(0);
        FakeInstance b = h.instance(1);
        a.becomeReady();
        b.becomeReady();
        a.respond("a");
        h.scheduler.advance(10);
        b.respond("b");

        h.invoke(spec);
        assertEquals(2, b.executed.size(), "b finished last, so it is reused first");
        assertEquals(1, a.executed.size());
    }

    @Test
    void requestThatArrivesAfterAnInstanceIsReadyIsNotCold() {
        FunctionSpec spec = spec("prewarmed");
        h.pool.provision(spec, 1);
        h.scheduler.advance(100);
        h.instance(0).becomeReady();
        h.scheduler.advance(100);
        CompletableFuture<InvocationResult> f = h.invoke(spec);
        h.instance(0).respond("x");
        InvocationResult r = done(f);
        assertFalse(r.coldStart());
        assertEquals(0.0, r.initMs(), 1e-9);
    }
}
