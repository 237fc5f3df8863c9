package dev.wisp.store;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * The DuckDB file: its schema, the one writer connection, and short-lived reader connections.
 * Readers are duplicates of a connection nobody else uses, so opening one never waits on the
 * writer's connection lock; DuckDB's MVCC lets them read while the writer appends.
 */
final class Database implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;
    static final List<Table<?>> TABLES = List.of(InvocationTable.INSTANCE, EventTable.INSTANCE, ResourceTable.INSTANCE,
            LogTable.INSTANCE);

    /** Work on a reader connection. */
    @FunctionalInterface
    interface ReadWork<T> {
        T run(DuckDBConnection connection) throws SQLException;
    }

    private final DuckDBConnection writer;
    private final DuckDBConnection readerOrigin;
    // queries hold it shared, close exclusively: closing DuckDB under a running query is not safe
    private final ReentrantReadWriteLock openLock = new ReentrantReadWriteLock();
    private boolean closed;

    private Database(DuckDBConnection writer, DuckDBConnection readerOrigin) {
        this.writer = writer;
        this.readerOrigin = readerOrigin;
    }

    static Database open(Path file, StoreConfig config) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + absolute.getParent(), e);
        }
        DuckDBConnection writer = null;
        try {
            Properties props = new Properties();
            // results stream to the caller instead of being materialised first: an export can be millions of rows
            props.setProperty(DuckDBDriver.JDBC_STREAM_RESULTS, "true");
            writer = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + absolute, props);
            try (Statement s = writer.createStatement()) {
                s.execute("SET memory_limit = '" + config.memoryLimit() + "'");
                if (config.threads() > 0) s.execute("SET threads = " + config.threads());
                // checkpoints rewrite the last, partly filled row group; at DuckDB's default (16MB of WAL) a
                // stream of small batches recompresses it so often that ingest takes ~1.5x as long and the
                // file grows ~1.7x (measured); 64MB still bounds the WAL replayed after a crash
                s.execute("SET checkpoint_threshold = '64MB'");
                createSchema(s);
            }
            writer.setAutoCommit(false);
            return new Database(writer, writer.duplicate());
        } catch (SQLException e) {
            closeQuietly(writer);
            throw failure("cannot open " + absolute, e);
        }
    }

    private static void createSchema(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS wisp_schema (version INTEGER)");
        try (ResultSet rs = s.executeQuery("SELECT max(version) FROM wisp_schema")) {
            rs.next();
            int version = rs.getInt(1);
            if (rs.wasNull()) {
                s.execute("INSERT INTO wisp_schema VALUES (" + SCHEMA_VERSION + ")");
            } else if (version != SCHEMA_VERSION) {
                throw new SQLException("the file has telemetry schema " + version + ", this Wisp reads " + SCHEMA_VERSION);
            }
        }
        for (Table<?> t : TABLES) s.execute(t.ddl());
    }

    /** The writer connection (autocommit off); only {@link StoreWriter} uses it, under its lock. */
    DuckDBConnection writer() { return writer; }

    <T> T read(ReadWork<T> work) {
        openLock.readLock().lock();
        try {
            if (closed) throw new WispException(ErrorCode.SERVICE_UNAVAILABLE, "the telemetry store is closed");
            try (DuckDBConnection c = readerOrigin.duplicate()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw failure("query failed", e);
        } finally {
            openLock.readLock().unlock();
        }
    }

    static WispException failure(String what, SQLException e) {
        return new WispException(ErrorCode.SERVICE, "telemetry store: " + what + ": " + e.getMessage(), Map.of(), e);
    }

    @Override
    public void close() {
        openLock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            closeQuietly(readerOrigin);
            closeQuietly(writer);
        } finally {
            openLock.writeLock().unlock();
        }
    }

    private static void closeQuietly(DuckDBConnection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing on shutdown or after a failed open; nothing left to do
        }
    }
}
