package dev.wisp.controller;

import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.controller.registry.Arns;
import dev.wisp.controller.registry.CodeStore;
import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.InstancePool;
import dev.wisp.invoker.InvocationOutcome;
import dev.wisp.invoker.InvocationRequest;
import dev.wisp.invoker.InvocationResult;
import dev.wisp.invoker.RuntimeKind;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PriceTable;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Takes an invocation of a resolved function version through the limits to the instance pool, and
 * turns the result into the invocation record and Lambda's log lines. Telemetry is offered to the
 * bus and never waited on.
 */
public final class Dispatcher {
    private final FunctionRegistry registry;
    private final CodeStore code;
    private final InstancePool pool;
    private final ConcurrencyLimiter limiter;
    private final Clock clock;
    private final Consumer<Object> telemetry;
    private final String location;
    private final PriceTable prices;
    private final MitigationGuard guard;
    /** Span id of every running invocation, so a call made from inside one is recognised as a chain. */
    private final Map<String, String> runningSpans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, FunctionSpec> specs = new java.util.concurrent.ConcurrentHashMap<>();
    /** The operator's fault-injection knob on dispatch capacity; open unless a collapse is injected. */
    private final DispatchGate gate;
    private final Map<String, AtomicInteger> atGate = new java.util.concurrent.ConcurrentHashMap<>();

    public Dispatcher(FunctionRegistry registry, CodeStore code, InstancePool pool, ConcurrencyLimiter limiter,
                      Clock clock, Consumer<Object> telemetry, String location, PriceTable prices) {
        this(registry, code, pool, limiter, clock, telemetry, location, prices, new MitigationGuard());
    }

    /** @param guard mitigations in force (blocked sources, concurrency caps), consulted on every invocation */
    public Dispatcher(FunctionRegistry registry, CodeStore code, InstancePool pool, ConcurrencyLimiter limiter,
                      Clock clock, Consumer<Object> telemetry, String location, PriceTable prices, MitigationGuard guard) {
        this.guard = guard;
        this.registry = registry;
        this.code = code;
        this.pool = pool;
        this.limiter = limiter;
        this.clock = clock;
        this.telemetry = telemetry;
        this.location = location;
        this.prices = prices;
        this.gate = new DispatchGate(clock);
    }

    /** The dispatch-capacity knob (fault injection: {@code POST /wisp/faults/dispatch-capacity}). */
    public DispatchGate gate() { return gate; }

    /**
     * Requests of a function waiting at the dispatch gate: queued as much as those waiting for an
     * instance, so the concurrency samples count them too (as the simulator does).
     */
    public int waitingAtGate(String tenant, String function) {
        AtomicInteger n = atGate.get(gateKey(tenant, function));
        return n == null ? 0 : n.get();
    }

    /** Recomputes a tenant's reserved total after a PutFunctionConcurrency or DeleteFunctionConcurrency. */
    public void reservationsChanged(String tenant) {
        int total = 0;
        for (FunctionConfig f : registry.list(tenant)) {
            total += registry.setting(tenant, f.name(), "reserved").orElse(0);
        }
        limiter.setReservedTotal(tenant, total);
    }

    /** The instance spec of a function version; cached, since it is needed on every invocation. */
    public FunctionSpec specOf(FunctionConfig f) {
        Integer reserved = registry.setting(f.tenant(), f.name(), "reserved").orElse(null);
        String key = f.tenant() + "/" + f.name() + "/" + f.version() + "/" + f.revisionId() + "/" + reserved;
        FunctionSpec cached = specs.get(key);
        if (cached != null) return cached;
        if (specs.size() > 10_000) specs.clear();
        FunctionSpec spec = buildSpec(f, reserved);
        specs.put(key, spec);
        return spec;
    }

    private FunctionSpec buildSpec(FunctionConfig f, Integer reserved) {
        return new FunctionSpec(f.tenant(), f.name(), f.version(), Arns.function(f.tenant(), f.name(), null),
                f.revisionId(), RuntimeKind.fromLambdaName(f.runtime()), f.runtime(), f.handler(),
                code.dirOf(f.codeKey()), f.memorySize(), f.timeout(), f.environment(),
                reserved == null ? 0 : Math.max(1, reserved), f.networkAccess());
    }

