package dev.wisp.store;

import dev.wisp.common.Clock;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Buffers telemetry and appends it in batches, one transaction per batch. Everything that touches
 * the writer connection runs under one lock, so the bus's drain thread, an import and the hourly
 * retention can share it. Appenders are made per batch in the thread that writes: DuckDB ties an
 * appender to the thread that created it, and making four costs about 0.1 ms against ~2.5 ms for
 * the commit.
 */
final class StoreWriter {
    /** Items of one table waiting for the next write. */
    private static final class Pending<T> {
        final Table<T> table;
        final List<T> items = new ArrayList<>();

        Pending(Table<T> table) { this.table = table; }

        void appendTo(DuckDBConnection c) throws SQLException {
            if (items.isEmpty()) return;
            // the bus delivers nearly in time order; sorting (near-linear on such input) makes it exact,
            // which keeps each row group's min/max tight for pruning by time
            items.sort(Comparator.comparingLong(table::time));
            try (DuckDBAppender a = c.createAppender(table.name())) {
                for (T item : items) table.append(a, item);
            }
        }
    }

    private static final long NONE = Long.MIN_VALUE;

    private final ReentrantLock lock = new ReentrantLock();
    private final DuckDBConnection connection;
    private final Clock clock;
    private final int maxPending;
    private final Pending<InvocationRecord> invocations = new Pending<>(InvocationTable.INSTANCE);
    private final Pending<PlatformEvent> events = new Pending<>(EventTable.INSTANCE);
    private final Pending<ResourceSample> resources = new Pending<>(ResourceTable.INSTANCE);
    private final Pending<LogLine> logs = new Pending<>(LogTable.INSTANCE);
    private final List<Pending<?>> all = List.of(invocations, events, resources, logs);
    // written under the lock, read by metrics from any thread
    private volatile int pending;
    private volatile long oldestPendingAt = NONE;
    private volatile long appended;
    private volatile long dropped;
    private boolean closed;

    StoreWriter(DuckDBConnection connection, Clock clock, int maxPending) {
        this.connection = connection;
        this.clock = clock;
        this.maxPending = maxPending;
    }

    void accept(Object item) {
        lock.lock();
        try {
            if (closed) {
                dropped++;
                return;
            }
            switch (item) {
                case InvocationRecord r -> invocations.items.add(r);
                case PlatformEvent e -> events.items.add(e);
                case ResourceSample s -> resources.items.add(s);
                case LogLine l -> logs.items.add(l);
                default -> {
                    return; // not telemetry: TelemetryStore.accepts keeps these off the subscription
                }
            }
            if (pending++ == 0) oldestPendingAt = clock.wallMillis();
            if (pending >= maxPending) write();
        } finally {
            lock.unlock();
        }
    }

    void flush() {
        lock.lock();
        try {
            if (!closed) write();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits when the batch is old or big enough. Appending and committing cost milliseconds
     * whatever the batch's size, so committing every time the bus catches up (hundreds of times a
     * second under load) cost more CPU than the rows themselves; items wait at most
     * {@code maxAgeMillis} (plus the bus's poll) before they can be queried.
     */
    void flushIfDue(long maxAgeMillis, int minItems) {
        lock.lock();
        try {
            if (!closed && pending > 0 && (pending >= minItems || clock.wallMillis() - oldestPendingAt >= maxAgeMillis)) write();
        } finally {
            lock.unlock();
        }
    }

    /** Appends and commits everything pending; on failure the batch is dropped and counted, not retried. */
    private void write() {
        int n = pending;
        if (n == 0) return;
        try {
            for (Pending<?> p : all) p.appendTo(connection);
            connection.commit();
            appended += n;
        } catch (SQLException e) {
            rollbackQuietly();
            dropped += n;
            // a batch that failed once (a full disk, a broken file) would fail again; keeping it would only grow
            throw Database.failure("dropped a batch of " + n + " items", e);
        } finally {
            all.forEach(p -> p.items.clear());
            pending = 0;
            oldestPendingAt = NONE;
        }
    }

    long deleteOlderThan(long epochMillis) {
        lock.lock();
        try {
            if (closed) return 0;
            long deleted = 0;
            try {
                for (Table<?> t : Database.TABLES) {
                    try (PreparedStatement ps = connection.prepareStatement(
                            "DELETE FROM " + t.name() + " WHERE " + t.timeColumn() + " < ?")) {
                        ps.setLong(1, epochMillis);
                        deleted += ps.executeUpdate();
                    }
                }
                connection.commit();
                return deleted;
            } catch (SQLException e) {
                rollbackQuietly();
                throw Database.failure("retention delete failed", e);
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is in trouble already; the original failure is what gets reported
        }
    }

    /** Writes what is pending, then refuses further items (they count as dropped). */
    void close() {
        lock.lock();
        try {
            if (closed) return;
            try {
                write();
            } finally {
                closed = true;
            }
        } finally {
            lock.unlock();
        }
    }

    long appended() { return appended; }

    long dropped() { return dropped; }

    int pending() { return pending; }

    long lagMillis() {
        long oldest = oldestPendingAt;
        return oldest == NONE ? 0 : Math.max(0, clock.wallMillis() - oldest);
    }
}
