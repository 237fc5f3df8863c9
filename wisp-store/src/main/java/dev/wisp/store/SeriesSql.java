package dev.wisp.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBConnection;

/**
 * The series query: three per-bucket aggregations (invocations; concurrency samples; resource
 * samples), joined on the bucket. Samples are first summed per sampling tick (all selected
 * functions and versions report with the same timestamp) and then reduced over the ticks of the
 * bucket, so "all functions" is a sum across functions rather than a mean of them.
 */
final class SeriesSql {
    private static final String RAN = "status NOT IN ('throttled', 'rejected')";

    private SeriesSql() {}

    static List<SeriesPoint> run(DuckDBConnection c, String tenant, String functionName, Resolution res, long from, long to)
            throws SQLException {
        String bucket = "// " + res.millis + " * " + res.millis; // a constant of the enum, not user input
        Where inv = Where.of(tenant, "completed_at", from, to).eq("function_name", functionName);
        Where conc = Where.of(tenant, "ts", from, to).eq("function_name", functionName).and("type = 'ConcurrencySample'");
        Where samples = Where.of(tenant, "ts", from, to).eq("function_name", functionName)
                .and("scope IN ('FUNCTION', 'INSTANCE')");
        String sql = "WITH inv AS (SELECT completed_at " + bucket + " AS bucket,"
                + " count(*) FILTER (WHERE " + RAN + ") AS invocations,"
                + " count(*) FILTER (WHERE status IN ('error', 'timeout', 'oom', 'crash')) AS errors,"
                + " count(*) FILTER (WHERE status = 'throttled') AS throttles,"
                + " count(*) FILTER (WHERE cold_start) AS cold_starts,"
                + " quantile_cont(duration_ms, [0.5, 0.95, 0.99]) FILTER (WHERE NOT cold_start AND " + RAN + ") AS warm,"
                + " quantile_cont(duration_ms, [0.5, 0.95, 0.99]) FILTER (WHERE cold_start AND " + RAN + ") AS cold,"
                + " quantile_cont(wait_ms, 0.95) FILTER (WHERE " + RAN + ") AS wait_p95,"
                + " sum(gb_seconds) AS gb_seconds, sum(cost_usd) AS cost_usd"
                + " FROM invocations" + inv.sql() + " GROUP BY 1),"
                + " conc AS (SELECT ts " + bucket + " AS bucket, CAST(max(busy) AS INTEGER) AS concurrent_max"
                + " FROM (SELECT ts, sum(concurrent) AS busy FROM events" + conc.sql() + " GROUP BY ts) GROUP BY 1),"
                + " res AS (SELECT ts " + bucket + " AS bucket, avg(idle) AS idle, avg(busy) AS busy,"
                + " avg(initializing) AS initializing, avg(cpu) AS cpu, avg(rss) AS rss"
                + " FROM (SELECT ts,"
                + " sum(idle) FILTER (WHERE scope = 'FUNCTION') AS idle,"
                + " sum(busy) FILTER (WHERE scope = 'FUNCTION') AS busy,"
                + " sum(initializing) FILTER (WHERE scope = 'FUNCTION') AS initializing,"
                + " coalesce(sum(cpu_millicores) FILTER (WHERE scope = 'INSTANCE'), 0) AS cpu,"
                + " coalesce(sum(rss_bytes) FILTER (WHERE scope = 'INSTANCE'), 0) AS rss"
                + " FROM resources" + samples.sql() + " GROUP BY ts) GROUP BY 1)"
                // a bucket with samples only has no inv row: its counts are 0, not NULL
                + " SELECT bucket, coalesce(invocations, 0), coalesce(errors, 0), coalesce(throttles, 0), coalesce(cold_starts, 0),"
                + " warm[1], warm[2], warm[3], cold[1], cold[2], cold[3], wait_p95, concurrent_max,"
                + " idle, busy, initializing, cpu, rss, coalesce(gb_seconds, 0), coalesce(cost_usd, 0)"
                + " FROM inv FULL OUTER JOIN conc USING (bucket) FULL OUTER JOIN res USING (bucket)"
                + " ORDER BY bucket DESC LIMIT " + Window.MAX_ROWS;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            samples.bind(ps, conc.bind(ps, inv.bind(ps, 1)));
            List<SeriesPoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(point(rs));
            }
            return out;
        }
    }

    private static SeriesPoint point(ResultSet rs) throws SQLException {
        return new SeriesPoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                nullableDouble(rs, 6), nullableDouble(rs, 7), nullableDouble(rs, 8),
                nullableDouble(rs, 9), nullableDouble(rs, 10), nullableDouble(rs, 11),
                nullableDouble(rs, 12), nullableInt(rs, 13),
                nullableDouble(rs, 14), nullableDouble(rs, 15), nullableDouble(rs, 16),
                nullableDouble(rs, 17), nullableDouble(rs, 18), rs.getDouble(19), rs.getDouble(20));
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
