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
        long oldestAt = NONE;

        Pending(Table<T> table) { this.table = table; }

        void add(T item, long now) {
            if (items.isEmpty()) oldestAt = now;
            items.add(item);
        }

        void clear() {
            items.clear();
            oldestAt = NONE;
        }

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
            long now = clock.wallMillis();
            switch (item) {
                case InvocationRecord r -> invocations.add(r, now);
                case PlatformEvent e -> events.add(e, now);
                case ResourceSample s -> resources.add(s, now);
                case LogLine l -> logs.add(l, now);
                default -> {
                    return; // not telemetry: TelemetryStore.accepts keeps these off the subscription
                }
            }
            if (pending++ == 0) oldestPendingAt = now;
            if (pending >= maxPending) write(all);
        } finally {
            lock.unlock();
        }
    }

    void flush() {
        lock.lock();
        try {
            if (!closed) write(all);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends and commits each table's items once they are old or many enough. Appending and
     * committing cost milliseconds whatever the batch's size, so committing every time the bus
     * catches up (hundreds of times a second under load) cost more CPU than the rows themselves;
     * and the per-second samples (events, resources) would cost an append each per batch for a
     * handful of rows, so they wait {@code slowAgeMillis}. Records and log lines, which people
     * look up right after a call, wait {@code maxAgeMillis}. Items wait at most their age
     * (plus the bus's poll) before they can be queried.
     */
    void flushIfDue(long maxAgeMillis, long slowAgeMillis, int minItems) {
        lock.lock();
        try {
            if (closed || pending == 0) return;
            long now = clock.wallMillis();
            List<Pending<?>> due = new ArrayList<>(all.size());
            for (Pending<?> p : all) {
                if (p.items.isEmpty()) continue;
                long age = p == events || p == resources ? slowAgeMillis : maxAgeMillis;
                if (p.items.size() >= minItems || now - p.oldestAt >= age) due.add(p);
            }
            if (!due.isEmpty()) write(due);
        } finally {
            lock.unlock();
        }
    }

    /** Appends and commits the given tables' items; on failure the batch is dropped and counted, not retried. */
    private void write(List<Pending<?>> tables) {
        int n = 0;
        for (Pending<?> p : tables) n += p.items.size();
        if (n == 0) return;
        try {
            for (Pending<?> p : tables) p.appendTo(connection);
            connection.commit();
            appended += n;
        } catch (SQLException e) {
            rollbackQuietly();
            dropped += n;
            // a batch that failed once (a full disk, a broken file) would fail again; keeping it would only grow
            throw Database.failure("dropped a batch of " + n + " items", e);
        } finally {
            tables.forEach(Pending::clear);
            pending -= n;
            long oldest = NONE;
            for (Pending<?> p : all) if (!p.items.isEmpty() && (oldest == NONE || p.oldestAt < oldest)) oldest = p.oldestAt;
            oldestPendingAt = oldest;
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
                write(all);
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
