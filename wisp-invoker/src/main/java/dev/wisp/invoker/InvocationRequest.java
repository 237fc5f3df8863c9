package dev.wisp.invoker;

/**
 * What an instance is asked to run.
 *
 * @param receivedAtNanos monotonic time the gateway had the request, for waitMs
 * @param clientContext   base64 client context, or null
 */
public record InvocationRequest(String requestId, byte[] payload, String traceId, String clientContext,
                                long receivedAtNanos, long receivedAtMillis) {}
