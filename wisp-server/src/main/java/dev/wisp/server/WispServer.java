package dev.wisp.server;

import dev.wisp.common.Clock;
import dev.wisp.common.SystemClock;
import dev.wisp.common.SystemScheduler;
import dev.wisp.controller.AsyncInvoker;
import dev.wisp.controller.ConcurrencyLimiter;
import dev.wisp.controller.Dispatcher;
import dev.wisp.controller.MitigationGuard;
import dev.wisp.controller.registry.CodeStore;
import dev.wisp.controller.registry.Database;
import dev.wisp.controller.registry.FunctionConfig;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.controller.registry.FunctionUrls;
import dev.wisp.gateway.Gateway;
import dev.wisp.gateway.auth.AccessKeyStore;
import dev.wisp.invoker.InstancePool;
import dev.wisp.invoker.process.ProcessInstanceBackend;
import dev.wisp.controller.cost.BudgetWatcher;
import dev.wisp.controller.cost.Budgets;
import dev.wisp.gateway.MetricsEndpoint;
import dev.wisp.gateway.WatchingPlane;
import dev.wisp.metrics.WispMetrics;
import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.server.watch.ControllerEnforcer;
import dev.wisp.server.watch.DetectionWarmUp;
import dev.wisp.server.watch.IncidentBook;
import dev.wisp.server.watch.IncidentSink;
import dev.wisp.server.watch.JsonLinesIncidentSink;
import dev.wisp.server.watch.LiveDetection;
import dev.wisp.server.watch.MitigationPolicy;
import dev.wisp.server.watch.Mitigator;
import dev.wisp.server.watch.WebhookIncidentSink;
import dev.wisp.store.TelemetryStore;
import dev.wisp.telemetry.Subscription;
import dev.wisp.telemetry.TelemetryBus;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.tracing.OtlpTraceExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform in one process. Builds the layers bottom-up (telemetry, registry, invoker,
 * controller, gateway) and closes them top-down.
 */
