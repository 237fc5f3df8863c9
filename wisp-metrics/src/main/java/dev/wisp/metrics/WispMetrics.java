package dev.wisp.metrics;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Wisp's Prometheus metrics. Subscribe {@link #accept} to the telemetry bus (with {@link #wants} as
 * the filter), register the server's own readings through {@link #gauge} and the named helpers,
 * and serve {@link #scrape()} with {@link #CONTENT_TYPE}.
 *
 * <p>Thread-safe: the bus calls {@code accept} on its drain thread while HTTP threads scrape.
 */
public final class WispMetrics implements Consumer<Object>, AutoCloseable {
    /** The Prometheus text exposition format, which is what {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How long a function's sampled gauges outlive its last sample. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);
    private static final String PREFIX = "wisp_";
    private static final List<String> RESERVED_SUFFIXES = List.of("_created", "_info", "_bucket", "_count", "_sum");
    /**
     * Families this class fills from telemetry, registered lazily on the first item: an outside
     * meter of the same name would make them fail then, on the bus thread, so the name is refused up front.
     */
    static final Set<String> TELEMETRY_FAMILIES = Set.of("wisp_invocations", "wisp_invocation_errors",
            "wisp_invocation_duration_seconds", "wisp_invocation_duration_seconds_max", "wisp_invocation_init_duration_seconds",
            "wisp_invocation_init_duration_seconds_max", "wisp_invocation_wait_seconds", "wisp_invocation_wait_seconds_max",
            "wisp_cold_starts", "wisp_gb_seconds", "wisp_cost_usd", "wisp_instances", "wisp_concurrent_executions",
            "wisp_queued_requests", "wisp_function_memory_used_bytes", "wisp_host_cpu_millicores", "wisp_host_memory_used_bytes",
            "wisp_throttles", "wisp_budget_crossings", "wisp_mitigation_actions");

    // a name clash (two meters mapping to one Prometheus name) throws instead of silently dropping a meter
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
            .throwExceptionOnRegistrationFailure();
    private final InstantSource clock;
    private final FunctionGauges functions;
    private final InvocationMeters invocations;
    private final EventMeters events;
    private final ResourceMeters resources;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter authFailures;
    private final Counter asyncRetries;
    private volatile long nextExpiryMillis;

    public WispMetrics() {
        this(InstantSource.system(), DEFAULT_STALE_AFTER);
    }

    /**
     * @param clock      receive time, used only to expire gauges of functions that stopped reporting
     * @param staleAfter how long without samples before a function's gauges are dropped
     */
    public WispMetrics(InstantSource clock, Duration staleAfter) {
        this.clock = clock;
        this.functions = new FunctionGauges(registry, clock, staleAfter);
        this.invocations = new InvocationMeters(registry);
        this.events = new EventMeters(registry, functions);
        this.resources = new ResourceMeters(registry, functions);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        authFailures = Counter.builder("wisp.auth.failures").description("Requests refused for bad or missing credentials")
                .register(registry);
        asyncRetries = Counter.builder("wisp.async.retries").description("Asynchronous invocations retried after a failure")
                .register(registry);
    }

    /** The bus filter: log lines and anything unknown are not worth buffering for this subscriber. */
    public static boolean wants(Object item) {
        return item instanceof InvocationRecord || item instanceof PlatformEvent || item instanceof ResourceSample;
    }

    /** The telemetry bus consumer. */
    @Override
    public void accept(Object item) {
        switch (item) {
            case InvocationRecord r -> invocations.record(r);
            case PlatformEvent e -> events.accept(e);
            case ResourceSample s -> resources.accept(s);
            case null, default -> { }
        }
        expireAtMostEverySecond();
    }

    /** The current values in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        functions.expire();
        return registry.scrape();
    }

    public void scrape(OutputStream out) throws IOException {
        functions.expire();
        registry.scrape(out);
    }

    public String contentType() {
        return CONTENT_TYPE;
    }

    /** A request refused by authentication (any endpoint). */
    public void authFailure() {
        authFailures.increment();
    }

    /** An asynchronous invocation attempt is retried. */
    public void asyncRetry() {
        asyncRetries.increment();
    }

    /** Events currently held as dead letters. */
    public Registration deadLetters(Supplier<? extends Number> count) {
        return gauge("wisp_async_dead_letters", "Asynchronous events held as dead letters", count);
    }

    /** Asynchronous events accepted and not yet delivered. */
    public Registration asyncBacklog(Supplier<? extends Number> count) {
        return gauge("wisp_async_queue_backlog", "Asynchronous events waiting for delivery", count);
    }

    /** Items a telemetry bus subscriber has dropped so far (its buffer was full). */
    public Registration busDropped(String subscriber, Supplier<? extends Number> dropped) {
        return gauge("wisp_telemetry_dropped", "Telemetry items dropped by a full subscriber buffer", dropped,
                "subscriber", subscriber);
    }

    /** How far the telemetry store is behind what has been published. */
    public Registration storeLagSeconds(Supplier<? extends Number> seconds) {
        return gauge("wisp_store_lag_seconds", "Age of the oldest telemetry item not yet written to the store", seconds);
    }

    /**
     * A gauge read from {@code value} at every scrape. Registering the same name and tags again
     * replaces the earlier supplier (a restarted component re-registers).
     *
     * @param name lower-case Prometheus name starting with {@code wisp_}
     * @param tags label name/value pairs
     * @throws IllegalArgumentException for a malformed name or one that clashes with another meter
     *         (a counter {@code x} is exposed as {@code x_total}, so a gauge {@code x} clashes with it)
     */
    public Registration gauge(String name, String help, Supplier<? extends Number> value, String... tags) {
        checkName(name, true);
        Tags t = Tags.of(tags);
        synchronized (registry) {
            Gauge old = current(name, t);
            if (old != null) registry.remove(old);
            Gauge g = Gauge.builder(name, value::get).description(help).tags(t).strongReference(true).register(registry);
            return () -> removeIfCurrent(g);
        }
    }

    /** Closing a replaced registration must not remove its replacement, which has the same id. */
    private void removeIfCurrent(Gauge g) {
        synchronized (registry) {
            if (current(g.getId().getName(), Tags.of(g.getId().getTags())) == g) registry.remove(g);
        }
    }

    /** The gauge with exactly these tags ({@code find} alone would also match gauges with more tags). */
    private Gauge current(String name, Tags tags) {
        for (Gauge g : registry.find(name).tags(tags).gauges()) {
            if (Tags.of(g.getId().getTags()).equals(tags)) return g;
        }
        return null;
    }

    /**
     * Adds one to a counter of the server's own (exposed as {@code <name>_total}).
     *
     * @throws IllegalArgumentException as for {@link #gauge}
     */
    public void count(String name, String help, String... tags) {
        checkName(name, false);
        Counter.builder(name).description(help).tags(tags).register(registry).increment();
    }

    /** For server components that want Micrometer directly (their meters appear in the same scrape). */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private void expireAtMostEverySecond() {
        long now = clock.millis();
        if (now < nextExpiryMillis) return;
        nextExpiryMillis = now + 1_000;
        functions.expire();
    }

    /**
     * The Prometheus client silently strips suffixes it reserves for its own series, which would
     * expose a different name than the caller asked for; a gauge ending in _total would read as a counter.
     */
    private static void checkName(String name, boolean gauge) {
        if (name == null || !name.startsWith(PREFIX) || !name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("metric name must be lower-case snake case starting with " + PREFIX + ": " + name);
        }
        boolean reserved = RESERVED_SUFFIXES.stream().anyMatch(name::endsWith) || gauge && name.endsWith("_total");
        if (reserved) throw new IllegalArgumentException("metric name ends in a suffix Prometheus reserves: " + name);
        String family = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        if (TELEMETRY_FAMILIES.contains(family)) throw new IllegalArgumentException("metric name is filled from telemetry: " + name);
    }
}
