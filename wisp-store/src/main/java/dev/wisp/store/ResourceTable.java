package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.ResourceSample;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;

/** resources: one row per {@link ResourceSample}; scope as its enum name. */
final class ResourceTable implements Table<ResourceSample> {
    static final ResourceTable INSTANCE = new ResourceTable();

    private static final List<String> COLUMNS = List.of(
            "ts BIGINT", "scope VARCHAR", "tenant VARCHAR", "function_name VARCHAR", "instance_id VARCHAR",
            "cpu_millicores DOUBLE", "rss_bytes BIGINT", "idle INTEGER", "busy INTEGER", "initializing INTEGER");

    private ResourceTable() {}

    @Override public String name() { return "resources"; }

    @Override public JsonLinesSink.Stream stream() { return JsonLinesSink.Stream.RESOURCES; }

    @Override public List<String> columns() { return COLUMNS; }

    @Override public String timeColumn() { return "ts"; }


    @Override
    public void append(DuckDBAppender a, ResourceSample s) throws SQLException {
        a.beginRow().append(s.timestamp()).append(s.scope() == null ? null : s.scope().name())
                .append(s.tenant()).append(s.functionName()).append(s.instanceId())
                .append(s.cpuMillicores()).append(s.rssBytes()).append(s.idle()).append(s.busy()).append(s.initializing())
                .endRow();
    }

    @Override
    public ResourceSample read(ResultSet rs) throws SQLException {
        Columns c = new Columns(rs);
        long ts = c.int64();
        String scope = c.string();
        return new ResourceSample(ts, scope == null ? null : ResourceSample.Scope.valueOf(scope), c.string(), c.string(),
                c.string(), c.float64(), c.int64(), c.int32(), c.int32(), c.int32());
    }
}
