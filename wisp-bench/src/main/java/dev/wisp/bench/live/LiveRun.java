package dev.wisp.bench.live;

import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.sim.SimListener;
import dev.wisp.bench.sim.SimOutcome;
import dev.wisp.bench.sim.Window;
import dev.wisp.server.ServerConfig;
import dev.wisp.server.TelemetrySettings;
import dev.wisp.server.WispServer;
import dev.wisp.telemetry.JsonLinesReader;
import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.Subscription;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

/**
 * {@code wisp bench run --mode live}: a scenario against a real Wisp server, in real time.
 *
 * <p>Starts a Wisp server in this process (or uses the one at a target URL), deploys each scenario
 * function as a synthetic function in its runtime through the Lambda API, drives the workload and
 * the injections with an open-loop load generator, each source label calling with its own access
 * key, and hands the server's telemetry to the listener shifted onto the scenario's clock: the live
 * part's real start is the scenario's {@code startTime}. See {@link LivePlan} for how each
 * injection is realised.
 */
public final class LiveRun {
    /** Bound on requests in flight from the load generator; arrivals beyond it are dropped and counted. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    /** How long the run waits after the scored part for requests still in flight. */
    private static final long DRAIN_MILLIS = 20_000;

    private final Scenario scenario;
    private final URI target;
    private final Path workDir;
    private PrintStream out = System.out;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private volatile Map<String, String> sourceKeys = Map.of();
    private volatile LiveStats stats;
    private volatile LiveTraces.Fit traceFit;

    public LiveRun(Scenario s, URI targetOrNull, Path workDir) {
        this.scenario = s;
        this.target = targetOrNull;
        this.workDir = workDir;
    }

    /** Where the run says what it does (scaling, skipped injections, totals); default standard output. */
    public LiveRun output(PrintStream out) {
        this.out = out;
        return this;
    }

    public LiveRun maxInFlight(int n) {
        this.maxInFlight = n;
        return this;
    }

    /** Source label to the access-key id its requests were signed with (the records' {@code sourceId}); filled by {@link #run}. */
    public Map<String, String> sourceKeys() { return sourceKeys; }

    /** What the load generator did; filled by {@link #run}. */
    public LiveStats stats() { return stats; }

    /** How the scenario's real traces were fitted to this machine (see {@link LiveTraces}); filled by {@link #run}. */
    public LiveTraces.Fit traceFit() { return traceFit; }

    public SimOutcome run(SimListener listener, DoubleConsumer progress) throws Exception {
        long wallStart = System.nanoTime();
        Files.createDirectories(workDir);
        LivePlan plan = LivePlan.of(scenario, out);
        traceFit = plan.traceFit();
        TelemetryForwarder forwarder = new TelemetryForwarder(listener, progress);
        WispServer server = null;
        Subscription subscription = null;
        DependencyServer dependency = plan.needsDependency() ? new DependencyServer() : null;
        LiveActions actions = null;
        try {
            WispEndpoint endpoint;
            if (target == null) {
                Path data = Files.createTempDirectory(workDir, "live-" + safe(scenario.name()) + "-");
                server = new WispServer(serverConfig(plan, data));
                endpoint = WispEndpoint.ofLocal(server);
                subscription = server.bus().subscribe("bench-live", 262_144, x -> true, forwarder::offer);
                out.printf("live: Wisp server on %s (isolation: %s), data in %s%n", endpoint.uri(), server.isolation(), data);
            } else {
                endpoint = new WispEndpoint(target, adminFromEnvironment());
                if (!endpoint.healthy()) throw new IllegalStateException("no Wisp server answers /health at " + target);
                out.printf("live: using the Wisp server at %s; its telemetry is exported after the run and replayed%n", target);
            }
            actions = new LiveActions(endpoint, plan, dependency, out);
            actions.prepare(); // keys, deployments, function URLs, clients
            sourceKeys = actions.sourceKeyIds();

            long scenarioStart = scenario.startTime().toEpochMilli();
            long scenarioEnd = scenarioStart + Math.round(scenario.durationSeconds() * 1000);
            actions.warmUp(scenarioStart);
            long realStart = System.currentTimeMillis() + 1000;
            TelemetryShift shift = TelemetryShift.mapping(realStart, scenarioStart);
            actions.clock(shift);
            Map<String, String> labels = new java.util.HashMap<>();
            sourceKeys.forEach((label, keyId) -> labels.put(keyId, label));
            forwarder.start(realStart, scenarioStart, scenarioEnd, target == null, labels);
            out.printf("live: %s runs %.0f s of real time from now; %,d arrivals planned%n", scenario.name(),
                    scenario.durationSeconds(), plan.invocations());

            LoadGenerator load = new LoadGenerator(actions.steps(), maxInFlight);
            load.run(shift::toReal);
            long untilEnd = shift.toReal(scenarioEnd) - System.currentTimeMillis();
            if (untilEnd > 0) Thread.sleep(untilEnd);
            actions.closeOpenWindows();
            int stillInFlight = load.awaitQuiet(DRAIN_MILLIS);
            Thread.sleep(1500); // the last resource samples and records through the bus
            long realEnd = System.currentTimeMillis();
            if (target != null) forwarder.replay(exportTelemetry(endpoint, realStart, realEnd));
            forwarder.close();
            if (subscription != null && subscription.dropped() > 0) {
                out.printf("live: the telemetry bus dropped %,d items for the bench (subscriber full)%n", subscription.dropped());
            }
            stats = new LiveStats(load.invocationsPlanned(), load.started(), load.dropped(), load.failedToSend(),
                    stillInFlight, load.peakInFlight(), load.maxLagMillis(), actions.outcomes(), forwarder.records(),
                    forwarder.dropped());
            out.println("live: " + stats.summary());
            double wall = (System.nanoTime() - wallStart) / 1e9;
            return new SimOutcome(forwarder.scoredRecords(), forwarder.records(), actions.injectionWindows(),
                    actions.benignWindows(), wall);
        } finally {
            forwarder.close();
            if (actions != null) actions.close();
            if (dependency != null) dependency.close();
            if (server != null) server.close();
        }
    }

