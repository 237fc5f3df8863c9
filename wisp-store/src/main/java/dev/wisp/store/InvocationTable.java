package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.Trigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;

/** invocations: one row per {@link InvocationRecord}, every field. */
final class InvocationTable implements Table<InvocationRecord> {
    static final InvocationTable INSTANCE = new InvocationTable();

    private static final List<String> COLUMNS = List.of(
            "request_id VARCHAR", "tenant VARCHAR", "function_name VARCHAR", "version VARCHAR", "trigger VARCHAR",
            "source_id VARCHAR", "parent_request_id VARCHAR", "location VARCHAR",
            "received_at BIGINT", "dispatched_at BIGINT", "init_start_at BIGINT", "init_end_at BIGINT",
            "exec_start_at BIGINT", "exec_end_at BIGINT", "completed_at BIGINT",
            "wait_ms DOUBLE", "init_ms DOUBLE", "duration_ms DOUBLE", "billed_ms BIGINT",
            "memory_limit_mb INTEGER", "max_memory_used_mb INTEGER", "cold_start BOOLEAN", "instance_id VARCHAR",
            "status VARCHAR", "error_type VARCHAR", "request_bytes BIGINT", "response_bytes BIGINT",
            "gb_seconds DOUBLE", "cost_usd DOUBLE", "trace_id VARCHAR", "span_id VARCHAR", "parent_span_id VARCHAR");

    private InvocationTable() {}

    @Override public String name() { return "invocations"; }

    @Override public JsonLinesSink.Stream stream() { return JsonLinesSink.Stream.INVOCATIONS; }

    @Override public List<String> columns() { return COLUMNS; }

    /** Records are built at completion, so completion time is the order they arrive in. */
    @Override public String timeColumn() { return "completed_at"; }


    @Override
    public void append(DuckDBAppender a, InvocationRecord r) throws SQLException {
        a.beginRow()
                .append(r.requestId()).append(r.tenant()).append(r.functionName()).append(r.version())
                .append(r.trigger() == null ? null : r.trigger().wireName())
                .append(r.sourceId()).append(r.parentRequestId()).append(r.location())
                .append(r.receivedAt()).append(r.dispatchedAt()).append(r.initStartAt()).append(r.initEndAt())
                .append(r.execStartAt()).append(r.execEndAt()).append(r.completedAt())
                .append(r.waitMs()).append(r.initMs()).append(r.durationMs()).append(r.billedMs())
                .append(r.memoryLimitMb()).append(r.maxMemoryUsedMb()).append(r.coldStart()).append(r.instanceId())
                .append(r.status() == null ? null : r.status().wireName())
                .append(r.errorType()).append(r.requestBytes()).append(r.responseBytes())
                .append(r.gbSeconds()).append(r.costUsd()).append(r.traceId()).append(r.spanId()).append(r.parentSpanId())
                .endRow();
    }

    @Override
    public InvocationRecord read(ResultSet rs) throws SQLException {
        Columns c = new Columns(rs);
        return new InvocationRecord(c.string(), c.string(), c.string(), c.string(), trigger(c.string()),
                c.string(), c.string(), c.string(),
                c.int64(), c.int64(), c.int64(), c.int64(), c.int64(), c.int64(), c.int64(),
                c.float64(), c.float64(), c.float64(), c.int64(),
                c.int32(), c.int32(), c.bool(), c.string(),
                status(c.string()), c.string(), c.int64(), c.int64(),
                c.float64(), c.float64(), c.string(), c.string(), c.string());
    }

    private static Trigger trigger(String wire) {
        return wire == null ? null : Trigger.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    private static InvocationStatus status(String wire) {
        return wire == null ? null : InvocationStatus.valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
