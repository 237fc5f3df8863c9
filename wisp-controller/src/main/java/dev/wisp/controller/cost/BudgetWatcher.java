package dev.wisp.controller.cost;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.PlatformEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Adds up each tenant's spend in its budget period from invocation records and raises
 * {@link PlatformEvent.BudgetCrossed} once per period when the spend goes past the budget. Runs on
 * a telemetry subscriber's thread, never on the invoke path.
 *
 * <p>The spend so far is read back from stored telemetry when a tenant is first seen (after a
 * restart, or a budget change), and the period whose crossing was last reported is kept with the
 * budget, so a restart never raises the same crossing twice and a lowered budget is judged afresh.
 */
public final class BudgetWatcher {
    /** The spend of a tenant since a time (epoch ms), from stored telemetry. */
    public interface SpendSince {
        double spentUsd(String tenant, long fromMillis);
    }

    private final Budgets budgets;
    private final SpendSince stored;
    private final Consumer<Object> telemetry;
    private final Map<String, Spend> spends = new HashMap<>();

    private static final class Spend {
        final long periodStart;
        double usd;
        boolean raised;

        Spend(long periodStart, double usd) {
            this.periodStart = periodStart;
            this.usd = usd;
        }
    }

    public BudgetWatcher(Budgets budgets, SpendSince stored, Consumer<Object> telemetry) {
        this.budgets = budgets;
        this.stored = stored;
        this.telemetry = telemetry;
    }

    /** Bus consumer. */
    public synchronized void accept(Object item) {
        if (!(item instanceof InvocationRecord r) || r.costUsd() <= 0) return;
        Optional<Budget> budget = budgets.get(r.tenant());
        if (budget.isEmpty()) return;
        Budget b = budget.get();
        long periodStart = b.period().startOf(r.completedAt());
        Spend s = spends.get(r.tenant());
        if (s == null || s.periodStart != periodStart) {
            // seeded from the store after a restart (which may already hold this record: a rounding
            // error against a budget); a new period starts from zero
            s = new Spend(periodStart, s == null ? stored.spentUsd(r.tenant(), periodStart) : 0);
            s.raised = budgets.crossedPeriod(r.tenant()) == periodStart;
            spends.put(r.tenant(), s);
        }
        s.usd += r.costUsd();
        if (!s.raised && s.usd >= b.amountUsd()) {
            s.raised = true;
            budgets.markCrossed(r.tenant(), periodStart);
            telemetry.accept(new PlatformEvent.BudgetCrossed(r.completedAt(), r.tenant(), null, b.period().name(),
                    b.amountUsd(), s.usd));
        }
    }

    /** A budget changed: forget the running total so the next record re-reads it. */
    public synchronized void budgetChanged(String tenant) {
        spends.remove(tenant);
    }

    /** Spend counted so far in the tenant's current period, if this watcher has seen any. */
    public synchronized double spentUsd(String tenant) {
        Spend s = spends.get(tenant);
        return s == null ? 0 : s.usd;
    }
}