    private ServerConfig serverConfig(LivePlan plan, Path data) {
        ServerConfig d = ServerConfig.defaults(data, 0);
        int perFunction = plan.maxInstancesPerFunction() > 0 ? plan.maxInstancesPerFunction() : d.maxInstancesPerFunction();
        int host = Math.max(d.maxInstancesHost(), perFunction * plan.functionCount() + 8);
        int tenant = plan.accountConcurrency() > 0 ? plan.accountConcurrency() : d.tenantConcurrency();
        return new ServerConfig("127.0.0.1", 0, data, false, Duration.ofMillis(plan.keepAliveMillis()), perFunction, host,
                tenant, d.asyncBackoff(), d.isolation(), plan.prewarmPool(), TelemetrySettings.DEFAULTS);
    }

    private static WispEndpoint.Key adminFromEnvironment() {
        String id = System.getenv("AWS_ACCESS_KEY_ID");
        String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (id == null || secret == null) {
            throw new IllegalStateException("live mode against a target needs an admin key in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        return new WispEndpoint.Key("admin", id, secret);
    }

    /** All four streams of [from, to] from the target's export API, in time order. */
    private static List<Object> exportTelemetry(WispEndpoint endpoint, long from, long to) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("wisp-bench-export");
        try {
            for (JsonLinesSink.Stream s : JsonLinesSink.Stream.values()) {
                String name = s.fileName.substring(0, s.fileName.indexOf('.'));
                HttpResponse<String> r = endpoint.send(endpoint.admin(), "GET", endpoint.uri().resolve(
                        "/wisp/telemetry/export?stream=" + name + "&from=" + from + "&to=" + to), "", Duration.ofMinutes(2));
                if (r.statusCode() != 200) throw new IOException("exporting " + name + " failed: " + r.statusCode() + " " + r.body());
                Files.writeString(dir.resolve(s.fileName), r.body(), StandardCharsets.UTF_8);
            }
            List<Object> items = new ArrayList<>();
            JsonLinesReader.read(dir, items::add);
            items.sort(Comparator.comparingLong(TelemetryShift::timestampOf));
            return items;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** What the load generator did, per outcome. */
    public record LiveStats(long planned, long sent, long droppedByGenerator, long clientFailures, int stillInFlight,
                            int peakInFlight, long maxLagMillis, Map<String, Long> outcomes, long records,
                            long telemetryDropped) {
        public String summary() {
            return String.format("%,d arrivals planned, %,d sent, %,d dropped by the generator (in-flight bound), "
                            + "%,d client failures, peak %d in flight, max lag %d ms, outcomes %s; %,d invocation records%s",
                    planned, sent, droppedByGenerator, clientFailures, peakInFlight, maxLagMillis, outcomes, records,
                    stillInFlight > 0 ? "; " + stillInFlight + " still in flight at the end" : "");
        }
    }

    static Map<String, Long> copy(Map<String, Long> m) { return new LinkedHashMap<>(m); }
}
