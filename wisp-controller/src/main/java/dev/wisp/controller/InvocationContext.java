package dev.wisp.controller;

import dev.wisp.telemetry.model.TraceContext;
import dev.wisp.telemetry.model.Trigger;

/**
 * Who asked for an invocation, how and when: everything about it except the function and payload.
 *
 * @param sourceId the caller's access-key id (or a keyed hash of the client address for URLs)
 * @param trace    the invocation's own span in its caller's trace (or in a new one)
 */
public record InvocationContext(String tenant, String requestId, Trigger trigger, String sourceId,
                                String parentRequestId, TraceContext trace, String clientContext,
                                long receivedAtNanos, long receivedAtMillis) {

    /** The same invocation, recognised as called by another function's invocation. */
    InvocationContext calledBy(String parentRequestId) {
        return new InvocationContext(tenant, requestId, Trigger.CHAIN, sourceId, parentRequestId, trace, clientContext,
                receivedAtNanos, receivedAtMillis);
    }
}
