package dev.wisp.bench.sim;

import dev.wisp.common.ManualClock;
import dev.wisp.controller.AsyncInvoker;
import dev.wisp.controller.ConcurrencyLimiter;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.Instance;
import dev.wisp.invoker.InstancePool;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.invoker.InvocationRequest;
import dev.wisp.invoker.InvocationResult;
import dev.wisp.invoker.InvokerConfig;
import dev.wisp.invoker.ScalingPolicy;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PriceTable;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The simulated host: the controller's path (limits, async retries, dispatch capacity) written as
 * {@code Dispatcher} and {@code AsyncInvoker} do it, over the real {@link InstancePool} with
 * simulated instances, plus the once-a-second resource sampler. Single-threaded.
 */
final class SimPlatform {
    /** Bytes of a simulated request and of a successful response. */
    private static final byte[] REQUEST = new byte[200];
    private static final byte[] RESPONSE = new byte[400];
    private static final byte[] ERROR_RESPONSE = new byte[120];
    private static final InvocationOutcome.Success SUCCESS = new InvocationOutcome.Success(RESPONSE);
    private static final long HOST_BASE_MEMORY = 1_500L << 20;
    /** First retry delay of a failed event, doubled for the second: {@code wisp serve}'s default. */
    static final long ASYNC_BACKOFF_MS = 1000;
    /** The controller's normal dispatch capacity relative to recent arrivals (see {@link #collapse}). */
    static final double DISPATCH_HEADROOM = 1.5;

    final ManualClock clock;
    final VirtualScheduler scheduler;
    final ProcessorSharing cpu;
    final SimBackend backend;
    final InstancePool pool;
    final ConcurrencyLimiter limiter;
    private final SimListener listener;
    private final PriceTable prices = PriceTable.DEFAULT;
    private final SimIds ids;
    /** Calls waiting in the pool's queue for an instance, by request id. */
    private final Map<String, Call> pending = new HashMap<>();
    /** The call inside {@code pool.invoke} right now, until an instance takes it. */
    private Call submitting;
    private final Map<String, SimFunction> functions = new HashMap<>();
    private final long scoredFromMillis;
    long totalInvocations;
    long scoredInvocations;

    // queueing collapse: arrivals wait for the controller's dispatch capacity
    private final ArrayDeque<Call> gateQueue = new ArrayDeque<>();
    private boolean gated;
    private double capacityPerSecond;
    private boolean gateScheduled;
    private boolean draining;
    private long lastGateDispatch = Long.MIN_VALUE / 2;
    private final Event gateEvent = new Event() {
        @Override void fire() { gateTick(); }
    };
    /** Arrivals per second over the last minute, for the normal dispatch capacity. */
    private final int[] arrivalsPerSecond = new int[60];
    private int arrivalsThisSecond;
    private int secondIndex;

    SimPlatform(ManualClock clock, SimListener listener, SplittableRandom idRandom, double hostCpuMillicores,
                double keepAliveSeconds, int maxInstancesPerFunction, int accountConcurrency, long scoredFromMillis) {
        this.clock = clock;
        this.listener = listener;
        this.ids = new SimIds(idRandom);
        this.scoredFromMillis = scoredFromMillis;
        this.scheduler = new VirtualScheduler(clock);
        this.cpu = new ProcessorSharing(hostCpuMillicores);
        this.backend = new SimBackend(this);
        // the host instance cap is not what a scenario studies: set it out of the way
        InvokerConfig config = new InvokerConfig(Path.of("sim"), Duration.ofMillis(Math.round(keepAliveSeconds * 1000)),
                maxInstancesPerFunction, 100_000, 1000, InvokerConfig.Isolation.PROCESS, 0);
        this.pool = new InstancePool(config, backend, clock, scheduler, listener::telemetry);
        this.limiter = new ConcurrencyLimiter(accountConcurrency);
    }

    void register(SimFunction f) { functions.put(f.tenant + "/" + f.name, f); }

    /** Keeps each tenant's reserved total current, as {@code Dispatcher.reservationsChanged} does. */
    void reservationsChanged() {
        Map<String, Integer> totals = new HashMap<>();
        for (SimFunction f : functions.values()) {
            totals.merge(f.tenant, f.reserved == null ? 0 : f.reserved, Integer::sum);
        }
        totals.forEach(limiter::setReservedTotal);
    }

