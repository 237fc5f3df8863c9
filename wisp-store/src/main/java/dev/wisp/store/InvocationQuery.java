package dev.wisp.store;

import dev.wisp.telemetry.model.InvocationStatus;

/**
 * Which invocation records to list, newest (by completion time) first. Null fields do not filter;
 * a null tenant means every tenant, which only an admin may ask for (the caller decides).
 *
 * @param from  inclusive, epoch ms of completion
 * @param to    exclusive; {@code Long.MAX_VALUE} for no end
 * @param limit 1 or more; above {@value TelemetryQueries#MAX_LIMIT} it is lowered to that
 */
public record InvocationQuery(String tenant, String functionName, InvocationStatus status, Boolean coldStart,
                              long from, long to, String requestId, String traceId, int limit) {
    public InvocationQuery {
        Window.check(from, to);
        limit = Window.limit(limit);
    }
}
