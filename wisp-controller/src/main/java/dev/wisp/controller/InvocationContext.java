package dev.wisp.controller;

import dev.wisp.telemetry.model.Trigger;

/**
 * Who asked for an invocation, how and when: everything about it except the function and payload.
 *
 * @param sourceId the caller's access-key id (or a keyed hash of the client address for URLs)
 */
public record InvocationContext(String tenant, String requestId, Trigger trigger, String sourceId,
                                String parentRequestId, String traceId, String clientContext,
                                long receivedAtNanos, long receivedAtMillis) {}
