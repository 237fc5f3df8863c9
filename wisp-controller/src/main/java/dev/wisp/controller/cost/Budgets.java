package dev.wisp.controller.cost;

import dev.wisp.controller.registry.Database;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenant budgets, kept in the registry database so they survive a restart, and cached in memory
 * because the budget watcher looks one up for every invocation record.
 */
public final class Budgets {
    private final Database db;
    private final Map<String, Budget> cache = new ConcurrentHashMap<>();

    public Budgets(Database db) {
        this.db = db;
        for (Budget b : db.query("SELECT tenant, amount_usd, period FROM tenant_budgets",
                rs -> new Budget(rs.getString(1), rs.getDouble(2), Budget.Period.valueOf(rs.getString(3))))) {
            cache.put(b.tenant(), b);
        }
    }

    /** Sets a budget; a crossing already reported is forgotten, so the new amount is judged afresh. */
    public void put(Budget b) {
        db.update("MERGE INTO tenant_budgets (tenant, amount_usd, period, crossed_period) KEY (tenant) VALUES (?, ?, ?, 0)",
                b.tenant(), b.amountUsd(), b.period().name());
        cache.put(b.tenant(), b);
    }

    /** The start of the last period whose crossing was reported (0 if none): survives a restart. */
    public long crossedPeriod(String tenant) {
        return db.query("SELECT crossed_period FROM tenant_budgets WHERE tenant = ?", rs -> rs.getLong(1), tenant)
                .stream().findFirst().orElse(0L);
    }

    public void markCrossed(String tenant, long periodStart) {
        db.update("UPDATE tenant_budgets SET crossed_period = ? WHERE tenant = ?", periodStart, tenant);
    }

    public Optional<Budget> get(String tenant) {
        return Optional.ofNullable(cache.get(tenant));
    }

    public boolean delete(String tenant) {
        cache.remove(tenant);
        return db.update("DELETE FROM tenant_budgets WHERE tenant = ?", tenant) > 0;
    }

    public List<Budget> all() { return List.copyOf(cache.values()); }
}
