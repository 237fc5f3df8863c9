package dev.wisp.store;

import dev.wisp.common.Clock;
import dev.wisp.common.WispException;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends telemetry as it arrives and commits it in batches, one transaction per batch. Each table
 * keeps one appender open between commits, so an item goes from the bus straight into DuckDB's
 * column buffers: nothing waits on the Java heap for its batch (a second of records there was
 * copied by every young collection), and the appending is spread over the bus's drains (every 100 ms)
 * instead of one burst a second that held a core. Everything that touches the writer connection
 * runs under one lock, so the bus's drain thread, an import and the hourly retention can share it;
 * the lock is also why the appenders may be used from more than the thread that made them.
 */
final class StoreWriter {
    /** One table's appender and the rows appended to it since the table was last committed. */
    private final class Stream<T> {
        final Table<T> table;
        DuckDBAppender appender;
        int rows;
        long oldestAt = NONE;

        Stream(Table<T> table) { this.table = table; }

        void append(T item, long now) throws SQLException {
            if (appender == null) {
                appender = connection.createAppender(table.name());
                appender.unsafeBreakThreadConfinement(); // every call is under the writer's lock
            }
            table.append(appender, item);
            if (rows++ == 0) oldestAt = now;
        }

        /** Hands the appender's buffered rows to the open transaction. */
        void flush() throws SQLException {
            if (rows > 0) appender.flush();
        }

        /** Nothing uncommitted left: after a commit, or after the rows were discarded. */
        void reset() {
            rows = 0;
            oldestAt = NONE;
        }

        void closeQuietly() {
            if (appender == null) return;
            try {
                appender.close();
            } catch (SQLException ignored) {
                // a broken appender: its rows are being discarded anyway
            }
            appender = null;
        }
    }

    private static final long NONE = Long.MIN_VALUE;

    private final ReentrantLock lock = new ReentrantLock();
    private final DuckDBConnection connection;
    private final Clock clock;
    private final int maxPending;
    private final Stream<InvocationRecord> invocations = new Stream<>(InvocationTable.INSTANCE);
    private final Stream<PlatformEvent> events = new Stream<>(EventTable.INSTANCE);
    private final Stream<ResourceSample> resources = new Stream<>(ResourceTable.INSTANCE);
    private final Stream<LogLine> logs = new Stream<>(LogTable.INSTANCE);
    private final List<Stream<?>> all = List.of(invocations, events, resources, logs);
    // written under the lock, read by metrics from any thread
    private volatile int pending;
    private volatile long oldestPendingAt = NONE;
    private volatile long appended;
    private volatile long dropped;
    /** An append that failed (its items are counted as dropped); the next write reports it. */
    private SQLException unreported;
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
            try {
                switch (item) {
                    case InvocationRecord r -> invocations.append(r, now);
                    case PlatformEvent e -> events.append(e, now);
                    case ResourceSample s -> resources.append(s, now);
                    case LogLine l -> logs.append(l, now);
                    default -> {
                        return; // not telemetry: TelemetryStore.accepts keeps these off the subscription
                    }
                }
            } catch (SQLException | RuntimeException e) {
                // a half-appended row leaves the appender unusable: everything not yet committed goes
                discard(1);
                if (unreported == null) unreported = e instanceof SQLException sql ? sql : new SQLException(e.toString(), e);
                return;
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
     * Commits each table's rows once they are old or many enough. Handing an appender's rows to
     * the transaction and committing cost about a millisecond each whatever their number, so
     * committing every time the bus catches up (hundreds of times a second under load) cost more
     * CPU than the rows themselves; and the per-second samples (events, resources) would cost that
     * per batch for a handful of rows, so they wait {@code slowAgeMillis}. Records and log lines,
     * which people look up right after a call, wait {@code maxAgeMillis}. Items wait at most their
     * age (plus the bus's poll) before they can be queried.
     */
    void flushIfDue(long maxAgeMillis, long slowAgeMillis, int minItems) {
        lock.lock();
        try {
            if (closed || (pending == 0 && unreported == null)) return;
            long now = clock.wallMillis();
            List<Stream<?>> due = new ArrayList<>(all.size());
            for (Stream<?> s : all) {
                if (s.rows == 0) continue;
                long age = s == events || s == resources ? slowAgeMillis : maxAgeMillis;
                if (s.rows >= minItems || now - s.oldestAt >= age) due.add(s);
            }
            if (!due.isEmpty() || unreported != null) write(due);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits the given tables' rows (rows of other tables that their appenders already handed over
     * go with them; they are counted when their own table commits). On failure everything not yet
     * committed is dropped and counted, not retried.
     */
    private void write(List<Stream<?>> tables) {
        if (unreported != null) {
            SQLException e = unreported;
            unreported = null;
            throw unappended(e);
        }
        int n = 0;
        for (Stream<?> s : tables) n += s.rows;
        if (n == 0) return;
        try {
            for (Stream<?> s : tables) s.flush();
            connection.commit();
        } catch (SQLException e) {
            int lost = pending;
            discard(0);
            // a batch that failed once (a full disk, a broken file) would fail again; keeping it would only grow
            throw Database.failure("dropped a batch of " + lost + " items", e);
        }
        appended += n;
        pending -= n;
        tables.forEach(Stream::reset);
        long oldest = NONE;
        for (Stream<?> s : all) if (s.rows > 0 && (oldest == NONE || s.oldestAt < oldest)) oldest = s.oldestAt;
        oldestPendingAt = oldest;
    }

    private static WispException unappended(SQLException e) {
        return Database.failure("dropped telemetry that could not be appended", e);
    }

    /** Drops every uncommitted row, plus {@code more} items that never made it into a row. */
    private void discard(int more) {
        all.forEach(Stream::closeQuietly); // closing hands the appenders' rows to the transaction...
        rollbackQuietly(); // ...which this discards
        dropped += pending + more;
        pending = 0;
        all.forEach(Stream::reset);
        oldestPendingAt = NONE;
    }

    long deleteOlderThan(long epochMillis) {
        lock.lock();
        try {
            if (closed) return 0;
            write(all); // commit the telemetry under way first, so a failed delete rolls back only itself
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
            SQLException earlier = unreported; // its items are counted; what is pending still gets written
            unreported = null;
            try {
                write(all);
            } finally {
                closed = true;
                all.forEach(Stream::closeQuietly);
            }
            if (earlier != null) throw unappended(earlier);
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
