package dev.wisp.metrics;

import static dev.wisp.metrics.Records.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.telemetry.model.PlatformEvent.ConcurrencySample;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.ResourceSample.Scope;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Gauges fed by the once-a-second samples: last value wins, versions add up, silent functions go away. */
class SampledGaugesTest {
    private final AtomicLong now = new AtomicLong(T0);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    private final WispMetrics metrics = new WispMetrics(clock, Duration.ofSeconds(30));

    @AfterEach
    void close() {
        metrics.close();
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.scrape());
    }

    private static ResourceSample function(long ts, String fn, int idle, int busy, int initializing) {
        return new ResourceSample(ts, Scope.FUNCTION, "acme", fn, null, 0, 0, idle, busy, initializing);
    }

    private static ResourceSample instance(long ts, String fn, String id, long rss) {
        return new ResourceSample(ts, Scope.INSTANCE, "acme", fn, id, 250, rss, 0, 0, 0);
    }

    @Test
    void instanceStatesAddUpAcrossVersionsWithinATickAndTheNextTickReplaces() {
        // two versions of one function report in the same tick
        metrics.accept(function(T0, "f", 1, 2, 0));
        metrics.accept(function(T0, "f", 0, 1, 1));
        Scrape s = scrape();
        assertEquals(1, s.sum("wisp_instances", "function", "f", "state", "idle"));
        assertEquals(3, s.sum("wisp_instances", "function", "f", "state", "busy"));
        assertEquals(1, s.sum("wisp_instances", "function", "f", "state", "initializing"));

        metrics.accept(function(T0 + 1000, "f", 4, 0, 0));
        metrics.accept(function(T0, "f", 9, 9, 9)); // late reading of the old tick: ignored
        s = scrape();
        assertEquals(4, s.sum("wisp_instances", "function", "f", "state", "idle"));
        assertEquals(0, s.sum("wisp_instances", "function", "f", "state", "busy"));
    }

    @Test
    void concurrencySamplesSetConcurrentAndQueued() {
        metrics.accept(new ConcurrencySample(T0, "acme", "f", 3, 5, 5));
        metrics.accept(new ConcurrencySample(T0 + 1000, "acme", "f", 1, 2, 2));
        Scrape s = scrape();
        assertEquals(2, s.sum("wisp_concurrent_executions", "tenant", "acme", "function", "f"));
        assertEquals(1, s.sum("wisp_queued_requests", "tenant", "acme", "function", "f"));
    }

    @Test
    void memorySumsTheInstancesStillReporting() {
        metrics.accept(instance(T0, "f", "a", 100));
        metrics.accept(instance(T0, "f", "b", 50));
        metrics.accept(instance(T0, "g", "c", 7));
        assertEquals(150, scrape().sum("wisp_function_memory_used_bytes", "function", "f"));
        assertEquals(7, scrape().sum("wisp_function_memory_used_bytes", "function", "g"));

        // halfway through the next tick b has not reported yet: its last reading still counts
        metrics.accept(instance(T0 + 1000, "f", "a", 120));
        assertEquals(170, scrape().sum("wisp_function_memory_used_bytes", "function", "f"));

        // b was evicted: the function keeps reporting, b's reading goes stale
        metrics.accept(instance(T0 + 3000, "f", "a", 130));
        metrics.accept(function(T0 + 3000, "f", 1, 0, 0));
        assertEquals(130, scrape().sum("wisp_function_memory_used_bytes", "function", "f"));
        metrics.accept(function(T0 + 6000, "f", 0, 0, 0));
        assertEquals(0, scrape().sum("wisp_function_memory_used_bytes", "function", "f"));
    }

    @Test
    void hostGaugesAppearWithTheFirstHostSample() {
        assertTrue(Double.isNaN(scrape().sum("wisp_host_cpu_millicores")));
        metrics.accept(new ResourceSample(T0, Scope.HOST, null, null, null, 1250.5, 4_000_000_000L, 0, 0, 0));
        metrics.accept(new ResourceSample(T0 + 1000, Scope.HOST, null, null, null, 800, 3_000_000_000L, 0, 0, 0));
        Scrape s = scrape();
        assertEquals(800, s.sum("wisp_host_cpu_millicores"));
        assertEquals(3e9, s.sum("wisp_host_memory_used_bytes"));
    }

    @Test
    void aFunctionThatStopsReportingLosesItsGauges() {
        metrics.accept(function(T0, "gone", 1, 0, 0));
        metrics.accept(instance(T0, "gone", "x", 10));
        metrics.accept(function(T0, "kept", 1, 0, 0));
        assertEquals(3, scrape().matching("wisp_instances", "function", "gone").size());

        for (int i = 1; i <= 31; i++) {
            now.addAndGet(1000);
            metrics.accept(function(T0 + i * 1000L, "kept", 1, 0, 0));
        }
        Scrape s = scrape();
        for (String name : new String[] {"wisp_instances", "wisp_concurrent_executions", "wisp_queued_requests",
                "wisp_function_memory_used_bytes"}) {
            assertEquals(0, s.matching(name, "function", "gone").size(), name);
            assertEquals(name.equals("wisp_instances") ? 3 : 1, s.matching(name, "function", "kept").size(), name);
        }

        // a function that comes back gets fresh gauges
        metrics.accept(function(T0 + 40_000, "gone", 2, 0, 0));
        assertEquals(2, scrape().sum("wisp_instances", "function", "gone", "state", "idle"));
    }
}