public final class WispServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WispServer.class);
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final Gateway gateway;
    private final TelemetryBus bus;
    private final Optional<AccessKeyStore.Created> firstAdminKey;
    private final String isolation;
    private final AsyncInvoker async;
    private final TelemetryStore store;
    private final WispMetrics metrics;

    public WispServer(ServerConfig config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        Clock clock = SystemClock.INSTANCE;
        SystemScheduler scheduler = own(new SystemScheduler());
        bus = own(new TelemetryBus());
        TelemetrySettings ts = config.telemetry();
        // the store is opened even with telemetry off, so queries answer (empty) rather than fail
        store = own(TelemetryStore.open(config.dataDir().resolve("telemetry").resolve("wisp.duckdb")));
        metrics = new WispMetrics();
        if (ts.enabled()) {
            bus.subscribe("store", 262_144, TelemetryStore::accepts, store::accept, store::flushIfDue);
            bus.subscribe("metrics", 65_536, WispMetrics::wants, metrics);
            if (ts.otlpEndpoint() != null) {
                OtlpTraceExporter traces = own(new OtlpTraceExporter(ts.otlpEndpoint(), Map.of()));
                bus.subscribe("otlp", 65_536, x -> x instanceof InvocationRecord, traces::accept, traces::flush);
            }
            BusLogAppender.connect(bus::publish);
        }
        scheduler.every(3_600_000, () -> Thread.ofVirtual().name("retention").start(() ->
                store.deleteOlderThan(clock.wallMillis() - ts.retention().toMillis())));

        Database db = own(new Database(config.dataDir()));
        Budgets budgets = new Budgets(db);
        BudgetWatcher budgetWatcher = new BudgetWatcher(budgets,
                (tenant, from) -> store.queries().spentUsd(tenant, from, Long.MAX_VALUE), bus::publish);
        if (ts.enabled()) bus.subscribe("budgets", 65_536, x -> x instanceof InvocationRecord, budgetWatcher::accept);
        FunctionRegistry registry = new FunctionRegistry(db);
        CodeStore code = new CodeStore(config.dataDir());
        AccessKeyStore keys = new AccessKeyStore(db, config.dataDir(), clock);
        firstAdminKey = keys.isEmpty() ? Optional.of(keys.create("admin", true)) : Optional.empty();

        ProcessInstanceBackend backend = new ProcessInstanceBackend(config.invoker(), clock, bus::publish);
        isolation = backend.isolationSummary();
        InstancePool pool = own(new InstancePool(config.invoker(), backend, clock, scheduler, bus::publish));
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(config.tenantConcurrency());
        MitigationGuard guard = new MitigationGuard();
        Dispatcher dispatcher = new Dispatcher(registry, code, pool, limiter, clock, bus::publish, "local", config.prices(), guard);
        // the sampler reads /proc: off the timer thread, which also fires invocation timeouts
        var sampler = new dev.wisp.invoker.process.ResourceSampler(backend, pool, clock, bus::publish, dispatcher::waitingAtGate);
        scheduler.every(1000, () -> Thread.ofVirtual().name("resource-sampler").start(sampler));
        registry.allLatest().stream().map(FunctionConfig::tenant).distinct().forEach(dispatcher::reservationsChanged);
        async = own(new AsyncInvoker(db, registry, dispatcher, scheduler, clock, config.asyncBackoff().toMillis(), metrics::asyncRetry));

        // provisioned concurrency survives a restart
        for (FunctionConfig f : registry.allLatest()) {
            registry.settings(f.tenant(), f.name(), "provisioned:").forEach((qualifier, n) ->
                    pool.provision(dispatcher.specOf(registry.resolve(f.tenant(), f.name(), qualifier)), n));
        }
        Supplier<List<Incident>> incidents = List::of;
        if (ts.enabled() && config.detection().enabled()) {
            LiveDetection live = own(liveDetection(config, clock, scheduler,
                    new ControllerEnforcer(guard, registry, dispatcher, pool)));
            incidents = live::incidents;
        }
        registerMetrics(pool);
        MetricsEndpoint metricsEndpoint = new MetricsEndpoint(config.dataDir().resolve("metrics.token"), metrics::scrape,
                WispMetrics.CONTENT_TYPE);
        gateway = own(new Gateway(config.host(), config.port(), clock, keys, config.insecureLocal(), registry, code, pool,
                dispatcher, async, new FunctionUrls(db), () -> status(pool),
                new WatchingPlane(store, budgets, budgetWatcher, metricsEndpoint, metrics::authFailure, incidents, bus)));
        async.recover();
    }

    /**
     * Detection on the bus: incidents journaled under DATA (and reloaded), sent to the incident log
     * and webhook, and mitigated — audited always, enforced only with {@code --mitigate}.
     */
    private LiveDetection liveDetection(ServerConfig config, Clock clock, SystemScheduler scheduler, ControllerEnforcer enforcer) {
        DetectionSettings d = config.detection();
        IncidentBook book = IncidentBook.open(config.dataDir().resolve("incidents.jsonl"), clock.wallMillis());
        // incidents are kept as long as the telemetry that explains them
        long retention = config.telemetry().retention().toMillis();
        book.expire(clock.wallMillis() - retention);
        scheduler.every(3_600_000, () -> book.expire(clock.wallMillis() - retention));
        List<IncidentSink> sinks = new ArrayList<>();
        if (d.incidentLog() != null && !d.incidentLog().toAbsolutePath().normalize().equals(book.file())) {
            sinks.add(new JsonLinesIncidentSink(d.incidentLog()));
        }
        if (d.webhook() != null) sinks.add(new WebhookIncidentSink(d.webhook()));
        Mitigator mitigator = new Mitigator(MitigationPolicy.defaults(), d.mitigate() ? enforcer : null, bus::publish, clock);
        long startedAt = clock.wallMillis();
        return new LiveDetection(bus, scheduler, clock, new DetectionEngine(DetectionConfig.defaults()), book, sinks, mitigator,
                engine -> {
                    DetectionWarmUp.Result warm = DetectionWarmUp.run(store.queries(), engine, startedAt);
                    if (warm.items() > 0) {
                        LOG.info("detection warmed up from {} stored telemetry items of the last {} min in {} ms", warm.items(),
                                (warm.toMillis() - warm.fromMillis()) / 60_000, warm.tookMillis());
                    }
                });
    }

    /** Values the metrics read from the platform when scraped, rather than from telemetry. */
    private void registerMetrics(InstancePool pool) {
        metrics.asyncBacklog(async::pending);
        metrics.deadLetters(async::deadLetterCount);
        metrics.storeLagSeconds(() -> store.lagMillis() / 1000.0);
        metrics.gauge("wisp_store_dropped", "Telemetry items the store could not write (a failed append or commit)", store::dropped);
        metrics.gauge("wisp_host_instances", "Instances on this host", pool::hostInstances);
        for (Subscription s : bus.subscriptions()) {
            metrics.busDropped(s.name(), s::dropped);
            metrics.gauge("wisp_telemetry_backlog", "Telemetry items waiting in a subscriber buffer", s::backlog,
                    "subscriber", s.name());
        }
    }

    private Map<String, Object> status(InstancePool pool) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("instances", pool.hostInstances());
        s.put("pendingEvents", async.pending());
        s.put("telemetryDropped", bus.dropped());
        return s;
    }

    private <T extends AutoCloseable> T own(T c) {
        closeables.push(c);
        return c;
    }

    public int port() { return gateway.port(); }

    /** The admin key created on this start, present only when the data directory was new. */
    public Optional<AccessKeyStore.Created> firstAdminKey() { return firstAdminKey; }

    public String isolation() { return isolation; }

    public TelemetryBus bus() { return bus; }

    @Override
    public void close() {
        BusLogAppender.connect(null);
        while (!closeables.isEmpty()) {
            try {
                closeables.pop().close();
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
    }
}
