package dev.wisp.gateway;

import dev.wisp.controller.cost.BudgetWatcher;
import dev.wisp.controller.cost.Budgets;
import dev.wisp.detect.Incident;
import dev.wisp.store.TelemetryStore;
import dev.wisp.telemetry.TelemetryBus;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the front door serves of the watching plane: telemetry queries, budgets, the Prometheus
 * endpoint, a hook told of every failed authentication (a metric, and a signal for detection), the
 * incidents detection has raised so far, and the bus (its telemetry-blackout knob).
 */
public record WatchingPlane(TelemetryStore store, Budgets budgets, BudgetWatcher budgetWatcher,
                            MetricsEndpoint metrics, Runnable authFailed, Supplier<List<Incident>> incidents,
                            TelemetryBus bus) {}
