package dev.wisp.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;
import java.util.Map;

/**
 * A finished {@link SpanView} in the SDK's export form. Spans are built after the fact from
 * records, never through a live tracer, so the SDK's data interface is implemented directly.
 */
final class ViewSpanData implements SpanData {
    private final SpanView view;
    private final SpanContext context;
    private final SpanContext parent;
    private final Attributes attributes;
    private final StatusData status;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;

    ViewSpanData(SpanView view, Resource resource, InstrumentationScopeInfo scope) {
        this.view = view;
        this.context = SpanContext.create(view.traceId(), view.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
        // the caller's span may live in another process: its context is remote
        this.parent = view.parentSpanId() == null ? SpanContext.getInvalid()
                : SpanContext.createFromRemoteParent(view.traceId(), view.parentSpanId(), TraceFlags.getSampled(),
                        TraceState.getDefault());
        this.attributes = toAttributes(view.attributes());
        this.status = view.status() == SpanView.Status.OK ? StatusData.ok()
                : StatusData.create(StatusCode.ERROR, view.statusMessage() == null ? "" : view.statusMessage());
        this.resource = resource;
        this.scope = scope;
    }

    private static Attributes toAttributes(Map<String, Object> values) {
        AttributesBuilder b = Attributes.builder();
        values.forEach((k, v) -> {
            switch (v) {
                case null -> { }
                case String s -> b.put(AttributeKey.stringKey(k), s);
                case Boolean bool -> b.put(AttributeKey.booleanKey(k), bool);
                case Double d -> b.put(AttributeKey.doubleKey(k), d);
                case Float f -> b.put(AttributeKey.doubleKey(k), f.doubleValue());
                case Number n -> b.put(AttributeKey.longKey(k), n.longValue());
                default -> b.put(AttributeKey.stringKey(k), v.toString());
            }
        });
        return b.build();
    }

    @Override public String getName() { return view.name(); }

    @Override public SpanKind getKind() {
        return view.kind() == SpanView.Kind.SERVER ? SpanKind.SERVER : SpanKind.INTERNAL;
    }

    @Override public SpanContext getSpanContext() { return context; }

    @Override public SpanContext getParentSpanContext() { return parent; }

    @Override public StatusData getStatus() { return status; }

    @Override public long getStartEpochNanos() { return view.startEpochNanos(); }

    @Override public Attributes getAttributes() { return attributes; }

    @Override public List<EventData> getEvents() { return List.of(); }

    @Override public List<LinkData> getLinks() { return List.of(); }

    @Override public long getEndEpochNanos() { return view.endEpochNanos(); }

    @Override public boolean hasEnded() { return true; }

    @Override public int getTotalRecordedEvents() { return 0; }

    @Override public int getTotalRecordedLinks() { return 0; }

    @Override public int getTotalAttributeCount() { return attributes.size(); }

    @Override public InstrumentationScopeInfo getInstrumentationScopeInfo() { return scope; }

    /** Still abstract in the SDK's interface, though nothing reads it any more. */
    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
        return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
    }

    @Override public Resource getResource() { return resource; }
}
