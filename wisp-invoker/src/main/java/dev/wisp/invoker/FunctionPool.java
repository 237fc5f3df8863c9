package dev.wisp.invoker;

import dev.wisp.common.Clock;
import dev.wisp.common.Scheduler;
import dev.wisp.invoker.InvocationOutcome.Failure;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The instances of one function version and the requests waiting for them. Warm instances are
 * reused most-recently-used first, so surplus instances age out under keep-alive; a request that
 * finds none waits in FIFO order while {@link ScalingPolicy} starts cold instances.
 */
final class FunctionPool {
    private final FunctionSpec spec;
    private final InstancePool host;
    private final Clock clock;
    private final Scheduler scheduler;
    private final int cap;
    private final int maxQueue;
    private final Deque<PooledInstance> idle = new ArrayDeque<>();
    private final Set<PooledInstance> all = new HashSet<>();
    private final Deque<Waiter> queue = new ArrayDeque<>();
    private int busy;
    private int initializing;
    private int provisioned;
    /** Cold starts decided but whose instance is not in {@code all} yet. */
    private int reservedStarts;
    private boolean retired;

    private record Waiter(InvocationRequest request, CompletableFuture<InvocationResult> result, AtomicBoolean settled,
                          Scheduler.Cancellable[] queueTimeout) {}

    FunctionPool(FunctionSpec spec, InstancePool host, Clock clock, Scheduler scheduler, int cap, int maxQueue) {
        this.spec = spec;
        this.host = host;
        this.clock = clock;
        this.scheduler = scheduler;
        this.cap = cap;
        this.maxQueue = maxQueue;
    }

    FunctionSpec spec() { return spec; }

    /** Returns null when the queue is full: the caller throttles. */
    CompletableFuture<InvocationResult> invoke(InvocationRequest request) {
        Waiter w = new Waiter(request, new CompletableFuture<>(), new AtomicBoolean(), new Scheduler.Cancellable[1]);
        PooledInstance warm;
        int starts;
        synchronized (this) {
            warm = idle.pollFirst();
            if (warm != null) {
                markBusy(warm);
                starts = 0;
            } else {
                if (queue.size() >= maxQueue) return null;
                queue.addLast(w);
                starts = reserveColdStarts();
            }
        }
        if (warm != null) {
            dispatch(warm, w);
        } else {
            // a request never waits in the queue longer than the function could run
            w.queueTimeout[0] = scheduler.schedule(spec.timeoutSeconds() * 1000L, () -> queueTimedOut(w));
            startInstances(starts, false);
        }
        return w.result;
    }

    /** Keeps at least {@code count} instances started and exempt from keep-alive eviction. */
    void provision(int count) {
        int starts;
        synchronized (this) {
            provisioned = count;
            starts = Math.max(0, Math.min(cap, count) - all.size() - reservedStarts);
            initializing += starts;
            reservedStarts += starts;
        }
        startInstances(starts, true);
    }

    private int reserveColdStarts() {
        int n = ScalingPolicy.coldStartsNeeded(new ScalingPolicy.Snapshot(queue.size(), idle.size(), busy, initializing, cap));
        initializing += n;
        reservedStarts += n;
        if (n > 0) host.event(spec, "cold-start", "queued=" + queue.size() + " starting=" + n);
        return n;
    }

    private void startInstances(int n, boolean forProvisioning) {
        for (int i = 0; i < n; i++) {
            if (!host.acquireHostSlot(this)) {
                synchronized (this) {
                    initializing -= n - i;
                    reservedStarts -= n - i;
                }
                host.markStarved(this);
                return;
            }
            Instance inst = host.backend().start(spec, host.newInstanceId());
            PooledInstance pi = new PooledInstance(inst, clock.monoNanos(), clock.wallMillis());
            synchronized (this) {
                reservedStarts--;
                all.add(pi);
            }
            host.instanceEvent(spec, inst.id(), InstanceTransition.CREATED, forProvisioning ? "provisioned" : "cold start");
            host.instanceEvent(spec, inst.id(), InstanceTransition.INIT_STARTED, null);
            inst.ready().whenComplete((v, error) -> {
                if (error == null) onReady(pi);
                else onInitFailed(pi, error instanceof Instance.InitFailure f ? f : unwrap(error));
            });
            inst.exited().thenAccept(reason -> onExit(pi, reason));
        }
    }

