package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.LogLine;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;

/** logs: one row per {@link LogLine}; source as its enum name. */
final class LogTable implements Table<LogLine> {
    static final LogTable INSTANCE = new LogTable();

    private static final List<String> COLUMNS = List.of(
            "ts BIGINT", "source VARCHAR", "tenant VARCHAR", "function_name VARCHAR", "component VARCHAR",
            "level VARCHAR", "request_id VARCHAR", "message VARCHAR");

    private LogTable() {}

    @Override public String name() { return "logs"; }

    @Override public JsonLinesSink.Stream stream() { return JsonLinesSink.Stream.LOGS; }

    @Override public List<String> columns() { return COLUMNS; }

    @Override public String timeColumn() { return "ts"; }

    @Override public long time(LogLine l) { return l.timestamp(); }

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
