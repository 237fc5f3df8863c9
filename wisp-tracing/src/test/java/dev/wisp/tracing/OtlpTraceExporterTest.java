package dev.wisp.tracing;

import static dev.wisp.tracing.Records.TRACE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.wisp.telemetry.model.InvocationRecord;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpTraceExporterTest {
    private static final String CALLER = "00f067aa0ba902b7";
    private static final String CALLEE = "b7ad6b7169203331";

    private OtlpReceiver collector;

    @BeforeEach
    void start() throws Exception {
        collector = new OtlpReceiver();
    }

    @AfterEach
    void stop() {
        collector.close();
    }

    private static String hex(ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }

    private static List<Span> spans(OtlpReceiver.Received r) {
        return r.request().getResourceSpansList().stream()
                .flatMap(rs -> rs.getScopeSpansList().stream())
                .flatMap(ss -> ss.getSpansList().stream())
                .toList();
    }

    private static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
        return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue));
    }

    @Test
    void exportsTheSameSpansAsTheLocalViewWithLinksAndFaasAttributes() {
        InvocationRecord caller = Records.cold(CALLER);
        InvocationRecord callee = Records.chained(caller, CALLEE);
        try (OtlpTraceExporter exporter = new OtlpTraceExporter(collector.endpoint(), Map.of("X-Api-Key", "k1"))) {
            exporter.accept(caller);
            exporter.accept(callee);
            exporter.accept("a log line, not a record");
            exporter.flush();
            assertEquals(7, exporter.exported());
            assertEquals(0, exporter.failed());
        }

        assertEquals(1, collector.received().size());
        OtlpReceiver.Received got = collector.received().get(0);
        assertEquals("application/x-protobuf", got.contentType());
        assertEquals("k1", got.apiKey());

        ResourceSpans rs = got.request().getResourceSpans(0);
        assertEquals("wisp", attributes(rs.getResource().getAttributesList()).get("service.name").getStringValue());
        ScopeSpans ss = rs.getScopeSpans(0);
        assertEquals("dev.wisp", ss.getScope().getName());

        Map<String, Span> byId = spans(got).stream().collect(Collectors.toMap(s -> hex(s.getSpanId()), Function.identity()));
        List<SpanView> local = new ArrayList<>(InvocationSpans.of(caller));
        local.addAll(InvocationSpans.of(callee));
        assertEquals(local.size(), byId.size());
        for (SpanView v : local) {
            Span s = byId.get(v.spanId());
            assertEquals(TRACE, hex(s.getTraceId()), v.name());
            assertEquals(v.parentSpanId() == null ? "" : v.parentSpanId(), hex(s.getParentSpanId()), v.name());
            assertEquals(v.name(), s.getName());
            assertEquals(v.startEpochNanos(), s.getStartTimeUnixNano());
            assertEquals(v.endEpochNanos(), s.getEndTimeUnixNano());
            assertEquals(v.kind() == SpanView.Kind.SERVER ? Span.SpanKind.SPAN_KIND_SERVER : Span.SpanKind.SPAN_KIND_INTERNAL,
                    s.getKind());
            assertEquals(Status.StatusCode.STATUS_CODE_OK, s.getStatus().getCode());
        }

        Span callerSpan = byId.get(CALLER);
        Span calleeSpan = byId.get(CALLEE);
        assertEquals("", hex(callerSpan.getParentSpanId()));
        assertEquals(CALLER, hex(calleeSpan.getParentSpanId()));
        assertEquals("hello", callerSpan.getName());
        assertEquals("world", calleeSpan.getName());

        Map<String, AnyValue> a = attributes(callerSpan.getAttributesList());
        assertEquals("http", a.get("faas.trigger").getStringValue());
        assertEquals("req-cold", a.get("faas.invocation_id").getStringValue());
        assertEquals("hello", a.get("faas.name").getStringValue());
        assertEquals("$LATEST", a.get("faas.version").getStringValue());
        assertTrue(a.get("faas.coldstart").getBoolValue());
        assertEquals(256L * 1024 * 1024, a.get("faas.max_memory").getIntValue());
        assertEquals("i-cold", a.get("faas.instance").getStringValue());
        assertEquals("acme", a.get("cloud.account.id").getStringValue());
        assertEquals(150.0, a.get("wisp.init_ms").getDoubleValue());
        Map<String, AnyValue> b = attributes(calleeSpan.getAttributesList());
        assertEquals("other", b.get("faas.trigger").getStringValue());
        assertEquals("req-cold", b.get("wisp.parent_request_id").getStringValue());
    }

    @Test
    void failedInvocationIsExportedWithErrorStatus() {
        try (OtlpTraceExporter exporter = new OtlpTraceExporter(collector.endpoint())) {
            exporter.accept(Records.throttled(CALLER));
            exporter.flush();
        }
        List<Span> spans = spans(collector.received().get(0));
        assertEquals(1, spans.size());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, spans.get(0).getStatus().getCode());
        assertEquals("throttled: TooManyRequestsException", spans.get(0).getStatus().getMessage());
    }

    @Test
    void aFullBatchIsExportedWithoutWaitingForFlush() {
        try (OtlpTraceExporter exporter = new OtlpTraceExporter(collector.endpoint(), Map.of(), 4)) {
            exporter.accept(Records.cold(CALLER));
            assertEquals(1, collector.received().size());
            assertEquals(4, exporter.exported());
        }
    }

    @Test
    void closeExportsWhatIsBufferedAndLaterItemsAreIgnored() {
        OtlpTraceExporter exporter = new OtlpTraceExporter(collector.endpoint());
        exporter.accept(Records.cold(CALLER));
        exporter.close();
        assertEquals(4, spans(collector.received().get(0)).size());
        exporter.accept(Records.cold(CALLEE));
        exporter.flush();
        exporter.close();
        assertEquals(1, collector.received().size());
    }

    @Test
    void aRefusingCollectorIsCountedNotThrown() {
        collector.answer(500);
        try (OtlpTraceExporter exporter = new OtlpTraceExporter(collector.endpoint())) {
            exporter.accept(Records.cold(CALLER));
            assertTimeout(Duration.ofSeconds(10), () -> assertDoesNotThrow(exporter::flush));
            assertEquals(4, exporter.failed());
            assertEquals(0, exporter.exported());
            // the failed batch is dropped, not sent again
            collector.answer(200);
            exporter.flush();
            assertEquals(4, exporter.failed());
            assertTrue(collector.received().isEmpty());
        }
    }

    @Test
    void anUnreachableCollectorIsCountedNotThrown() {
        String endpoint = collector.endpoint();
        collector.close();
        try (OtlpTraceExporter exporter = new OtlpTraceExporter(endpoint)) {
            exporter.accept(Records.warmError(CALLER));
            exporter.accept(Records.throttled(CALLEE));
            assertTimeout(Duration.ofSeconds(10), () -> assertDoesNotThrow(exporter::flush));
            assertEquals(4, exporter.failed());
        }
    }

    @Test
    void anEndpointThatIsNoUrlIsRejectedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> new OtlpTraceExporter("localhost:4318"));
    }
}