    private static Instance.InitFailure unwrap(Throwable t) {
        Throwable c = t.getCause();
        if (c instanceof Instance.InitFailure f) return f;
        return new Instance.InitFailure("Runtime.Unknown", String.valueOf(t), new byte[0]);
    }

    private void onReady(PooledInstance pi) {
        synchronized (this) {
            pi.readyNanos = clock.monoNanos();
            pi.readyMillis = clock.wallMillis();
            initializing--;
        }
        host.instanceEvent(spec, pi.instance.id(), InstanceTransition.READY, null);
        release(pi);
    }

    private void onInitFailed(PooledInstance pi, Instance.InitFailure failure) {
        Waiter head;
        synchronized (this) {
            initializing--;
            head = queue.pollFirst();
        }
        pi.instance.kill("init failed");
        if (head != null) {
            double initMs = (clock.monoNanos() - pi.initStartNanos) / 1e6;
            settle(head, new InvocationResult(new InvocationOutcome.FunctionError(failure.payload(), failure.errorType(), true),
                    pi.instance.id(), true, pi.initStartMillis, pi.initStartMillis, clock.wallMillis(), 0, 0,
                    waitMs(head.request, pi.initStartNanos), initMs, 0, pi.instance.maxMemoryUsedMb(), ""));
        }
    }

    private void onExit(PooledInstance pi, String reason) {
        synchronized (this) {
            if (pi.state == PooledInstance.State.IDLE) idle.remove(pi);
            if (pi.state == PooledInstance.State.BUSY) busy--;
            pi.state = PooledInstance.State.GONE;
            all.remove(pi);
        }
        host.instanceEvent(spec, pi.instance.id(), reason.equals("idle") ? InstanceTransition.EVICTED : InstanceTransition.KILLED, reason);
        host.releaseHostSlot(this);
        rescale();
    }

    /** Starts instances for waiting requests and missing provisioned ones, if capacity allows. */
    void rescale() {
        int starts;
        int provisionStarts;
        synchronized (this) {
            starts = queue.isEmpty() ? 0 : reserveColdStarts();
            provisionStarts = Math.max(0, Math.min(cap, provisioned) - all.size() - reservedStarts);
            initializing += provisionStarts;
            reservedStarts += provisionStarts;
        }
        startInstances(starts, false);
        startInstances(provisionStarts, true);
    }

    private void markBusy(PooledInstance pi) {
        pi.state = PooledInstance.State.BUSY;
        busy++;
    }

    /** An instance is free: give it the next waiting request, or park it warm. */
    private void release(PooledInstance pi) {
        Waiter next;
        boolean kill = false;
        synchronized (this) {
            if (pi.state == PooledInstance.State.GONE) return;
            if (pi.state == PooledInstance.State.BUSY) busy--;
            next = retired ? null : pollLive();
            if (next != null) {
                markBusy(pi);
            } else if (retired) {
                kill = true;
            } else {
                pi.state = PooledInstance.State.IDLE;
                pi.lastUsedNanos = clock.monoNanos();
                idle.addFirst(pi);
            }
        }
        if (kill) {
            pi.instance.kill("retired");
        } else if (next != null) {
            dispatch(pi, next);
        } else {
            host.onIdle(this);
        }
    }

    private Waiter pollLive() {
        Waiter w;
        while ((w = queue.pollFirst()) != null) {
            if (!w.settled.get()) return w;
        }
        return null;
    }

    private void dispatch(PooledInstance pi, Waiter w) {
        if (w.queueTimeout[0] != null) w.queueTimeout[0].cancel();
        long startNanos = clock.monoNanos();
        long startMillis = clock.wallMillis();
        boolean cold = pi.served == 0 && pi.readyNanos >= w.request.receivedAtNanos();
        pi.served++;
        long deadline = startMillis + spec.timeoutSeconds() * 1000L;
        CompletableFuture<Instance.Execution> exec = pi.instance.execute(w.request, deadline);
        Scheduler.Cancellable timeout = scheduler.schedule(spec.timeoutSeconds() * 1000L, () -> {
            String msg = String.format("%s Task timed out after %d.00 seconds", w.request.requestId(), spec.timeoutSeconds());
            // settle first: the kill may settle the execution (as a crash) before it returns
            if (complete(pi, w, cold, startNanos, startMillis, new Instance.Execution(
                    new Failure(InvocationStatus.TIMEOUT, "Sandbox.Timedout", msg), ""))) {
                pi.instance.kill("timeout");
            }
        });
        exec.thenAccept(e -> {
            timeout.cancel();
            if (!complete(pi, w, cold, startNanos, startMillis, e)) return;
            if (e.outcome() instanceof Failure) {
                // a platform failure leaves the runtime in an unknown state: never reuse it
                pi.instance.kill("failed: " + e.outcome().status().wireName());
            } else {
                release(pi);
            }
        });
    }

