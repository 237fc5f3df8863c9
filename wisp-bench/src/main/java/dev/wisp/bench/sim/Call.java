package dev.wisp.bench.sim;

import dev.wisp.controller.ConcurrencyLimiter;
import dev.wisp.invoker.InvocationResult;
import dev.wisp.telemetry.model.Trigger;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * One invocation attempt on its way through the simulated platform: who called, when, and what the
 * attempt will do. It is also the pool's completion callback, so an attempt costs one object here.
 */
final class Call implements Consumer<InvocationResult> {
    final SimPlatform platform;
    final SimFunction fn;
    final Trigger trigger;
    final String sourceId;
    /** The traffic stream's generator: execution time and failures are drawn from it. */
    final SplittableRandom random;
    String requestId;
    String traceId;
    String spanId;
    String parentSpanId;
    long receivedNanos;
    long receivedMillis;
    ConcurrencyLimiter.Permit permit;

    /** Event (async) invocations: the first attempt's id, retries so far, throttles in a row, first acceptance. */
    String eventId;
    int attempts;
    int throttleStreak;
    long eventCreatedMillis;

    /** A failure rate that replaces the function's (retry storm), or NaN. */
    double forcedErrorRate = Double.NaN;
    /** Fixed execution time in ms (the hog), or NaN. */
    double forcedExecMs = Double.NaN;
    /** CPU the hog burns, or 0. */
    double hogCpu;

    Call(SimPlatform platform, SimFunction fn, Trigger trigger, String sourceId, SplittableRandom random) {
        this.platform = platform;
        this.fn = fn;
        this.trigger = trigger;
        this.sourceId = sourceId;
        this.random = random;
    }

    @Override
    public void accept(InvocationResult r) { platform.completed(this, r); }
}
