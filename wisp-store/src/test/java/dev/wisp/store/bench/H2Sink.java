package dev.wisp.store.bench;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * The alternative StoreBench measures against: the same four tables in H2 (the database Wisp
 * already ships for its registry), written with batched JDBC inserts and the same batching rules as
 * the store: a commit per bus batch, and at most 16,384 rows waiting.
 */
final class H2Sink implements AutoCloseable {
    private static final int MAX_PENDING = 16_384;

    private final Connection c;
    private final PreparedStatement invocations;
    private final PreparedStatement events;
    private final PreparedStatement resources;
    private final PreparedStatement logs;
    private int pending;
    private volatile long appended; // read by the bench's thread while the drain thread writes

    H2Sink(String file) throws SQLException {
        c = DriverManager.getConnection("jdbc:h2:file:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE invocations (request_id VARCHAR, tenant VARCHAR, function_name VARCHAR, version VARCHAR,"
                    + " trigger VARCHAR, source_id VARCHAR, parent_request_id VARCHAR, location VARCHAR, received_at BIGINT,"
                    + " dispatched_at BIGINT, init_start_at BIGINT, init_end_at BIGINT, exec_start_at BIGINT, exec_end_at BIGINT,"
                    + " completed_at BIGINT, wait_ms DOUBLE, init_ms DOUBLE, duration_ms DOUBLE, billed_ms BIGINT,"
                    + " memory_limit_mb INTEGER, max_memory_used_mb INTEGER, cold_start BOOLEAN, instance_id VARCHAR,"
                    + " status VARCHAR, error_type VARCHAR, request_bytes BIGINT, response_bytes BIGINT, gb_seconds DOUBLE,"
                    + " cost_usd DOUBLE, trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR)");
            s.execute("CREATE TABLE events (ts BIGINT, type VARCHAR, tenant VARCHAR, function_name VARCHAR,"
                    + " instance_id VARCHAR, queued INTEGER, concurrent INTEGER, instances INTEGER)");
            s.execute("CREATE TABLE resources (ts BIGINT, scope VARCHAR, tenant VARCHAR, function_name VARCHAR,"
                    + " instance_id VARCHAR, cpu_millicores DOUBLE, rss_bytes BIGINT, idle INTEGER, busy INTEGER, initializing INTEGER)");
            s.execute("CREATE TABLE logs (ts BIGINT, source VARCHAR, tenant VARCHAR, function_name VARCHAR, component VARCHAR,"
                    + " level VARCHAR, request_id VARCHAR, message VARCHAR)");
        }
        c.setAutoCommit(false);
        invocations = c.prepareStatement("INSERT INTO invocations VALUES (" + "?, ".repeat(31) + "?)");
        events = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        resources = c.prepareStatement("INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        logs = c.prepareStatement("INSERT INTO logs VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    }

    void accept(Object item) {
        try {
            switch (item) {
                case InvocationRecord r -> invocation(r);
                case PlatformEvent.ConcurrencySample e -> {
                    events.setLong(1, e.timestamp());
                    events.setString(2, "ConcurrencySample");
                    events.setString(3, e.tenant());
                    events.setString(4, e.functionName());
                    events.setNull(5, Types.VARCHAR);
                    events.setInt(6, e.queued());
                    events.setInt(7, e.concurrent());
                    events.setInt(8, e.instances());
                    events.addBatch();
                }
                case ResourceSample s -> {
                    resources.setLong(1, s.timestamp());
                    resources.setString(2, s.scope().name());
                    resources.setString(3, s.tenant());
                    resources.setString(4, s.functionName());
                    resources.setString(5, s.instanceId());
                    resources.setDouble(6, s.cpuMillicores());
                    resources.setLong(7, s.rssBytes());
                    resources.setInt(8, s.idle());
                    resources.setInt(9, s.busy());
                    resources.setInt(10, s.initializing());
                    resources.addBatch();
                }
                case LogLine l -> {
                    logs.setLong(1, l.timestamp());
                    logs.setString(2, l.source().name());
                    logs.setString(3, l.tenant());
                    logs.setString(4, l.functionName());
                    logs.setString(5, l.component());
                    logs.setString(6, l.level());
                    logs.setString(7, l.requestId());
                    logs.setString(8, l.message());
                    logs.addBatch();
                }
                default -> throw new IllegalArgumentException("the workload makes no " + item.getClass());
            }
            if (++pending >= MAX_PENDING) flush();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void invocation(InvocationRecord r) throws SQLException {
        PreparedStatement p = invocations;
        int i = 1;
        p.setString(i++, r.requestId());
        p.setString(i++, r.tenant());
        p.setString(i++, r.functionName());
        p.setString(i++, r.version());
        p.setString(i++, r.trigger().wireName());
        p.setString(i++, r.sourceId());
        p.setString(i++, r.parentRequestId());
        p.setString(i++, r.location());
        p.setLong(i++, r.receivedAt());
        p.setLong(i++, r.dispatchedAt());
        p.setLong(i++, r.initStartAt());
        p.setLong(i++, r.initEndAt());
        p.setLong(i++, r.execStartAt());
        p.setLong(i++, r.execEndAt());
        p.setLong(i++, r.completedAt());
        p.setDouble(i++, r.waitMs());
        p.setDouble(i++, r.initMs());
        p.setDouble(i++, r.durationMs());
        p.setLong(i++, r.billedMs());
        p.setInt(i++, r.memoryLimitMb());
        p.setInt(i++, r.maxMemoryUsedMb());
        p.setBoolean(i++, r.coldStart());
        p.setString(i++, r.instanceId());
        p.setString(i++, r.status().wireName());
        p.setString(i++, r.errorType());
        p.setLong(i++, r.requestBytes());
        p.setLong(i++, r.responseBytes());
        p.setDouble(i++, r.gbSeconds());
        p.setDouble(i++, r.costUsd());
        p.setString(i++, r.traceId());
        p.setString(i++, r.spanId());
        p.setString(i, r.parentSpanId());
        p.addBatch();
    }

    void flush() {
        if (pending == 0) return;
        try {
            invocations.executeBatch();
            events.executeBatch();
            resources.executeBatch();
            logs.executeBatch();
            c.commit();
            appended = appended + pending; // only the drain thread writes it
            pending = 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long appended() { return appended; }

    @Override
    public void close() throws SQLException {
        flush();
        c.close();
    }
}
