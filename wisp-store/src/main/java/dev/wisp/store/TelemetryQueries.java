package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/**
 * Reads the store. Every method takes a tenant and sees only that tenant's rows; a null tenant
 * means every tenant and is for admins only (the caller decides who is one). Time windows are
 * [from, to) in epoch ms. Lists come newest first and hold at most {@value #MAX_LIMIT} rows.
 * Safe to call from any number of threads while the store is being written.
 */
public final class TelemetryQueries {
    public static final int MAX_LIMIT = Window.MAX_ROWS;

    private final Database database;

    TelemetryQueries(Database database) { this.database = database; }

    public List<InvocationRecord> invocations(InvocationQuery q) {
        Where where = Where.of(q.tenant(), "completed_at", q.from(), q.to())
                .eq("function_name", q.functionName())
                .eq("status", q.status() == null ? null : q.status().wireName())
                .eq("cold_start", q.coldStart())
                .eq("request_id", q.requestId())
                .eq("trace_id", q.traceId());
        return list(InvocationTable.INSTANCE, where, q.limit());
    }

    /**
     * @throws IllegalArgumentException when the filter pattern is malformed or of an unsupported kind
     */
    public List<LogLine> logs(LogQuery q) {
        FilterPattern pattern = FilterPattern.parse(q.filterPattern());
        Where where = Where.of(q.tenant(), "ts", q.from(), q.to())
                .eq("function_name", q.functionName())
                .eq("request_id", q.requestId());
        // in SQL rather than Java, so DuckDB filters before sorting and only the matches leave it
        for (String term : pattern.allOf()) where.and("contains(message, ?)", term);
        for (String term : pattern.noneOf()) where.and("NOT contains(message, ?)", term);
        if (!pattern.anyOf().isEmpty()) {
            where.and("(" + String.join(" OR ", pattern.anyOf().stream().map(t -> "contains(message, ?)").toList()) + ")",
                    pattern.anyOf().toArray());
        }
        return list(LogTable.INSTANCE, where, q.limit());
    }

    public List<PlatformEvent> events(EventQuery q) {
        Where where = Where.of(q.tenant(), "ts", q.from(), q.to())
                .eq("function_name", q.functionName())
                .eq("instance_id", q.instanceId())
                .eq("request_id", q.requestId());
        return list(EventTable.INSTANCE, where, q.limit());
    }

    /**
     * One point per bucket that has any data, newest first, at most {@value #MAX_LIMIT} points.
     *
     * @param functionName null for all of the tenant's functions combined
     */
    public List<SeriesPoint> series(String tenant, String functionName, Resolution resolution, long from, long to) {
        Window.check(from, to);
        return database.read(c -> SeriesSql.run(c, tenant, functionName, resolution, from, to));
    }

    /** Cost per function over the window, most expensive first. */
    public List<FunctionCost> cost(String tenant, long from, long to) {
        Window.check(from, to);
        Where where = Where.of(tenant, "completed_at", from, to);
        String sql = "SELECT tenant, function_name, count(*) FILTER (WHERE status NOT IN ('throttled', 'rejected')),"
                + " sum(gb_seconds), sum(cost_usd) FROM invocations" + where.sql()
                + " GROUP BY tenant, function_name ORDER BY 5 DESC, 1, 2 LIMIT " + MAX_LIMIT;
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                where.bind(ps, 1);
                List<FunctionCost> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new FunctionCost(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4),
                                rs.getDouble(5)));
                    }
                }
                return out;
            }
        });
    }

    /** The money spent over the window, in USD. */
    public double spentUsd(String tenant, long from, long to) {
        Window.check(from, to);
        Where where = Where.of(tenant, "completed_at", from, to);
        return database.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(sum(cost_usd), 0) FROM invocations" + where.sql())) {
                where.bind(ps, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getDouble(1);
                }
            }
        });
    }

    /**
     * Writes the window's telemetry to {@code dir} as JSON Lines in {@link JsonLinesSink}'s format,
     * oldest first, all four files (empty ones included), replacing files of those names. The four
     * streams are read from one snapshot.
     *
     * @return rows written per stream
     */
    public Map<JsonLinesSink.Stream, Long> export(String tenant, long from, long to, Path dir) {
        Window.check(from, to);
        return database.read(c -> Exporter.export(c, tenant, from, to, dir));
    }

    /**
     * Every stored item of the window, stream by stream, each stream in time order, from one
     * snapshot: what detection replays to warm up. Null tenant: every tenant and the platform.
     *
     * @return items read
     */
    public long read(String tenant, long from, long to, Consumer<Object> into) {
        Window.check(from, to);
        return database.read(c -> {
            c.setAutoCommit(false);
            try {
                long n = 0;
                for (Table<?> table : Database.TABLES) n += Exporter.each(c, table, tenant, from, to, into);
                return n;
            } finally {
                c.rollback();
            }
        });
    }

    /** How many items the window holds across the streams. */
    public long count(String tenant, long from, long to) {
        Window.check(from, to);
        return database.read(c -> {
            long n = 0;
            for (Table<?> table : Database.TABLES) {
                Where where = Where.of(tenant, table.timeColumn(), from, to);
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table.name() + where.sql())) {
                    where.bind(ps, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        n += rs.getLong(1);
                    }
                }
            }
            return n;
        });
    }

    private <T> List<T> list(Table<T> table, Where where, int limit) {
        String sql = "SELECT " + table.selectList() + " FROM " + table.relation() + where.sql()
                + " ORDER BY " + table.timeColumn() + " DESC LIMIT " + limit;
        return database.read(c -> select(c, table, where, sql));
    }

    private static <T> List<T> select(DuckDBConnection c, Table<T> table, Where where, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            where.bind(ps, 1);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(table.read(rs));
            }
            return out;
        }
    }
}