    private boolean complete(PooledInstance pi, Waiter w, boolean cold, long startNanos, long startMillis, Instance.Execution e) {
        long endNanos = clock.monoNanos();
        double initMs = 0;
        long dispatchNanos = startNanos;
        long dispatchMillis = startMillis;
        if (cold) {
            dispatchNanos = Math.max(w.request.receivedAtNanos(), pi.initStartNanos);
            dispatchMillis = Math.max(w.request.receivedAtMillis(), pi.initStartMillis);
            initMs = (pi.readyNanos - dispatchNanos) / 1e6;
        }
        return settle(w, new InvocationResult(e.outcome(), pi.instance.id(), cold, dispatchMillis,
                cold ? dispatchMillis : 0, cold ? pi.readyMillis : 0, startMillis, clock.wallMillis(),
                waitMs(w.request, dispatchNanos), initMs, (endNanos - startNanos) / 1e6,
                pi.instance.maxMemoryUsedMb(), e.functionLog()));
    }

    private static double waitMs(InvocationRequest r, long dispatchNanos) {
        return Math.max(0, (dispatchNanos - r.receivedAtNanos()) / 1e6);
    }

    private boolean settle(Waiter w, InvocationResult result) {
        if (!w.settled.compareAndSet(false, true)) return false;
        w.result.complete(result);
        return true;
    }

    private void queueTimedOut(Waiter w) {
        synchronized (this) {
            if (!queue.remove(w)) return;
        }
        settle(w, new InvocationResult(new Failure(InvocationStatus.TIMEOUT, "Sandbox.Timedout",
                String.format("%s Task timed out after %d.00 seconds waiting for an instance", w.request.requestId(),
                        spec.timeoutSeconds())), null, false, 0, 0, 0, 0, 0,
                (clock.monoNanos() - w.request.receivedAtNanos()) / 1e6, 0, 0, 0, ""));
    }

    /** Evicts instances idle for longer than keep-alive, keeping provisioned ones. */
    List<PooledInstance> expired(long keepAliveNanos) {
        List<PooledInstance> out = new ArrayList<>();
        long now = clock.monoNanos();
        synchronized (this) {
            var it = idle.descendingIterator();
            while (it.hasNext() && all.size() - out.size() > provisioned) {
                PooledInstance pi = it.next();
                if (now - pi.lastUsedNanos < keepAliveNanos) break;
                it.remove();
                pi.state = PooledInstance.State.GONE;
                out.add(pi);
            }
        }
        return out;
    }

    /** Takes the least recently used idle instance out of the pool (to free a host slot). */
    synchronized PooledInstance takeLeastRecentlyUsed() {
        if (idle.size() + busy <= provisioned) return null;
        PooledInstance pi = idle.pollLast();
        if (pi != null) pi.state = PooledInstance.State.GONE;
        return pi;
    }

    /** When the least recently used evictable instance was last used; MAX_VALUE if none may go. */
    synchronized long oldestIdleNanos() {
        PooledInstance pi = idle.peekLast();
        return pi == null || idle.size() + busy <= provisioned ? Long.MAX_VALUE : pi.lastUsedNanos;
    }

    /** Provisioned instances that could not start because the host was full. */
    synchronized boolean missingProvisioned() { return all.size() + reservedStarts < Math.min(cap, provisioned); }

    synchronized boolean hasWaiters() { return !queue.isEmpty(); }

    /** Stops taking work: idle instances go now, busy ones when they finish. */
    void retire() {
        List<PooledInstance> victims;
        synchronized (this) {
            retired = true;
            victims = new ArrayList<>(idle);
            idle.clear();
            victims.forEach(pi -> pi.state = PooledInstance.State.GONE);
        }
        victims.forEach(pi -> pi.instance.kill("retired"));
    }

    synchronized boolean isEmpty() { return all.isEmpty() && queue.isEmpty(); }

    synchronized ScalingPolicy.Snapshot snapshot() {
        return new ScalingPolicy.Snapshot(queue.size(), idle.size(), busy, initializing, cap);
    }
}