    /**
     * Runs one invocation. Throttles fail at once with TooManyRequestsException (and leave a
     * record); everything else completes the future, function errors included.
     */
    public CompletableFuture<Completed> invoke(FunctionConfig f, InvocationContext called, byte[] payload) {
        String caller = called.trace().parentSpanId() == null ? null : runningSpans.get(called.trace().parentSpanId());
        InvocationContext ctx = caller == null ? called : called.calledBy(caller);
        if (!admitted(f, ctx)) return CompletableFuture.completedFuture(timedOutAtGate(f, ctx, payload.length));
        long now = clock.wallMillis();
        if (guard.isBlocked(f.tenant(), f.name(), ctx.sourceId(), now)) {
            throw throttled(f, ctx, payload.length, "SourceBlockedByMitigation", "Rate Exceeded.");
        }
        Integer reserved = registry.setting(f.tenant(), f.name(), "reserved").orElse(null);
        Object grant = limiter.tryAcquire(f.tenant(), f.name(), reserved, guard.capOf(f.tenant(), f.name(), now));
        if (grant instanceof ConcurrencyLimiter.Denial denial) {
            throw throttled(f, ctx, payload.length, denial.name(), "Rate Exceeded.");
        }
        ConcurrencyLimiter.Permit permit = (ConcurrencyLimiter.Permit) grant;
        CompletableFuture<InvocationResult> result;
        runningSpans.put(ctx.trace().spanId(), ctx.requestId());
        try {
            InvocationRequest req = new InvocationRequest(ctx.requestId(), payload, ctx.trace().xray(), ctx.clientContext(),
                    ctx.receivedAtNanos(), ctx.receivedAtMillis());
            result = pool.invoke(specOf(f), req);
        } catch (RuntimeException e) {
            permit.release();
            runningSpans.remove(ctx.trace().spanId());
            throw e;
        }
        if (result == null) {
            permit.release();
            runningSpans.remove(ctx.trace().spanId());
            throw throttled(f, ctx, payload.length, "FunctionQueueFull", "Too many requests are waiting for an instance of this function.");
        }
        return result.thenApply(r -> {
            permit.release();
            runningSpans.remove(ctx.trace().spanId());
            return complete(f, ctx, payload.length, r);
        });
    }

    private static String gateKey(String tenant, String function) {
        return tenant + '\u0000' + function;
    }

