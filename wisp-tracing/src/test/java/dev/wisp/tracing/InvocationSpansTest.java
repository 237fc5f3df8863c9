package dev.wisp.tracing;

import static dev.wisp.tracing.Records.T0;
import static dev.wisp.tracing.Records.TRACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.Trigger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvocationSpansTest {
    private static final String SPAN = "00f067aa0ba902b7";
    private static final long MS = 1_000_000L;

    private static List<String> names(List<SpanView> spans) {
        return spans.stream().map(SpanView::name).toList();
    }

    @Test
    void coldStartHasWaitInitAndExecuteUnderTheInvocationSpan() {
        List<SpanView> spans = InvocationSpans.of(Records.cold(SPAN));
        assertEquals(List.of("hello", "wait", "init", "execute"), names(spans));

        SpanView inv = spans.get(0);
        assertEquals(TRACE, inv.traceId());
        assertEquals(SPAN, inv.spanId());
        assertNull(inv.parentSpanId());
        assertEquals(SpanView.Kind.SERVER, inv.kind());
        assertEquals(SpanView.Status.OK, inv.status());
        assertNull(inv.statusMessage());
        assertEquals(T0 * MS, inv.startEpochNanos());
        assertEquals((T0 + 195) * MS, inv.endEpochNanos());

        long[][] bounds = {{T0, T0 + 2}, {T0 + 2, T0 + 152}, {T0 + 153, T0 + 193}};
        for (int i = 1; i < spans.size(); i++) {
            SpanView child = spans.get(i);
            assertEquals(TRACE, child.traceId());
            assertEquals(SPAN, child.parentSpanId());
            assertEquals(SpanView.Kind.INTERNAL, child.kind());
            assertEquals(SpanView.Status.OK, child.status());
            assertEquals(bounds[i - 1][0] * MS, child.startEpochNanos(), child.name());
            assertEquals(bounds[i - 1][1] * MS, child.endEpochNanos(), child.name());
            assertTrue(child.spanId().matches("[0-9a-f]{16}"), child.spanId());
            assertEquals(ChildSpanIds.of(SPAN, child.name()), child.spanId());
        }
        assertEquals(4, new HashSet<>(spans.stream().map(SpanView::spanId).toList()).size());
    }

    @Test
    void invocationSpanCarriesFaasConventionsAndWispAttributes() {
        Map<String, Object> a = InvocationSpans.of(Records.cold(SPAN)).get(0).attributes();
        assertEquals("http", a.get("faas.trigger"));
        assertEquals("req-cold", a.get("faas.invocation_id"));
        assertEquals("hello", a.get("faas.name"));
        assertEquals("$LATEST", a.get("faas.version"));
        assertEquals(true, a.get("faas.coldstart"));
        assertEquals(256L * 1024 * 1024, a.get("faas.max_memory"));
        assertEquals("i-cold", a.get("faas.instance"));
        assertEquals("acme", a.get("cloud.account.id"));
        assertEquals("eu-central", a.get("cloud.region"));
        assertFalse(a.containsKey("cloud.provider"));
        assertEquals("http", a.get("wisp.trigger"));
        assertEquals("success", a.get("wisp.status"));
        assertEquals(2.0, a.get("wisp.wait_ms"));
        assertEquals(150.0, a.get("wisp.init_ms"));
        assertEquals(40L, a.get("wisp.billed_ms"));
        assertEquals(InvocationRecord.gbSeconds(256, 40), a.get("wisp.gb_seconds"));
        assertEquals(0.0000007, a.get("wisp.cost_usd"));
        assertFalse(a.containsKey("wisp.error_type"));
        assertFalse(a.containsKey("wisp.parent_request_id"));
        // the caller's identity never reaches a span
        assertFalse(a.containsKey("wisp.source_id"));
        assertFalse(a.containsValue(Records.SOURCE));
    }

    @Test
    void warmFailureHasNoInitAndMarksExecuteAsTheFailedPhase() {
        List<SpanView> spans = InvocationSpans.of(Records.warmError(SPAN));
        assertEquals(List.of("hello", "wait", "execute"), names(spans));
        assertEquals(SpanView.Status.ERROR, spans.get(0).status());
        assertEquals("error: Handled", spans.get(0).statusMessage());
        assertEquals(SpanView.Status.OK, spans.get(1).status());
        assertEquals(SpanView.Status.ERROR, spans.get(2).status());
        Map<String, Object> a = spans.get(0).attributes();
        assertEquals("pubsub", a.get("faas.trigger"));
        assertEquals(false, a.get("faas.coldstart"));
        assertEquals("Handled", a.get("wisp.error_type"));
        assertEquals("error", a.get("wisp.status"));
    }

    @Test
    void throttledRecordIsOneFailedSpan() {
        List<SpanView> spans = InvocationSpans.of(Records.throttled(SPAN));
        assertEquals(1, spans.size());
        SpanView inv = spans.get(0);
        assertEquals(SpanView.Status.ERROR, inv.status());
        assertEquals("throttled: TooManyRequestsException", inv.statusMessage());
        assertEquals(inv.startEpochNanos(), inv.endEpochNanos());
        assertEquals("other", inv.attributes().get("faas.trigger"));
        assertFalse(inv.attributes().containsKey("faas.instance"));
    }

    @Test
    void chainedCallSitsUnderItsCallerInTheSameTrace() {
        InvocationRecord parent = Records.cold(SPAN);
        List<SpanView> spans = InvocationSpans.of(Records.chained(parent, "b7ad6b7169203331"));
        SpanView inv = spans.get(0);
        assertEquals(TRACE, inv.traceId());
        assertEquals(SPAN, inv.parentSpanId());
        assertEquals("b7ad6b7169203331", inv.spanId());
        assertEquals("world", inv.name());
        assertEquals("other", inv.attributes().get("faas.trigger"));
        assertEquals("chain", inv.attributes().get("wisp.trigger"));
        assertEquals("req-cold", inv.attributes().get("wisp.parent_request_id"));
        assertEquals(List.of("world", "wait", "execute"), names(spans));
        assertTrue(spans.subList(1, 3).stream().allMatch(s -> "b7ad6b7169203331".equals(s.parentSpanId())));
    }

    @Test
    void queueTimeoutWaitsUntilItGivesUp() {
        InvocationRecord r = new InvocationRecord("req-q", "acme", "hello", "$LATEST", Trigger.EVENT, null, null, null,
                T0, 0, 0, 0, 0, 0, T0 + 3000, 3000.0, 0, 0, 0, 128, 0, false, null, InvocationStatus.TIMEOUT,
                "Sandbox.Timedout", 1, 0, 0, 0, TRACE, SPAN, null);
        List<SpanView> spans = InvocationSpans.of(r);
        assertEquals(List.of("hello", "wait"), names(spans));
        assertEquals((T0 + 3000) * MS, spans.get(1).endEpochNanos());
        assertEquals(SpanView.Status.ERROR, spans.get(1).status());
        assertFalse(spans.get(0).attributes().containsKey("cloud.region"));
    }

    @Test
    void recordWithoutValidIdsHasNoSpans() {
        InvocationRecord cold = Records.cold(SPAN);
        assertTrue(InvocationSpans.of(Records.cold(null)).isEmpty());
        assertTrue(InvocationSpans.of(Records.cold("0000000000000000")).isEmpty());
        assertTrue(InvocationSpans.of(Records.cold("00f067aa0ba902bz")).isEmpty());
        assertEquals(SPAN, InvocationSpans.of(Records.cold(SPAN.toUpperCase())).get(0).spanId());
        assertEquals(4, InvocationSpans.of(cold).size());
    }

    @Test
    void childIdsAreStableValidAndDistinct() {
        assertEquals(ChildSpanIds.of(SPAN, "init"), ChildSpanIds.of(SPAN, "init"));
        assertNotEquals(ChildSpanIds.of(SPAN, "init"), ChildSpanIds.of(SPAN, "execute"));
        assertNotEquals(ChildSpanIds.of(SPAN, "init"), ChildSpanIds.of("b7ad6b7169203331", "init"));
        for (int i = 0; i < 1000; i++) {
            String id = ChildSpanIds.of(Long.toHexString(i), "wait");
            assertTrue(id.matches("[0-9a-f]{16}") && !id.equals("0000000000000000"), id);
        }
    }

    @Test
    void mappingIsTheSameEveryTime() {
        assertEquals(InvocationSpans.of(Records.cold(SPAN)), InvocationSpans.of(Records.cold(SPAN)));
    }
}
