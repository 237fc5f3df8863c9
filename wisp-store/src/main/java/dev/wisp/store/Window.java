package dev.wisp.store;

/** The checks every query's time window and row limit go through. */
final class Window {
    /** No query returns more rows than this; larger limits are lowered to it. */
    static final int MAX_ROWS = 10_000;

    private Window() {}

    static void check(long from, long to) {
        if (from > to) throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
    }

    static int limit(int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        return Math.min(limit, MAX_ROWS);
    }
}