    // ---- arrivals ----

    /** A new invocation arrives now from a traffic stream. */
    Call newCall(SimFunction fn, Trigger trigger, String sourceId, SplittableRandom random) {
        Call c = new Call(this, fn, trigger, sourceId, random);
        c.requestId = ids.requestId();
        c.traceId = ids.traceId();
        c.spanId = ids.spanId();
        c.receivedNanos = clock.monoNanos();
        c.receivedMillis = clock.wallMillis();
        if (trigger == Trigger.EVENT) {
            c.eventId = c.requestId;
            c.eventCreatedMillis = c.receivedMillis;
        }
        return c;
    }

    void arrive(Call c) {
        arrivalsThisSecond++;
        if (gated) {
            gateQueue.addLast(c);
            scheduleGate();
        } else {
            submit(c);
        }
    }

    /** As {@code Dispatcher.invoke}: limits first, then the pool; a refusal leaves a throttled record. */
    private void submit(Call c) {
        Object grant = limiter.tryAcquire(c.fn.tenant, c.fn.name, c.fn.reserved);
        if (grant instanceof ConcurrencyLimiter.Denial denial) {
            throttled(c, denial.name());
            return;
        }
        c.permit = (ConcurrencyLimiter.Permit) grant;
        // a warm instance takes the request inside invoke(): only a queued one needs the lookup map
        submitting = c;
        CompletableFuture<InvocationResult> result = pool.invoke(c.fn.spec,
                new InvocationRequest(c.requestId, REQUEST, null, null, c.receivedNanos, c.receivedMillis));
        boolean queued = submitting != null;
        submitting = null;
        if (result != null && queued) pending.put(c.requestId, c);
        if (result == null) {
            c.permit.release();
            throttled(c, "FunctionQueueFull");
            return;
        }
        result.thenAccept(c);
    }

    private void throttled(Call c, String reason) {
        long now = clock.wallMillis();
        emitRecord(c, null, InvocationStatus.THROTTLED, "TooManyRequestsException", 0, now);
        listener.telemetry(new PlatformEvent.Throttled(now, c.fn.tenant, c.fn.name, c.requestId, reason));
        if (c.trigger == Trigger.EVENT) retryThrottled(c);
    }

    /** The pool settled an attempt: the record, an error log line, and for events maybe a retry. */
    void completed(Call c, InvocationResult r) {
        c.permit.release();
        if (r.instanceId() == null) pending.remove(c.requestId); // timed out in the queue, never reached an instance
        long now = clock.wallMillis();
        InvocationOutcome o = r.outcome();
        String errorType = switch (o) {
            case InvocationOutcome.Success s -> null;
            case InvocationOutcome.FunctionError e -> e.errorType();
            case InvocationOutcome.Failure f -> f.errorType();
        };
        long responseBytes = switch (o) {
            case InvocationOutcome.Success s -> s.payload().length;
            case InvocationOutcome.FunctionError e -> e.payload().length;
            case InvocationOutcome.Failure f -> f.message().length();
        };
        emitRecord(c, r, o.status(), errorType, responseBytes, now);
        switch (o) {
            case InvocationOutcome.Success s -> { }
            case InvocationOutcome.FunctionError e -> log(c, r.instanceId(), now, errorMessage(c, e.errorType()));
            case InvocationOutcome.Failure f -> log(c, r.instanceId(), now, f.message());
        }
        if (c.trigger == Trigger.EVENT && !(o instanceof InvocationOutcome.Success)) retryFailed(c);
    }

