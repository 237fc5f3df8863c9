package dev.wisp.gateway;

import dev.wisp.controller.cost.BudgetWatcher;
import dev.wisp.controller.cost.Budgets;
import dev.wisp.store.TelemetryStore;

/**
 * What the front door serves of the watching plane: telemetry queries, budgets, the Prometheus
 * endpoint, and a hook told of every failed authentication (a metric, and a signal for detection).
 */
public record WatchingPlane(TelemetryStore store, Budgets budgets, BudgetWatcher budgetWatcher,
                            MetricsEndpoint metrics, Runnable authFailed) {}
