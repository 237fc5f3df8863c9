package dev.wisp.store;

import static dev.wisp.store.StoreTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ManualClock;
import dev.wisp.telemetry.JsonLinesReader;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant A asks every query every way it can and never gets a row of B's, nor of the platform's. */
class TenantIsolationTest {
    private static final long ALL = Long.MAX_VALUE;

    @TempDir Path dir;
    private TelemetryStore store;
    private TelemetryQueries q;

    @BeforeEach
    void fill() {
        store = StoreTestSupport.open(dir, new ManualClock(T0));
        // same function names, request and trace ids in both tenants: only the tenant tells them apart
        Samples.everyKind("a", T0).forEach(store::accept);
        Samples.everyKind("b", T0).forEach(store::accept);
        store.accept(Samples.invocation("b", "resize", "shared-id", T0 + 5, InvocationStatus.SUCCESS,
                false, 10, 1, 1, 1));
        Samples.platformOnly(T0).forEach(store::accept);
        store.flush();
        q = store.queries();
    }

    @AfterEach
    void close() { store.close(); }

    @Test
    void listsHoldOnlyTheTenantsRows() {
        List<InvocationRecord> inv = new ArrayList<>(q.invocations(new InvocationQuery("a", null, null, null, 0, ALL, null, null, 100)));
        inv.addAll(q.invocations(new InvocationQuery("a", "resize", null, null, 0, ALL, "shared-id", null, 100)));
        inv.addAll(q.invocations(new InvocationQuery("a", null, null, null, 0, ALL, null, "0af7651916cd43dd8448eb211c80319c", 100)));
        assertEquals(4, inv.size());
        assertTrue(inv.stream().allMatch(r -> r.tenant().equals("a")));

        List<PlatformEvent> events = q.events(new EventQuery("a", null, null, null, 0, ALL, 100));
        assertEquals(6, events.size());
        assertTrue(events.stream().allMatch(e -> e.tenant().equals("a")));
        assertTrue(q.events(new EventQuery("a", null, null, "req-2-b", 0, ALL, 100)).isEmpty());

        List<LogLine> logs = q.logs(new LogQuery("a", null, null, null, 0, ALL, 100));
        assertEquals(3, logs.size()); // two lines and the REPORT line of a's completed invocation
        assertTrue(logs.stream().allMatch(l -> l.tenant().equals("a")));
        assertTrue(q.logs(new LogQuery("a", null, null, "restarted", 0, ALL, 100)).isEmpty());
    }

    @Test
    void platformLinesOfNoTenantAreForAdminsOnly() {
        List<LogLine> admin = q.logs(new LogQuery(null, null, null, null, 0, ALL, 100));
        assertEquals(8, admin.size()); // five lines and the REPORT lines of three completed invocations
        assertTrue(admin.stream().anyMatch(l -> l.source() == LogLine.Source.PLATFORM && l.tenant() == null));
        // a platform line about tenant a's function is a's to see
        assertTrue(q.logs(new LogQuery("a", null, null, null, 0, ALL, 100)).stream()
                .anyMatch(l -> l.source() == LogLine.Source.PLATFORM && "a".equals(l.tenant())));
    }

    @Test
    void aggregatesCountOnlyTheTenantsRows() {
        List<SeriesPoint> series = q.series("a", null, Resolution.MINUTE, 0, ALL);
        assertEquals(1, series.size());
        assertEquals(1, series.getFirst().invocations());
        assertEquals(10, series.getFirst().concurrentMax()); // b's sample at the same tick is not added

        assertEquals(List.of(new FunctionCost("a", "resize", 1, 0.0125, 2.1e-7)), q.cost("a", 0, ALL));
        assertEquals(2.1e-7, q.spentUsd("a", 0, ALL), 1e-15);
        assertEquals(2 * 2.1e-7 + 1, q.spentUsd(null, 0, ALL), 1e-12);
    }

    @Test
    void exportHoldsOnlyTheTenantsRows() {
        Path out = dir.resolve("a");
        q.export("a", 0, ALL, out);
        List<Object> read = new ArrayList<>();
        JsonLinesReader.read(out, read::add);
        assertEquals(12, read.size());
        assertFalse(read.stream().anyMatch(o -> o.toString().contains("tenant=b") || o.toString().contains("tenant=null")));
    }
}