    /** Waits for the dispatch gate (only during an injected collapse); false when the function's timeout passed first. */
    private boolean admitted(FunctionConfig f, InvocationContext ctx) {
        long deadline = ctx.receivedAtNanos() + f.timeout() * 1_000_000_000L;
        try {
            if (!gate.armed()) return gate.admit(deadline); // counts the arrival, never waits
            AtomicInteger waiting =
                    atGate.computeIfAbsent(gateKey(f.tenant(), f.name()), k -> new AtomicInteger());
            waiting.incrementAndGet();
            try {
                return gate.admit(deadline);
            } finally {
                waiting.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WispException(ErrorCode.SERVICE, "interrupted", Map.of(), e);
        }
    }

    /** A request that waited for the collapsed controller until its function's timeout: a timeout, as Lambda reports one. */
    private Completed timedOutAtGate(FunctionConfig f, InvocationContext ctx, long requestBytes) {
        String msg = ctx.requestId() + " Task timed out after " + f.timeout() + ".00 seconds waiting for dispatch";
        InvocationResult r = new InvocationResult(new InvocationOutcome.Failure(InvocationStatus.TIMEOUT, "Sandbox.Timedout", msg),
                null, false, 0, 0, 0, 0, 0, (clock.monoNanos() - ctx.receivedAtNanos()) / 1e6, 0, 0, 0, "");
        return complete(f, ctx, requestBytes, r);
    }

    private WispException throttled(FunctionConfig f, InvocationContext ctx, long requestBytes, String reason, String message) {
        long now = clock.wallMillis();
        telemetry.accept(record(f, ctx, requestBytes, 0, null, InvocationStatus.THROTTLED, "TooManyRequestsException", now));
        telemetry.accept(new PlatformEvent.Throttled(now, f.tenant(), f.name(), ctx.requestId(), reason));
        return new WispException(ErrorCode.TOO_MANY_REQUESTS, message, Map.of("Reason", reason), null);
    }

    private Completed complete(FunctionConfig f, InvocationContext ctx, long requestBytes, InvocationResult r) {
        long now = clock.wallMillis();
        InvocationOutcome o = r.outcome();
        String errorType = switch (o) {
            case InvocationOutcome.Success s -> null;
            case InvocationOutcome.FunctionError e -> e.errorType();
            case InvocationOutcome.Failure fl -> fl.errorType();
        };
        long responseBytes = switch (o) {
            case InvocationOutcome.Success s -> s.payload().length;
            case InvocationOutcome.FunctionError e -> e.payload().length;
            case InvocationOutcome.Failure fl -> fl.message().length();
        };
        InvocationRecord rec = record(f, ctx, requestBytes, responseBytes, r, o.status(), errorType, now);
        // no REPORT log line on the bus: it only repeats the record, and the store's log queries
        // make it from the record; the caller's tail (and its REPORT line) is only built when asked for
        telemetry.accept(rec);
        return new Completed(f, r, rec, () -> logTail(f, ctx.requestId(), r, reportLine(ctx.requestId(), rec), o));
    }

    private InvocationRecord record(FunctionConfig f, InvocationContext ctx, long requestBytes, long responseBytes,
                                    InvocationResult r, InvocationStatus status, String errorType, long now) {
        double duration = r == null ? 0 : r.durationMs();
        long billed = r == null ? 0 : InvocationRecord.billedMillis(duration);
        double gbSeconds = InvocationRecord.gbSeconds(f.memorySize(), billed);
        return new InvocationRecord(ctx.requestId(), f.tenant(), f.name(), f.version(), ctx.trigger(), ctx.sourceId(),
                ctx.parentRequestId(), location, ctx.receivedAtMillis(),
                r == null ? 0 : r.dispatchedAt(), r == null ? 0 : r.initStartAt(), r == null ? 0 : r.initEndAt(),
                r == null ? 0 : r.execStartAt(), r == null ? 0 : r.execEndAt(), now,
                r == null ? 0 : r.waitMs(), r == null ? 0 : r.initMs(), duration, billed, f.memorySize(),
                r == null ? 0 : r.maxMemoryUsedMb(), r != null && r.coldStart(), r == null ? null : r.instanceId(),
                status, errorType, requestBytes, responseBytes, gbSeconds, r == null ? 0 : prices.costUsd(gbSeconds),
                ctx.trace().traceId(), ctx.trace().spanId(), ctx.trace().parentSpanId());
    }

    /** Lambda's REPORT line: duration, billed duration, memory, init duration on a cold start. */
    private static String reportLine(String requestId, InvocationRecord rec) {
        StringBuilder report = new StringBuilder(160).append("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ").append(twoDecimals(rec.durationMs())).append(" ms\tBilled Duration: ").append(rec.billedMs())
                .append(" ms\tMemory Size: ").append(rec.memoryLimitMb()).append(" MB\tMax Memory Used: ")
                .append(rec.maxMemoryUsedMb()).append(" MB");
        if (rec.coldStart()) report.append("\tInit Duration: ").append(twoDecimals(rec.initMs())).append(" ms");
        if (rec.status() != InvocationStatus.SUCCESS && rec.status() != InvocationStatus.ERROR) {
            report.append("\tStatus: ").append(rec.status().wireName());
        }
        return report.toString();
    }

    /** Lambda's START/END/REPORT framing around the function's own lines, for X-Amz-Log-Result. */
    private String logTail(FunctionConfig f, String requestId, InvocationResult r, String report, InvocationOutcome o) {
        StringBuilder tail = new StringBuilder("START RequestId: ").append(requestId).append(" Version: ").append(f.version())
                .append('\n').append(r.logTail());
        if (o instanceof InvocationOutcome.Failure fl) {
            tail.append(timestamp()).append(' ').append(fl.message()).append('\n');
        }
        return tail.append("END RequestId: ").append(requestId).append('\n').append(report).append('\n').toString();
    }

    /** 12.3456 -> "12.35", without the cost of String.format on every invocation. */
    static String twoDecimals(double v) {
        long hundredths = Math.round(v * 100);
        long frac = Math.abs(hundredths % 100);
        return (hundredths < 0 && hundredths > -100 ? "-" : "") + (hundredths / 100) + (frac < 10 ? ".0" : ".") + frac;
    }

    private String timestamp() {
        return java.time.Instant.ofEpochMilli(clock.wallMillis()).toString();
    }
}