    private void emitRecord(Call c, InvocationResult r, InvocationStatus status, String errorType, long responseBytes,
                            long now) {
        double duration = r == null ? 0 : r.durationMs();
        long billed = r == null ? 0 : InvocationRecord.billedMillis(duration);
        int memory = c.fn.def.memoryMb();
        double gbSeconds = InvocationRecord.gbSeconds(memory, billed);
        InvocationRecord rec = new InvocationRecord(c.requestId, c.fn.tenant, c.fn.name, c.fn.spec.version(), c.trigger,
                c.sourceId, null, c.fn.def.location(), c.receivedMillis,
                r == null ? 0 : r.dispatchedAt(), r == null ? 0 : r.initStartAt(), r == null ? 0 : r.initEndAt(),
                r == null ? 0 : r.execStartAt(), r == null ? 0 : r.execEndAt(), now,
                r == null ? 0 : r.waitMs(), r == null ? 0 : r.initMs(), duration, billed, memory,
                r == null ? 0 : r.maxMemoryUsedMb(), r != null && r.coldStart(), r == null ? null : r.instanceId(),
                status, errorType, REQUEST.length, responseBytes, gbSeconds, r == null ? 0 : prices.costUsd(gbSeconds),
                c.traceId, c.spanId, c.parentSpanId);
        totalInvocations++;
        if (c.receivedMillis >= scoredFromMillis) scoredInvocations++;
        listener.telemetry(rec);
    }

    private void log(Call c, String instanceId, long now, String message) {
        listener.telemetry(new LogLine(now, LogLine.Source.FUNCTION, c.fn.tenant, c.fn.name, instanceId, "ERROR",
                c.requestId, message));
    }

    /** A few fixed message templates per cause, so log-template mining has something real to find. */
    private static String errorMessage(Call c, String errorType) {
        int pick = (int) (c.random.nextLong() & 3);
        return switch (errorType) {
            case DEPENDENCY_ERROR -> switch (pick) {
                case 0, 1 -> "ERROR dependency call failed: connection refused (" + c.fn.name + "-db:5432)";
                case 2 -> "ERROR dependency call failed: read timed out after " + (3000 + 1000 * (c.random.nextInt(3))) + " ms";
                default -> "ERROR dependency call failed: HTTP 503 Service Unavailable from upstream";
            };
            case EVENT_ERROR -> "ERROR failed to process event " + c.eventId + ": malformed record at offset "
                    + c.random.nextInt(4096);
            default -> "ERROR Unhandled exception: java.lang.IllegalStateException: request failed validation";
        };
    }

    static final String UNHANDLED_ERROR = "UnhandledError";
    static final String DEPENDENCY_ERROR = "DependencyError";
    static final String EVENT_ERROR = "EventProcessingError";

    // ---- async retries, as AsyncInvoker does them ----

    private void retryFailed(Call c) {
        int attempts = c.attempts + 1;
        if (attempts > AsyncInvoker.MAX_RETRIES) return; // a dead letter
        long delay = ASYNC_BACKOFF_MS << (attempts - 1);
        Call next = retryOf(c, attempts, 0);
        scheduler.at(scheduler.now() + delay * 1_000_000L, new Event() {
            @Override void fire() { resend(next); }
        });
    }

    /** Throttled events keep their retry budget and back off, until they are too old. */
    private void retryThrottled(Call c) {
        if (clock.wallMillis() - c.eventCreatedMillis > AsyncInvoker.MAX_EVENT_AGE_MS) return;
        int streak = c.throttleStreak + 1;
        long delay = Math.min(60_000L, ASYNC_BACKOFF_MS << Math.min(20, streak - 1));
        Call next = retryOf(c, c.attempts, streak);
        scheduler.at(scheduler.now() + delay * 1_000_000L, new Event() {
            @Override void fire() { resend(next); }
        });
    }

    private Call retryOf(Call c, int attempts, int streak) {
        Call n = new Call(this, c.fn, c.trigger, c.sourceId, c.random);
        n.eventId = c.eventId;
        n.eventCreatedMillis = c.eventCreatedMillis;
        n.attempts = attempts;
        n.throttleStreak = streak;
        n.requestId = attempts == 0 ? c.eventId : c.eventId + "-retry" + attempts;
        n.traceId = c.traceId;
        n.parentSpanId = c.parentSpanId;
        n.forcedErrorRate = c.forcedErrorRate;
        return n;
    }

    private void resend(Call n) {
        n.spanId = ids.spanId();
        n.receivedNanos = clock.monoNanos();
        n.receivedMillis = clock.wallMillis();
        arrive(n);
    }

    // ---- dispatch capacity (queueing collapse) ----

