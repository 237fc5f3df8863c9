package dev.wisp.invoker.runtimeapi;

import dev.wisp.invoker.InvocationRequest;
import java.util.Map;
import java.util.function.Consumer;

/** The instance side of the Runtime API: what one token's endpoints act on. */
public interface RuntimeApiTarget {
    /**
     * The runtime asks for its next invocation: {@code deliver} gets it now if one is waiting, else
     * later, on the thread that hands the instance its invocation; it gets null when the instance is
     * going away. Never blocks, so no thread waits through a runtime's idle time.
     */
    void next(Consumer<InvocationRequest> deliver);

    /** Headers sent with {@code next} besides the request id. */
    String functionArn();

    long deadlineMillis(String requestId);

    /** @return false when the request id is not the one in flight */
    boolean respond(String requestId, byte[] payload);

    /** @return false when the request id is not the one in flight */
    boolean fail(String requestId, String errorType, byte[] payload);

    void initError(String errorType, byte[] payload);

    /**
     * Wisp's one extension for stem cells: blocks until the instance is given a function and
     * returns the environment to adopt (LAMBDA_TASK_ROOT, _HANDLER, the function's variables...);
     * null for an instance that was started for its function.
     */
    Map<String, String> awaitSpecialization() throws InterruptedException;
}
