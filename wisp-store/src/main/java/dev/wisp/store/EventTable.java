package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PlatformEvent.BudgetCrossed;
import dev.wisp.telemetry.model.PlatformEvent.ConcurrencySample;
import dev.wisp.telemetry.model.PlatformEvent.InstanceEvent;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import dev.wisp.telemetry.model.PlatformEvent.MitigationAction;
import dev.wisp.telemetry.model.PlatformEvent.SchedulerDecision;
import dev.wisp.telemetry.model.PlatformEvent.Throttled;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.duckdb.DuckDBAppender;

/**
 * events: every {@link PlatformEvent} subtype in one table. "type" is the record's simple class
 * name (as in events.jsonl) and each subtype fills its own columns, leaving the others null, so a
 * row rebuilds exactly the event it came from and request/instance lookups are plain columns.
 */
final class EventTable implements Table<PlatformEvent> {
    static final EventTable INSTANCE = new EventTable();

    private static final List<String> COLUMNS = List.of(
            "ts BIGINT", "type VARCHAR", "tenant VARCHAR", "function_name VARCHAR",
            "instance_id VARCHAR", "request_id VARCHAR", "transition VARCHAR", "reason VARCHAR",
            "decision VARCHAR", "detail VARCHAR", "action VARCHAR", "target VARCHAR", "dry_run BOOLEAN",
            "queued INTEGER", "concurrent INTEGER", "instances INTEGER",
            "period VARCHAR", "budget_usd DOUBLE", "spent_usd DOUBLE");

    private EventTable() {}

    @Override public String name() { return "events"; }

    @Override public JsonLinesSink.Stream stream() { return JsonLinesSink.Stream.EVENTS; }

    @Override public List<String> columns() { return COLUMNS; }

    @Override public String timeColumn() { return "ts"; }


    /** The subtype-specific columns of one row; what a subtype does not set stays null. */
    private static final class Specific {
        String instanceId, requestId, transition, reason, decision, detail, action, target, period;
        Boolean dryRun;
        Integer queued, concurrent, instances;
        Double budgetUsd, spentUsd;

        Specific(PlatformEvent event) {
            switch (event) {
                case InstanceEvent e -> {
                    instanceId = e.instanceId();
                    transition = e.transition() == null ? null : e.transition().name();
                    reason = e.reason();
                }
                case Throttled e -> {
                    requestId = e.requestId();
                    reason = e.reason();
                }
                case SchedulerDecision e -> {
                    decision = e.decision();
                    detail = e.detail();
                }
                case ConcurrencySample e -> {
                    queued = e.queued();
                    concurrent = e.concurrent();
                    instances = e.instances();
                }
                case MitigationAction e -> {
                    action = e.action();
                    target = e.target();
                    dryRun = e.dryRun();
                    reason = e.reason();
                }
                case BudgetCrossed e -> {
                    period = e.period();
                    budgetUsd = e.budgetUsd();
                    spentUsd = e.spentUsd();
                }
            }
        }
    }

    @Override
    public void append(DuckDBAppender a, PlatformEvent e) throws SQLException {
        Specific s = new Specific(e);
        a.beginRow().append(e.timestamp()).append(e.getClass().getSimpleName()).append(e.tenant()).append(e.functionName())
                .append(s.instanceId).append(s.requestId).append(s.transition).append(s.reason)
                .append(s.decision).append(s.detail).append(s.action).append(s.target).append(s.dryRun)
                .append(s.queued).append(s.concurrent).append(s.instances)
                .append(s.period).append(s.budgetUsd).append(s.spentUsd)
                .endRow();
    }

    @Override
    public PlatformEvent read(ResultSet rs) throws SQLException {
        long ts = rs.getLong("ts");
        String tenant = rs.getString("tenant");
        String fn = rs.getString("function_name");
        String type = rs.getString("type");
        return switch (type) {
            case "InstanceEvent" -> new InstanceEvent(ts, tenant, fn, rs.getString("instance_id"),
                    transition(rs.getString("transition")), rs.getString("reason"));
            case "Throttled" -> new Throttled(ts, tenant, fn, rs.getString("request_id"), rs.getString("reason"));
            case "SchedulerDecision" -> new SchedulerDecision(ts, tenant, fn, rs.getString("decision"), rs.getString("detail"));
            case "ConcurrencySample" -> new ConcurrencySample(ts, tenant, fn, rs.getInt("queued"), rs.getInt("concurrent"),
                    rs.getInt("instances"));
            case "MitigationAction" -> new MitigationAction(ts, tenant, fn, rs.getString("action"), rs.getString("target"),
                    rs.getBoolean("dry_run"), rs.getString("reason"));
            case "BudgetCrossed" -> new BudgetCrossed(ts, tenant, fn, rs.getString("period"), rs.getDouble("budget_usd"),
                    rs.getDouble("spent_usd"));
            default -> throw new SQLException("events row of unknown type " + type);
        };
    }

    private static InstanceTransition transition(String name) {
        return name == null ? null : InstanceTransition.valueOf(name);
    }
}
