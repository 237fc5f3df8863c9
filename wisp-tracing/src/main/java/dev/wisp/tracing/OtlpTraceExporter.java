package dev.wisp.tracing;

import dev.wisp.telemetry.model.InvocationRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the spans of every invocation record to an OTLP/HTTP collector. It is a telemetry bus
 * consumer: {@link #accept} buffers, a full batch or {@link #flush} (run when the subscriber is
 * idle) exports. Export runs on the caller's thread but never longer than {@link #EXPORT_DEADLINE};
 * failures are counted and logged at most once a minute, never thrown, and the failed batch is
 * dropped (the records stay in Wisp's own store).
 */
public final class OtlpTraceExporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpTraceExporter.class);

    static final int BATCH_SIZE = 512;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** One retry, soon: a collector that is down for longer loses the batch rather than stall the bus. */
    private static final RetryPolicy RETRY = RetryPolicy.builder()
            .setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(500)).setMaxBackoff(Duration.ofSeconds(1)).build();
    /** Both attempts at their timeout plus the backoff between them. */
    static final Duration EXPORT_DEADLINE = REQUEST_TIMEOUT.multipliedBy(2).plusSeconds(2);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    /*
     * The SDK logs every failed export itself through java.util.logging; failures are reported
     * here once a minute instead. Held in a field: the logging framework keeps loggers only
     * weakly, and a collected logger would lose its level.
     */
    private static final java.util.logging.Logger SDK_EXPORT_LOG = quietSdkExportLog();

    private static final Resource RESOURCE = Resource.getDefault()
            .merge(Resource.builder().put(AttributeKey.stringKey("service.name"), "wisp").build());
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("dev.wisp");

    private final String endpoint;
    private final SpanExporter exporter;
    private final int batchSize;
    private final List<SpanData> buffer = new ArrayList<>();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private boolean warned;
    private long lastWarningNanos;
    private long failedAtLastWarning;
    private boolean closed;

    /** @param endpoint the full OTLP/HTTP traces URL, e.g. {@code http://127.0.0.1:4318/v1/traces} */
    public OtlpTraceExporter(String endpoint) {
        this(endpoint, Map.of());
    }

    /**
     * @param headers sent with every export (a collector's API key, say)
     * @throws IllegalArgumentException when the endpoint is not an http or https URL
     */
    public OtlpTraceExporter(String endpoint, Map<String, String> headers) {
        this(endpoint, headers, BATCH_SIZE);
    }

    OtlpTraceExporter(String endpoint, Map<String, String> headers, int batchSize) {
        this.endpoint = endpoint;
        this.exporter = build(endpoint, headers);
        this.batchSize = batchSize;
    }

    private static SpanExporter build(String endpoint, Map<String, String> headers) {
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .setConnectTimeout(CONNECT_TIMEOUT)
                .setTimeout(REQUEST_TIMEOUT)
                .setRetryPolicy(RETRY)
                // immutable data: a request still in flight after the deadline may overlap the next
                .setMemoryMode(MemoryMode.IMMUTABLE_DATA)
                // no self-metrics, and no lookup of a global OpenTelemetry instance
                .setMeterProvider(MeterProvider::noop);
        headers.forEach(b::addHeader);
        return b.build();
    }

    /** Bus consumer: buffers the spans of an {@link InvocationRecord}; anything else is ignored. */
    public synchronized void accept(Object item) {
        if (closed || !(item instanceof InvocationRecord record)) return;
        for (SpanView span : InvocationSpans.of(record)) {
            buffer.add(new ViewSpanData(span, RESOURCE, SCOPE));
        }
        if (buffer.size() >= batchSize) export();
    }

    /** Exports whatever is buffered; returns once the collector answered or the deadline passed. */
    public synchronized void flush() {
        export();
    }

    /** Spans the collector accepted. */
    public long exported() { return exported.get(); }

    /** Spans that could not be exported (collector down, refused or too slow) and were dropped. */
    public long failed() { return failed.get(); }

    public String endpoint() { return endpoint; }

    /** Exports what is buffered, then releases the HTTP client; later items are ignored. */
    @Override
    public synchronized void close() {
        if (closed) return;
        export();
        closed = true;
        exporter.shutdown().join(EXPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void export() {
        if (buffer.isEmpty()) return;
        List<SpanData> batch = List.copyOf(buffer);
        buffer.clear();
        CompletableResultCode result;
        try {
            result = exporter.export(batch).join(EXPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            exportFailed(batch.size(), e);
            return;
        }
        if (result.isSuccess()) {
            exported.addAndGet(batch.size());
        } else {
            exportFailed(batch.size(), result.isDone() ? result.getFailureThrowable() : null);
        }
    }

    private void exportFailed(int spans, Throwable cause) {
        long total = failed.addAndGet(spans);
        long now = System.nanoTime();
        if (warned && now - lastWarningNanos < LOG_INTERVAL_NANOS) return;
        LOG.warn("exporting spans to {} failed ({}); {} spans dropped since the last warning, {} in all",
                endpoint, describe(cause), total - failedAtLastWarning, total);
        warned = true;
        lastWarningNanos = now;
        failedAtLastWarning = total;
    }

    /** The SDK wraps what went wrong (a refused connection, a timeout); the wrapped exception says more. */
    private static String describe(Throwable cause) {
        if (cause == null) return "no answer within " + EXPORT_DEADLINE.toSeconds() + " s";
        // the SDK's exception for an HTTP error answer has neither message nor cause
        if (cause.getCause() == null && cause.getMessage() == null) return "the collector answered with an error";
        Throwable shown = cause.getCause() == null ? cause : cause.getCause();
        return shown.getClass().getSimpleName() + (shown.getMessage() == null ? "" : ": " + shown.getMessage());
    }

    private static java.util.logging.Logger quietSdkExportLog() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("io.opentelemetry.exporter");
        log.setLevel(Level.OFF);
        return log;
    }
}
