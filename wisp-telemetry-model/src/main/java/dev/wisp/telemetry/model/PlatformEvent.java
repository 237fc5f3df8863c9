package dev.wisp.telemetry.model;

/** Something the platform did or decided. Closed set; consumers switch over it exhaustively. */
public sealed interface PlatformEvent {
    long timestamp();

    String tenant();

    String functionName();

    /** Instance lifecycle transitions. */
    record InstanceEvent(long timestamp, String tenant, String functionName, String instanceId,
                         InstanceTransition transition, String reason) implements PlatformEvent {}

    /** A request turned away by a limit. */
    record Throttled(long timestamp, String tenant, String functionName, String requestId,
                     String reason) implements PlatformEvent {}

    /** A scheduling decision worth explaining later (cold start, queueing, eviction). */
    record SchedulerDecision(long timestamp, String tenant, String functionName, String decision,
                             String detail) implements PlatformEvent {}

    /** A periodic sample of queue depth and concurrency for one function. */
    record ConcurrencySample(long timestamp, String tenant, String functionName, int queued,
                             int concurrent, int instances) implements PlatformEvent {}

    /** A mitigation action (issue 4) or an operator action, audited. */
    record MitigationAction(long timestamp, String tenant, String functionName, String action,
                            String target, boolean dryRun, String reason) implements PlatformEvent {}

    /** A tenant's spend in the current budget period went past its budget (raised once per period). */
    record BudgetCrossed(long timestamp, String tenant, String functionName, String period, double budgetUsd,
                         double spentUsd) implements PlatformEvent {}

    enum InstanceTransition { CREATED, INIT_STARTED, READY, BUSY, IDLE, EVICTED, KILLED }
}