    /**
     * The controller's dispatch capacity drops to {@code factor} times normal. Normal capacity is
     * {@link #DISPATCH_HEADROOM} times the arrival rate of the last minute: a controller sized with
     * 50 % headroom over its load. Arrivals then wait in one FIFO and leave at the capacity's pace;
     * after the window the backlog drains at normal capacity before arrivals flow straight through again.
     */
    void collapse(double factor) {
        capacityPerSecond = Math.max(0.1, factor * normalCapacity());
        gated = true;
        draining = false;
    }

    void endCollapse() {
        capacityPerSecond = Math.max(0.1, normalCapacity());
        draining = true;
        if (gateQueue.isEmpty()) gated = false;
    }

    private double normalCapacity() {
        long sum = 0;
        for (int n : arrivalsPerSecond) sum += n;
        return DISPATCH_HEADROOM * Math.max(1.0, sum / 60.0);
    }

    private void scheduleGate() {
        if (gateScheduled) return;
        long interval = (long) (1e9 / capacityPerSecond);
        gateScheduled = true;
        scheduler.at(Math.max(scheduler.now(), lastGateDispatch + interval), gateEvent);
    }

    private void gateTick() {
        gateScheduled = false;
        expireGateQueue();
        Call c = gateQueue.pollFirst();
        if (c == null) return;
        lastGateDispatch = scheduler.now();
        submit(c);
        if (!gateQueue.isEmpty()) {
            scheduleGate();
        } else if (draining) {
            gated = false;
        }
    }

    // ---- instances ----

    SimInstance newInstance(FunctionSpec spec, String instanceId) {
        SimFunction fn = functions.get(spec.tenant() + "/" + spec.functionName());
        int mem = (int) Math.max(24, Math.round(spec.memoryMb() * (0.25 + 0.3 * fn.initRandom.nextDouble())));
        SimInstance i = new SimInstance(instanceId, spec, fn, this, Math.min(spec.memoryMb(), mem));
        scheduler.at(scheduler.now() + Math.round(fn.sampleInitMs() * 1e6), i);
        return i;
    }

    void executionStarted(SimInstance inst, InvocationRequest request) {
        Call c;
        if (submitting != null && submitting.requestId == request.requestId()) {
            c = submitting;
            submitting = null;
        } else {
            c = pending.remove(request.requestId());
        }
        inst.call = c;
        SimFunction fn = inst.fn;
        SplittableRandom rnd = c == null ? fn.initRandom : c.random;
        if (c != null && c.hogCpu > 0) {
            inst.hog = true;
            inst.cpu = c.hogCpu;
            inst.failing = false;
            inst.hogSince = scheduler.now();
            cpu.addExtraDemand(c.hogCpu, scheduler.now());
            scheduler.at(scheduler.now() + Math.round(c.forcedExecMs * 1e6), inst);
            return;
        }
        double execMs = fn.sampleExecMs(rnd);
        double u = rnd.nextDouble();
        String error = null;
        if (c != null && !Double.isNaN(c.forcedErrorRate)) {
            if (u < c.forcedErrorRate) error = EVENT_ERROR;
        } else if (!Double.isNaN(fn.dependencyErrorRate) && u < fn.dependencyErrorRate) {
            error = DEPENDENCY_ERROR;
        } else if (fn.def.errorRate() > 0 && rnd.nextDouble() < fn.def.errorRate()) {
            error = UNHANDLED_ERROR;
        }
        inst.failing = error != null;
        inst.errorType = error;
        inst.cpu = fn.cpu;
        inst.hog = false;
        cpu.start(inst, scheduler.now(), execMs * 1e6);
    }

    /** An execution finished (its work is done, or the hog's time is up): the runtime answers. */
    void executionEnded(SimInstance inst) {
        account(inst);
        if (inst.hog) {
            cpu.addExtraDemand(-inst.cpu, scheduler.now());
            inst.hog = false;
        }
        var f = inst.execution;
        inst.execution = null;
        inst.call = null;
        if (f == null) return;
        f.complete(inst.failing
                ? new Instance.Execution(new InvocationOutcome.FunctionError(ERROR_RESPONSE, inst.errorType), "")
                : new Instance.Execution(SUCCESS, ""));
    }

