package dev.wisp.metrics;

import static dev.wisp.metrics.Records.ran;
import static dev.wisp.metrics.Records.throttled;
import static dev.wisp.telemetry.model.InvocationStatus.ERROR;
import static dev.wisp.telemetry.model.InvocationStatus.SUCCESS;
import static dev.wisp.telemetry.model.InvocationStatus.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.telemetry.model.Trigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InvocationMetersTest {
    private final WispMetrics metrics = new WispMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private Scrape scrape() {
        return Scrape.parse(metrics.scrape());
    }

    @Test
    void countsInvocationsByStatusTriggerAndStart() {
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, true, 12, null));
        metrics.accept(ran("f", SUCCESS, Trigger.HTTP, false, 3, null));
        metrics.accept(ran("f", SUCCESS, Trigger.HTTP, false, 4, null));
        metrics.accept(ran("f", ERROR, Trigger.EVENT, false, 5, "ValueError"));
        metrics.accept(throttled("f"));

        Scrape s = scrape();
        assertEquals("counter", s.types().get("wisp_invocations_total"));
        assertEquals(5, s.sum("wisp_invocations_total", "tenant", "acme", "function", "f"));
        assertEquals(1, s.sum("wisp_invocations_total", "status", "success", "trigger", "sdk", "start", "cold"));
        assertEquals(2, s.sum("wisp_invocations_total", "status", "success", "trigger", "http", "start", "warm"));
        assertEquals(1, s.sum("wisp_invocations_total", "status", "error", "trigger", "event", "start", "warm"));
        assertEquals(1, s.sum("wisp_invocations_total", "status", "throttled", "start", "none"));
        assertEquals(1, s.sum("wisp_cold_starts_total", "function", "f"));
        // throttles are not errors: they have their own status and counter
        assertEquals(1, s.sum("wisp_invocation_errors_total", "function", "f"));
        assertEquals(1, s.sum("wisp_invocation_errors_total", "error_type", "ValueError"));
    }

    @Test
    void durationHistogramsAreSplitByColdAndWarm() {
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, true, 700, null));
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, false, 3, null));
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, false, 40, null));
        metrics.accept(throttled("f")); // never ran: no duration

        Scrape s = scrape();
        assertEquals("histogram", s.types().get("wisp_invocation_duration_seconds"));
        assertEquals(1, s.sum("wisp_invocation_duration_seconds_count", "start", "cold"));
        assertEquals(2, s.sum("wisp_invocation_duration_seconds_count", "start", "warm"));
        assertEquals(0.043, s.sum("wisp_invocation_duration_seconds_sum", "start", "warm"), 1e-9);
        // cumulative buckets: 3 ms is under 5 ms, 40 ms under 50 ms, 700 ms only from 1 s up
        assertEquals(1, s.sum("wisp_invocation_duration_seconds_bucket", "start", "warm", "le", "0.005"));
        assertEquals(2, s.sum("wisp_invocation_duration_seconds_bucket", "start", "warm", "le", "0.05"));
        assertEquals(0, s.sum("wisp_invocation_duration_seconds_bucket", "start", "cold", "le", "0.5"));
        assertEquals(1, s.sum("wisp_invocation_duration_seconds_bucket", "start", "cold", "le", "1.0"));
        assertEquals(1, s.sum("wisp_invocation_duration_seconds_bucket", "start", "cold", "le", "900.0"));
        assertEquals(InvocationMeters.BUCKETS.length + 1, s.matching("wisp_invocation_duration_seconds_bucket", "start", "cold").size());

        assertEquals(1, s.sum("wisp_invocation_init_duration_seconds_count", "function", "f"));
        assertEquals(0.15, s.sum("wisp_invocation_init_duration_seconds_sum", "function", "f"), 1e-9);
        assertEquals(3, s.sum("wisp_invocation_wait_seconds_count", "function", "f"));
        assertEquals(0.009, s.sum("wisp_invocation_wait_seconds_sum", "function", "f"), 1e-9);
    }

    @Test
    void errorTypeNamedByTheFunctionIsBounded() {
        int extra = 5;
        for (int i = 0; i < InvocationMeters.MAX_ERROR_TYPES + extra; i++) {
            metrics.accept(ran("f", ERROR, Trigger.SDK, false, 1, "Custom" + i));
        }
        metrics.accept(ran("f", TIMEOUT, Trigger.SDK, false, 1, null));
        metrics.accept(ran("g", ERROR, Trigger.SDK, false, 1, "Custom99")); // each function has its own allowance

        Scrape s = scrape();
        assertEquals(InvocationMeters.MAX_ERROR_TYPES + 1, s.matching("wisp_invocation_errors_total", "function", "f").size());
        assertEquals(extra + 1, s.sum("wisp_invocation_errors_total", "function", "f", "error_type", LabelGuard.OTHER));
        assertEquals(1, s.sum("wisp_invocation_errors_total", "function", "g", "error_type", "Custom99"));
    }

    @Test
    void gbSecondsAndCostAccumulate() {
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, false, 1, null));
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, false, 1, null));

        Scrape s = scrape();
        assertEquals(0.5, s.sum("wisp_gb_seconds_total", "function", "f"), 1e-12);
        assertEquals(0.00001, s.sum("wisp_cost_usd_total", "function", "f"), 1e-12);
    }

    @Test
    void noLabelCarriesRequestInstanceOrSourceIds() {
        metrics.accept(ran("f", SUCCESS, Trigger.SDK, true, 1, null));
        String text = metrics.scrape();
        assertFalse(text.contains("req-"), text);
        assertFalse(text.contains("inst-"), text);
        assertFalse(text.contains("AKIDSOURCE"), text);
        assertTrue(text.contains("function=\"f\""), text);
    }
}
