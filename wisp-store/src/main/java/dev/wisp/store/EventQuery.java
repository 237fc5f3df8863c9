package dev.wisp.store;

/**
 * Which platform events to list, newest first. Null fields do not filter; a null tenant means
 * every tenant (admins only). {@code instanceId} matches instance lifecycle events and
 * {@code requestId} throttles, the only kinds that carry them.
 *
 * @param from  inclusive, epoch ms
 * @param to    exclusive; {@code Long.MAX_VALUE} for no end
 * @param limit 1 or more; above {@value TelemetryQueries#MAX_LIMIT} it is lowered to that
 */
public record EventQuery(String tenant, String functionName, String instanceId, String requestId,
                         long from, long to, int limit) {
    public EventQuery {
        Window.check(from, to);
        limit = Window.limit(limit);
    }
}