    /** Runs every execution the CPU has finished by {@code t}. */
    void finishExecutions(long t) {
        SimInstance done;
        while ((done = cpu.pollFinished(t)) != null) executionEnded(done);
    }

    void instanceKilled(SimInstance inst) {
        if (inst.heapIndex >= 0) {
            account(inst);
            cpu.remove(inst, scheduler.now());
        }
        if (inst.hog) {
            cpu.addExtraDemand(-inst.cpu, scheduler.now());
            inst.hog = false;
        }
        backend.gone(inst);
    }

    /** Books the CPU an execution used since it was last accounted. */
    private void account(SimInstance inst) {
        if (inst.hog) {
            long now = scheduler.now();
            inst.cpuUsed += inst.cpu * cpu.rate() * (now - inst.hogSince);
            inst.hogSince = now;
        } else if (inst.execution != null) {
            double v = cpu.workClock(scheduler.now());
            inst.cpuUsed += inst.cpu * (v - inst.accountedV);
            inst.accountedV = v;
        }
    }

    // ---- once a second, as ResourceSampler does live ----

    void sample() {
        long now = clock.wallMillis();
        double hostCpu = 0;
        long hostMemory = HOST_BASE_MEMORY;
        for (int k = 0; k < backend.live.size(); k++) {
            SimInstance i = backend.live.get(k);
            account(i);
            double millicores = i.cpuUsed / 1e9;
            i.cpuUsed = 0;
            hostCpu += millicores;
            long rss = (long) i.memoryUsedMb << 20;
            hostMemory += rss;
            listener.telemetry(new ResourceSample(now, ResourceSample.Scope.INSTANCE, i.spec().tenant(),
                    i.spec().functionName(), i.id(), millicores, rss, 0, 0, 0));
        }
        listener.telemetry(new ResourceSample(now, ResourceSample.Scope.HOST, null, null, null, hostCpu, hostMemory, 0, 0, 0));
        for (var e : pool.snapshotByFunction().entrySet()) {
            ScalingPolicy.Snapshot s = e.getValue().snapshot();
            listener.telemetry(new ResourceSample(now, ResourceSample.Scope.FUNCTION, e.getValue().tenant(),
                    e.getValue().functionName(), null, 0, 0, s.idle(), s.busy(), s.initializing()));
            listener.telemetry(new PlatformEvent.ConcurrencySample(now, e.getValue().tenant(), e.getValue().functionName(),
                    s.queued() + gateQueueOf(e.getValue().functionName()), s.busy(), s.total()));
        }
        arrivalsPerSecond[secondIndex] = arrivalsThisSecond;
        secondIndex = (secondIndex + 1) % arrivalsPerSecond.length;
        arrivalsThisSecond = 0;
    }

    /**
     * As the pool's own queue does: a request never waits longer than its function could run. The
     * oldest wait at the front, so expired ones are found there.
     */
    private void expireGateQueue() {
        Call c;
        long nowNanos = clock.monoNanos();
        while ((c = gateQueue.peekFirst()) != null
                && nowNanos - c.receivedNanos >= c.fn.spec.timeoutSeconds() * 1_000_000_000L) {
            gateQueue.pollFirst();
            String msg = c.requestId + " Task timed out after " + c.fn.spec.timeoutSeconds()
                    + ".00 seconds waiting for an instance";
            InvocationResult r = new InvocationResult(new InvocationOutcome.Failure(InvocationStatus.TIMEOUT,
                    "Sandbox.Timedout", msg), null, false, 0, 0, 0, 0, 0, (nowNanos - c.receivedNanos) / 1e6, 0, 0, 0, "");
            long now = clock.wallMillis();
            emitRecord(c, r, InvocationStatus.TIMEOUT, "Sandbox.Timedout", msg.length(), now);
            log(c, null, now, msg);
            if (c.trigger == Trigger.EVENT) retryFailed(c);
        }
    }

    /** Requests of a function waiting for the controller (only during a queueing collapse). */
    private int gateQueueOf(String function) {
        if (gateQueue.isEmpty()) return 0;
        int n = 0;
        for (Call c : gateQueue) {
            if (c.fn.name.equals(function)) n++;
        }
        return n;
    }
}
