package dev.wisp.store;

/**
 * Which log lines to list, newest first. Null fields do not filter; a null tenant means every
 * tenant (admins only), and is the only way to see platform lines that belong to no tenant.
 *
 * @param filterPattern CloudWatch-style terms, see {@link FilterPattern}; null or blank for all lines
 * @param from          inclusive, epoch ms
 * @param to            exclusive; {@code Long.MAX_VALUE} for no end
 * @param limit         1 or more; above {@value TelemetryQueries#MAX_LIMIT} it is lowered to that
 */
public record LogQuery(String tenant, String functionName, String requestId, String filterPattern,
                       long from, long to, int limit) {
    public LogQuery {
        Window.check(from, to);
        limit = Window.limit(limit);
    }
}
