package dev.wisp.invoker;

import java.util.concurrent.CompletableFuture;

/**
 * One running copy of a function: a real process here, a simulated one in the bench. It runs one
 * invocation at a time. The pool owns the lifecycle decisions; an instance only does what it is
 * told and reports what happened.
 */
public interface Instance {
    String id();

    FunctionSpec spec();

    /** Completes when the runtime first asks for work; fails with {@link InitFailure}. */
    CompletableFuture<Void> ready();

    /**
     * Hands one invocation to the runtime. The future completes with the runtime's answer, or
     * with a {@link InvocationOutcome.Failure} when the instance dies first. Never fails.
     */
    CompletableFuture<Execution> execute(InvocationRequest request, long deadlineEpochMillis);

    /** Stops the instance and everything it started. Idempotent. */
    void kill(String reason);

    /** Completes with the reason once the instance is gone. */
    CompletableFuture<String> exited();

    /** Peak memory of the instance so far, in MB (0 when unknown). */
    int maxMemoryUsedMb();

    /** What one execution produced: the outcome and the function's log lines written meanwhile. */
    record Execution(InvocationOutcome outcome, String functionLog) {}

    /** The runtime failed before it was ready: an init error it reported, or an early exit. */
    final class InitFailure extends RuntimeException {
        private final String errorType;
        private final byte[] payload;

        public InitFailure(String errorType, String message, byte[] payload) {
            super(message, null, false, false);
            this.errorType = errorType;
            this.payload = payload;
        }

        public String errorType() { return errorType; }

        public byte[] payload() { return payload; }
    }
}
