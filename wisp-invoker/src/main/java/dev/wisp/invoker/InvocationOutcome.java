package dev.wisp.invoker;

import dev.wisp.telemetry.model.InvocationStatus;

/** How an invocation ended, as the invoker saw it. */
public sealed interface InvocationOutcome {
    InvocationStatus status();

    /** The handler returned a result. */
    record Success(byte[] payload) implements InvocationOutcome {
        public InvocationStatus status() { return InvocationStatus.SUCCESS; }
    }

    /**
     * The runtime reported an error (Lambda-Runtime-Function-Error-Type / error body): the
     * handler's, or, with {@code duringInit}, its own failure to initialise.
     */
    record FunctionError(byte[] payload, String errorType, boolean duringInit) implements InvocationOutcome {
        public FunctionError(byte[] payload, String errorType) {
            this(payload, errorType, false);
        }

        public InvocationStatus status() { return InvocationStatus.ERROR; }
    }

    /**
     * The platform ended it: timeout, out of memory, a crashed or failed-to-init runtime. The
     * payload is Lambda's error JSON for the caller.
     */
    record Failure(InvocationStatus status, String errorType, String message) implements InvocationOutcome {}
}
