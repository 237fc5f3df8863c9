package dev.wisp.controller.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.wisp.controller.registry.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetWatcherTest {
    private static final long DAY1 = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();
    private static final long DAY2 = Instant.parse("2026-11-26T00:00:01Z").toEpochMilli();

    @TempDir Path data;
    private final List<Object> published = new ArrayList<>();
    private Database db;
    private Budgets budgets;

    @BeforeEach
    void open() {
        db = new Database(data);
        budgets = new Budgets(db);
        budgets.put(new Budget("acme", 1.0, Budget.Period.DAY));
    }

    @AfterEach
    void close() { db.close(); }

    private static InvocationRecord spend(String tenant, long at, double usd) {
        return new InvocationRecord("r", tenant, "f", "$LATEST", Trigger.SDK, "k", null, "local", at, at, 0, 0, at, at, at,
                0, 0, 1, 1, 128, 10, false, "i", InvocationStatus.SUCCESS, null, 0, 0, 0.001, usd, "t", "s", null);
    }

    private BudgetWatcher watcher(double storedSpend) {
        return new BudgetWatcher(budgets, (t, from) -> storedSpend, published::add);
    }

    @Test
    void raisesOncePerPeriodWhenSpendCrossesTheBudget() {
        BudgetWatcher w = watcher(0);
        w.accept(spend("acme", DAY1, 0.6));
        assertTrue(published.isEmpty());
        w.accept(spend("acme", DAY1 + 1, 0.5));
        w.accept(spend("acme", DAY1 + 2, 0.5));
        assertEquals(1, published.size());
        var crossed = (PlatformEvent.BudgetCrossed) published.getFirst();
        assertEquals("acme", crossed.tenant());
        assertEquals(1.1, crossed.spentUsd(), 1e-9);
        assertEquals("DAY", crossed.period());

        w.accept(spend("acme", DAY2, 0.9));
        assertEquals(1, published.size(), "a new day starts from zero");
        w.accept(spend("acme", DAY2 + 1, 0.2));
        assertEquals(2, published.size());
    }

    @Test
    void tenantsWithoutBudgetAndFreeRecordsAreIgnored() {
        BudgetWatcher w = watcher(0);
        w.accept(spend("other", DAY1, 100));
        w.accept(spend("acme", DAY1, 0));
        assertTrue(published.isEmpty());
        assertEquals(0, w.spentUsd("other"));
    }

    @Test
    void aRestartSeedsFromStoredSpendAndDoesNotRepeatACrossing() {
        BudgetWatcher before = watcher(0.8);
        before.accept(spend("acme", DAY1, 0.3));
        assertEquals(1, published.size(), "stored 0.8 + 0.3 crosses 1.0");
        published.clear();
        BudgetWatcher after = watcher(1.1);
        after.accept(spend("acme", DAY1 + 5, 0.1));
        assertTrue(published.isEmpty(), "reported before the restart");
    }

    @Test
    void aBudgetSetBelowTheSpendSoFarIsReportedAtTheNextRecord() {
        BudgetWatcher w = watcher(0);
        w.accept(spend("acme", DAY1, 1.5));
        assertEquals(1, published.size());
        budgets.put(new Budget("acme", 0.5, Budget.Period.DAY));
        BudgetWatcher fresh = new BudgetWatcher(budgets, (t, from) -> 1.5, published::add);
        fresh.accept(spend("acme", DAY1 + 1, 0.01));
        assertEquals(2, published.size(), "the new, lower budget is crossed too");
    }
}
