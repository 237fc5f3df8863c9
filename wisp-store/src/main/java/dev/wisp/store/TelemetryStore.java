package dev.wisp.store;

import dev.wisp.common.Clock;
import dev.wisp.common.SystemClock;
import dev.wisp.telemetry.JsonLinesReader;
import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.LogLine;
import java.nio.file.Path;

/**
 * Telemetry in one DuckDB file. Subscribed to the bus, it runs on the bus's drain thread:
 * {@link #accept} buffers, {@link #flush} (the bus's "caught up" hook) appends the buffer in one
 * transaction. Queries run concurrently on their own connections through {@link #queries()}.
 */
public final class TelemetryStore implements AutoCloseable {
    private final Database database;
    private final StoreWriter writer;
    private final TelemetryQueries queries;

    private TelemetryStore(Database database, Clock clock, StoreConfig config) {
        this.database = database;
        this.writer = new StoreWriter(database.writer(), clock, config.maxPending());
        this.queries = new TelemetryQueries(database);
    }

    /** Opens (creating if needed) the store file with the default configuration. */
    public static TelemetryStore open(Path file) {
        return open(file, StoreConfig.DEFAULTS, SystemClock.INSTANCE);
    }

    public static TelemetryStore open(Path file, StoreConfig config, Clock clock) {
        return new TelemetryStore(Database.open(file, config), clock, config);
    }

    /** The bus filter: the four telemetry kinds. */
    public static boolean accepts(Object item) { return JsonLinesSink.accepts(item); }

    /** Buffers one item; writes at once only when {@link StoreConfig#maxPending()} items are waiting. */
    public void accept(Object item) { writer.accept(item); }

    /** Appends everything buffered, committing it as one batch. */
    public void flush() { writer.flush(); }

    /**
     * The bus's idle hook: commits records and log lines once they are {@value #MAX_BATCH_AGE_MILLIS} ms
     * old, the per-second samples (events, resources) once {@value #SAMPLE_BATCH_AGE_MILLIS} ms old, any
     * table at {@value #MIN_BATCH_ITEMS} items. Each table's append costs DuckDB milliseconds however
     * few its rows (measured with duckdb_jdbc 2.0: 1 row 4.1 ms, 2,500 rows 6.2 ms), so at 200 ms
     * batches four tables' appends took a tenth of a core.
     */
    public void flushIfDue() { writer.flushIfDue(MAX_BATCH_AGE_MILLIS, SAMPLE_BATCH_AGE_MILLIS, MIN_BATCH_ITEMS); }

    /** How stale a query for invocations or logs can be: they are committed at most this long after they arrive. */
    public static final long MAX_BATCH_AGE_MILLIS = 1000;
    /** The same for events and resource samples. */
    public static final long SAMPLE_BATCH_AGE_MILLIS = 5000;
    static final int MIN_BATCH_ITEMS = 8192;

    /** Items committed since open. */
    public long appended() { return writer.appended(); }

    /** Items buffered and not yet committed. */
    public int pending() { return writer.pending(); }

    /** Items lost: batches that failed to commit, and items offered after close. */
    public long dropped() { return writer.dropped(); }

    /** How long the oldest buffered item has waited for its commit; 0 when nothing is buffered. */
    public long lagMillis() { return writer.lagMillis(); }

    /**
     * Retention: deletes every row older than {@code epochMillis} (invocations by completion time,
     * the other streams by their timestamp).
     *
     * @return rows deleted
     */
    public long deleteOlderThan(long epochMillis) { return writer.deleteOlderThan(epochMillis); }

    /**
     * Loads a directory of JSON Lines in {@link JsonLinesSink}'s format (an export) through the same
     * path as live telemetry. Rows are not de-duplicated: importing a directory twice stores it twice.
     *
     * @return items loaded
     * @throws JsonLinesReader.MalformedLineException at the first bad line; what came before it is kept
     */
    public long importFrom(Path dir) {
        try {
            // exports from before REPORT lines were made from invocation records carry them as lines
            return JsonLinesReader.read(dir, item -> {
                if (!(item instanceof LogLine l && LogTable.isReport(l))) writer.accept(item);
            });
        } finally {
            writer.flush();
        }
    }

    public TelemetryQueries queries() { return queries; }

    /** Commits what is buffered, then closes the file once running queries have finished. */
    @Override
    public void close() {
        try {
            writer.close();
        } finally {
            database.close();
        }
    }
}
