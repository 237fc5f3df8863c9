package dev.wisp.invoker;

/**
 * An invocation's outcome with its timings (epoch ms; 0 when a phase did not happen).
 *
 * @param logTail the function's log lines for this invocation, START to REPORT
 */
public record InvocationResult(InvocationOutcome outcome, String instanceId, boolean coldStart,
                               long dispatchedAt, long initStartAt, long initEndAt,
                               long execStartAt, long execEndAt,
                               double waitMs, double initMs, double durationMs,
                               int maxMemoryUsedMb, String logTail) {}
