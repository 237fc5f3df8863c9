package dev.wisp.metrics;

import static dev.wisp.metrics.Records.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Platform events, the server's own counters and gauges, JVM metrics and the exposition format. */
class ServerMetersTest {
    private final WispMetrics metrics = new WispMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.scrape());
    }

    @Test
    void platformEventsAreCounted() {
        metrics.accept(new PlatformEvent.Throttled(T0, "acme", "f", "req-1", "FunctionQueueFull"));
        metrics.accept(new PlatformEvent.Throttled(T0, "acme", "f", "req-2", "FunctionQueueFull"));
        metrics.accept(new PlatformEvent.Throttled(T0, "acme", "f", "req-3", "ReservedConcurrency"));
        metrics.accept(new PlatformEvent.BudgetCrossed(T0, "acme", null, "MONTH", 10, 10.5));
        metrics.accept(new PlatformEvent.MitigationAction(T0, "acme", "f", "throttle", "f", false, "runaway"));
        metrics.accept(new PlatformEvent.MitigationAction(T0, "acme", "f", "throttle", "f", true, "runaway"));
        metrics.accept(new PlatformEvent.InstanceEvent(T0, "acme", "f", "i-1", PlatformEvent.InstanceTransition.READY, ""));
        metrics.accept(new PlatformEvent.SchedulerDecision(T0, "acme", "f", "cold-start", ""));

        Scrape s = scrape();
        assertEquals(2, s.sum("wisp_throttles_total", "function", "f", "reason", "FunctionQueueFull"));
        assertEquals(1, s.sum("wisp_throttles_total", "function", "f", "reason", "ReservedConcurrency"));
        assertEquals(1, s.sum("wisp_budget_crossings_total", "tenant", "acme", "period", "MONTH"));
        assertEquals(2, s.sum("wisp_mitigation_actions_total", "action", "throttle"));
        assertEquals(1, s.sum("wisp_mitigation_actions_total", "action", "throttle", "dry_run", "true"));
        assertFalse(metrics.scrape().contains("req-1"));
    }

    @Test
    void serverCountersAndGauges() {
        AtomicInteger backlog = new AtomicInteger(4);
        metrics.authFailure();
        metrics.authFailure();
        metrics.asyncRetry();
        metrics.deadLetters(() -> 2);
        metrics.asyncBacklog(backlog::get);
        metrics.busDropped("store", () -> 11);
        metrics.busDropped("metrics", () -> 0);
        metrics.storeLagSeconds(() -> 1.5);
        metrics.count("wisp_keys_issued", "Access keys issued", "kind", "tenant");

        Scrape s = scrape();
        assertEquals(2, s.sum("wisp_auth_failures_total"));
        assertEquals(1, s.sum("wisp_async_retries_total"));
        assertEquals(2, s.sum("wisp_async_dead_letters"));
        assertEquals(4, s.sum("wisp_async_queue_backlog"));
        assertEquals(11, s.sum("wisp_telemetry_dropped", "subscriber", "store"));
        assertEquals(0, s.sum("wisp_telemetry_dropped", "subscriber", "metrics"));
        assertEquals(1.5, s.sum("wisp_store_lag_seconds"));
        assertEquals(1, s.sum("wisp_keys_issued_total", "kind", "tenant"));

        backlog.set(9); // gauges are read at scrape time
        assertEquals(9, scrape().sum("wisp_async_queue_backlog"));
    }

    @Test
    void registeringAGaugeAgainReplacesItAndAnOldRegistrationCannotRemoveTheNewOne() {
        Registration first = metrics.gauge("wisp_thing", "A thing", () -> 1, "kind", "a");
        Registration other = metrics.gauge("wisp_thing", "A thing", () -> 5, "kind", "b");
        metrics.gauge("wisp_thing", "A thing", () -> 2, "kind", "a");
        assertEquals(2, scrape().sum("wisp_thing", "kind", "a"));

        first.close();
        assertEquals(2, scrape().sum("wisp_thing", "kind", "a"));
        other.close();
        assertTrue(scrape().matching("wisp_thing", "kind", "b").isEmpty());
    }

    @Test
    void namesMustBeWispSnakeCase() {
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("jvm_thing", "x", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("wisp.thing", "x", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.count("wisp_Thing", "x"));
        assertThrows(IllegalArgumentException.class, () -> metrics.count("wisp_keys_created", "x"));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("wisp_backlog_total", "x", () -> 1));
    }

    @Test
    void aNameThatWouldClashIsRefusedAtRegistration() {
        // the counter wisp_async_retries_total is the family wisp_async_retries
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("wisp_async_retries", "x", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.gauge("wisp_instances", "x", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> metrics.count("wisp_throttles_total", "x"));
        metrics.accept(Records.throttled("f")); // telemetry meters still register
        assertEquals(1, scrape().sum("wisp_invocations_total", "function", "f"));
    }

    /** Keeps the list of names reserved for telemetry in step with what telemetry actually creates. */
    @Test
    void everyTelemetryFamilyIsReserved() {
        metrics.accept(Records.ran("f", InvocationStatus.ERROR, Trigger.SDK, true, 5, "E"));
        metrics.accept(new PlatformEvent.Throttled(T0, "acme", "f", "r", "x"));
        metrics.accept(new PlatformEvent.BudgetCrossed(T0, "acme", null, "MONTH", 1, 2));
        metrics.accept(new PlatformEvent.MitigationAction(T0, "acme", "f", "a", "f", false, "r"));
        metrics.accept(new PlatformEvent.ConcurrencySample(T0, "acme", "f", 1, 1, 1));
        metrics.accept(new ResourceSample(T0, ResourceSample.Scope.HOST, null, null, null, 1, 1, 0, 0, 0));
        metrics.accept(new ResourceSample(T0, ResourceSample.Scope.INSTANCE, "acme", "f", "i", 1, 1, 0, 0, 0));
        metrics.accept(new ResourceSample(T0, ResourceSample.Scope.FUNCTION, "acme", "f", null, 0, 0, 1, 0, 0));
        Set<String> families = new TreeSet<>();
        for (String line : metrics.scrape().split("\n")) {
            if (line.startsWith("# TYPE wisp_")) families.add(line.split(" ")[2].replaceFirst("_total$", ""));
        }
        families.removeAll(Set.of("wisp_auth_failures", "wisp_async_retries"));
        assertEquals(new TreeSet<>(WispMetrics.TELEMETRY_FAMILIES), families);
    }

    @Test
    void jvmAndProcessMetricsAreIncluded() {
        Scrape s = scrape();
        assertTrue(s.sum("jvm_memory_used_bytes", "area", "heap") > 0);
        assertTrue(s.sum("process_uptime_seconds") > 0);
        assertTrue(s.sum("system_cpu_count") >= 1);
        assertFalse(s.matching("jvm_gc_memory_allocated_bytes_total").isEmpty());
    }

    @Test
    void onlyTelemetryTheMetricsUseIsWanted() {
        assertTrue(WispMetrics.wants(new ResourceSample(T0, ResourceSample.Scope.HOST, null, null, null, 0, 0, 0, 0, 0)));
        assertTrue(WispMetrics.wants(new PlatformEvent.Throttled(T0, "acme", "f", "r", "x")));
        assertTrue(WispMetrics.wants(Records.throttled("f")));
        assertFalse(WispMetrics.wants(new LogLine(T0, LogLine.Source.PLATFORM, null, null, "gateway", "INFO", null, "hi")));
        metrics.accept("not telemetry");
        metrics.accept(null);
    }

    @Test
    void scrapeIsTheTextFormatTheContentTypeNames() throws Exception {
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.contentType());
        metrics.authFailure();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.scrape(out);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("# TYPE wisp_auth_failures_total counter\n"), text);
        assertTrue(text.contains("\nwisp_auth_failures_total 1.0\n"), text);
    }
}
