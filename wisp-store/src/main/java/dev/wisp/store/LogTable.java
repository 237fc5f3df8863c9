package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.LogLine;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;

/**
 * logs: one row per {@link LogLine}; source as its enum name. Lambda's per-invocation REPORT line
 * is not stored: queries read it from the invocation record it repeats (see {@link #relation()}).
 */
final class LogTable implements Table<LogLine> {
    static final LogTable INSTANCE = new LogTable();

    private static final List<String> COLUMNS = List.of(
            "ts BIGINT", "source VARCHAR", "tenant VARCHAR", "function_name VARCHAR", "component VARCHAR",
            "level VARCHAR", "request_id VARCHAR", "message VARCHAR");

    private LogTable() {}

    @Override public String name() { return "logs"; }

    /**
     * The stored lines and each completed invocation's REPORT line, built from its record in the
     * words of the controller's (Duration, Billed Duration, Memory Size, Max Memory Used, Init
     * Duration on a cold start, Status when it did not end in success or a handled error). Storing
     * it as a row of its own doubled the rows the store appends per invocation.
     */
    @Override
    public String relation() {
        return "(SELECT " + selectList() + " FROM logs UNION ALL SELECT completed_at AS ts, 'FUNCTION' AS source, tenant,"
                + " function_name, instance_id AS component, 'INFO' AS level, request_id,"
                + " 'REPORT RequestId: ' || request_id || chr(9) || 'Duration: ' || printf('%.2f', duration_ms) || ' ms'"
                + " || chr(9) || 'Billed Duration: ' || billed_ms || ' ms' || chr(9) || 'Memory Size: ' || memory_limit_mb || ' MB'"
                + " || chr(9) || 'Max Memory Used: ' || max_memory_used_mb || ' MB'"
                + " || CASE WHEN cold_start THEN chr(9) || 'Init Duration: ' || printf('%.2f', init_ms) || ' ms' ELSE '' END"
                + " || CASE WHEN status IN ('success', 'error') THEN '' ELSE chr(9) || 'Status: ' || status END AS message"
                + " FROM invocations WHERE status NOT IN ('throttled', 'rejected'))";
    }

    /** A REPORT line as the controller writes it; an import skips these, as queries make them from the record. */
    static boolean isReport(LogLine l) {
        return l.source() == LogLine.Source.FUNCTION && l.message() != null && l.requestId() != null
                && l.message().startsWith("REPORT RequestId: " + l.requestId());
    }

    @Override public JsonLinesSink.Stream stream() { return JsonLinesSink.Stream.LOGS; }

    @Override public List<String> columns() { return COLUMNS; }

    @Override public String timeColumn() { return "ts"; }


    @Override
    public void append(DuckDBAppender a, LogLine l) throws SQLException {
        a.beginRow().append(l.timestamp()).append(l.source() == null ? null : l.source().name())
                .append(l.tenant()).append(l.functionName()).append(l.component()).append(l.level())
                .append(l.requestId()).append(l.message())
                .endRow();
    }

    @Override
    public LogLine read(ResultSet rs) throws SQLException {
        Columns c = new Columns(rs);
        long ts = c.int64();
        String source = c.string();
        return new LogLine(ts, source == null ? null : LogLine.Source.valueOf(source), c.string(), c.string(),
                c.string(), c.string(), c.string(), c.string());
    }
}
