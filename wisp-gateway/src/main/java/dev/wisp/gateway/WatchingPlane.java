package dev.wisp.gateway;

import dev.wisp.controller.cost.BudgetWatcher;
import dev.wisp.controller.cost.Budgets;
import dev.wisp.detect.Incident;
import dev.wisp.store.TelemetryStore;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the front door serves of the watching plane: telemetry queries, budgets, the Prometheus
 * endpoint, a hook told of every failed authentication (a metric, and a signal for detection), and
 * the incidents detection has raised so far.
 */
public record WatchingPlane(TelemetryStore store, Budgets budgets, BudgetWatcher budgetWatcher,
                            MetricsEndpoint metrics, Runnable authFailed, Supplier<List<Incident>> incidents) {
    /** Without detection: the incidents API answers an empty list. */
    public WatchingPlane(TelemetryStore store, Budgets budgets, BudgetWatcher budgetWatcher, MetricsEndpoint metrics,
                         Runnable authFailed) {
        this(store, budgets, budgetWatcher, metrics, authFailed, List::of);
    }
}
