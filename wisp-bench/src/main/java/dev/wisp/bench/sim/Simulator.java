package dev.wisp.bench.sim;

import dev.wisp.bench.scenario.BenignEvent;
import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.bench.scenario.Injection;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.WorkloadStream;
import dev.wisp.common.ManualClock;
import dev.wisp.invoker.FunctionSpec;
import dev.wisp.telemetry.model.Trigger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Sim mode: runs a scenario on a virtual clock, from {@code startTime - historyDays} to the end of
 * its scored part, and hands every piece of telemetry to a listener as it happens. The same seed
 * gives the same telemetry, item for item.
 */
public final class Simulator {
    /** Tenant of the scenario's functions, and of the noisy neighbour's hog. */
    public static final String TENANT = "bench";
    public static final String NEIGHBOUR_TENANT = "neighbour";
    public static final String HOG_FUNCTION = "hog";
    private static final long SECOND = 1_000_000_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final double HOG_INIT_MS = 200;

    private final Scenario scenario;

    public Simulator(Scenario scenario) {
        this.scenario = scenario;
    }

    /** Runs the whole scenario; {@code progress} hears the share of virtual time done, about every 1 %. */
    public SimOutcome run(SimListener listener, DoubleConsumer progress) {
        long t0 = System.nanoTime();
        Run run = new Run(listener);
        run.setUp();
        run.loop(progress);
        return new SimOutcome(run.platform.scoredInvocations, run.platform.totalInvocations, run.injectionWindows,
                run.benignWindows, (System.nanoTime() - t0) / 1e9);
    }

    /** One run's state; a Simulator may run its scenario more than once. */
    private final class Run {
        final long startMillis = scenario.startTime().toEpochMilli();
        /** Virtual time 0, on a whole second so the once-a-second ticks fall on whole seconds. */
        final long originMillis = Math.floorDiv(startMillis - Math.round(scenario.historyDays() * DAY_MS), 1000L) * 1000L;
        final long endMillis = startMillis + Math.round(scenario.durationSeconds() * 1000);
        final long endNanos = (endMillis - originMillis) * 1_000_000L;
        final SimListener listener;
        final ManualClock clock = new ManualClock(originMillis);
        final SimPlatform platform;
        final Map<String, SimFunction> functions = new LinkedHashMap<>();
        final Map<String, List<Window>> injectionWindows = new LinkedHashMap<>();
        final Map<String, List<Window>> benignWindows = new LinkedHashMap<>();
        /** The scenario's workload streams, then those of the functions {@code traceFunctions} added. */
        List<WorkloadStream> workload = scenario.workload();

        Run(SimListener listener) {
            this.listener = listener;
            var p = scenario.platform();
            platform = new SimPlatform(clock, listener, random("ids"), p.hostCpuMillicores(), p.keepAliveSeconds(),
                    p.maxInstancesPerFunction(), p.accountConcurrency(), startMillis);
        }

        /** A generator of its own for each named part, so one part's draws never shift another's. */
        SplittableRandom random(String key) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < key.length(); i++) {
                h ^= key.charAt(i);
                h *= 0x100000001b3L;
            }
            return new SplittableRandom(scenario.seed() * 0x9E3779B97F4A7C15L ^ h);
        }

        long nanosAt(long epochMillis) { return Math.max(0, (epochMillis - originMillis) * 1_000_000L); }

        long scenarioMillis(double secondsFromStart) { return startMillis + Math.round(secondsFromStart * 1000); }

        void setUp() {
            List<FunctionDef> defs = new ArrayList<>(scenario.functions());
            List<WorkloadStream> workload = new ArrayList<>(scenario.workload());
            Map<String, int[]> traceCounts = new LinkedHashMap<>();
            if (scenario.traceFunctions() != null) {
                TraceCatalog.addTraceFunctions(scenario.traceFunctions(), defs, workload, traceCounts);
            }
            this.workload = workload;
            for (FunctionDef d : defs) addFunction(d, TENANT);
            for (Injection inj : scenario.injections()) {
                if (inj.type().equals(Injection.NOISY_NEIGHBOUR)) {
                    addFunction(new FunctionDef(HOG_FUNCTION, "provided", "hog", 1024,
                            (int) Math.ceil(inj.durationSeconds()) + 120, null, new Distribution.Const(HOG_INIT_MS),
                            new Distribution.Const(0), inj.cpuMillicores(), 0, null), NEIGHBOUR_TENANT);
                    break;
                }
            }
            platform.reservationsChanged();
            for (int i = 0; i < workload.size(); i++) {
                WorkloadStream w = workload.get(i);
                long from = w.startSecond() == null ? 0 : nanosAt(scenarioMillis(w.startSecond()));
                long to = w.durationSeconds() == null ? endNanos
                        : Math.min(endNanos, from + Math.round(w.durationSeconds() * 1e9));
                Traffic t = traffic(w.function(), w.trigger(), List.of(w.source()), "workload:" + i + ":" + w.function(),
                        w.pattern(), from, to);
                if (w.pattern() instanceof Pattern.Trace tr) t.withTraceCounts(traceCounts.computeIfAbsent(
                        tr.file() + "#" + tr.function(), k -> TraceCatalog.countsOf(tr)));
                t.begin();
            }
            for (BenignEvent b : scenario.benign()) benign(b);
            for (Injection inj : scenario.injections()) inject(inj);
        }

        private void addFunction(FunctionDef d, String tenant) {
            SimFunction f = new SimFunction(d, tenant, random("init:" + tenant + "/" + d.name()));
            functions.put(tenant + "/" + d.name(), f);
            platform.register(f);
        }

        private SimFunction fn(String name) {
            SimFunction f = functions.get(TENANT + "/" + name);
            if (f == null && scenario.traceFunctions() != null && name.startsWith("t-")) {
                throw new IllegalArgumentException("scenario " + scenario.name() + ": trace function " + name
                        + " was not sampled by traceFunctions; name it in functions with its own trace stream");
            }
            if (f == null) throw new IllegalArgumentException("scenario " + scenario.name() + " has no function " + name);
            return f;
        }

        private Traffic traffic(String function, String trigger, List<String> sources, String key, Pattern pattern,
                                long from, long to) {
            return new Traffic(platform, fn(function), trigger(trigger), sources, random(key), pattern, from, to, originMillis);
        }

        private Trigger trigger(String wire) { return Trigger.valueOf(wire.toUpperCase(Locale.ROOT)); }

        /** How a function is normally invoked: its first workload stream's trigger and source. */
        private WorkloadStream usual(String function) {
            for (WorkloadStream w : workload) {
                if (w.function().equals(function)) return w;
            }
            return null;
        }

        private String usualTrigger(String function) {
            WorkloadStream w = usual(function);
            return w == null ? "sdk" : w.trigger();
        }

        private String usualSource(String function) {
            WorkloadStream w = usual(function);
            return w == null ? "clients" : w.source();
        }

        // ---- benign events ----

        private void benign(BenignEvent b) {
            long period = switch (b.recurs() == null ? "" : b.recurs()) {
                case "daily" -> DAY_MS;
                case "weekly" -> 7 * DAY_MS;
                default -> 0;
            };
            long start = scenarioMillis(b.startSecond());
            long length = Math.round(b.durationSeconds() * 1000);
            List<Window> windows = benignWindows.computeIfAbsent(b.id(), k -> new ArrayList<>());
            List<Long> starts = new ArrayList<>();
            if (period == 0) {
                starts.add(start);
            } else {
                long first = start - Math.floorDiv(start - originMillis + length, period) * period;
                for (long s = first; s < endMillis; s += period) {
                    if (s + length > originMillis) starts.add(s);
                }
            }
            for (long s : starts) {
                long from = Math.max(s, originMillis);
                long to = Math.min(s + length, endMillis);
                if (to <= from) continue;
                windows.add(new Window(s, s + length));
                traffic(b.function(), b.trigger(), List.of(b.source()), "benign:" + b.id() + ":" + s, b.pattern(),
                        nanosAt(from), nanosAt(to)).begin();
            }
        }

        // ---- injections (SCHEMA.md's table) ----

        private void inject(Injection inj) {
            long start = scenarioMillis(inj.startSecond());
            long length = Math.round(inj.durationSeconds() * 1000);
            long end = start + length;
            List<Window> windows = injectionWindows.computeIfAbsent(inj.id(), k -> new ArrayList<>());
            String key = "injection:" + inj.id();
            switch (inj.type()) {
                case Injection.DOS_BURST -> {
                    SplittableRandom gaps = random(key + ":gaps");
                    int bursts = inj.repeat() == null ? 1 : inj.repeat().count();
                    long s = start;
                    for (int b = 0; b < bursts; b++) {
                        windows.add(new Window(s, s + length));
                        poisson(inj, inj.ratePerSecond(), List.of(inj.source()), key + ":" + b, s, s + length).begin();
                        if (inj.repeat() != null) s += length + Math.round(inj.repeat().gapSeconds().sample(gaps) * 1000);
                    }
                }
                case Injection.DOW -> {
                    List<String> sources = new ArrayList<>();
                    int n = inj.sources() == null ? 1 : inj.sources();
                    if (n == 1) sources.add(inj.source());
                    else for (int i = 1; i <= n; i++) sources.add(inj.source() + "-" + i);
                    windows.add(new Window(start, end));
                    poisson(inj, inj.ratePerSecond(), sources, key, start, end).begin();
                }
                case Injection.COLD_START_AMPLIFICATION -> {
                    windows.add(new Window(start, end));
                    long s = start;
                    List<String> source = List.of(inj.source() != null ? inj.source() : usualSource(inj.function()));
                    for (int c = 0; c < inj.cycles(); c++) {
                        long burst = Math.round(inj.burstSeconds() * 1000);
                        poisson(inj, inj.burstRatePerSecond(), source, key + ":" + c, s, s + burst).begin();
                        s += burst + Math.round(inj.idleSeconds() * 1000);
                    }
                }
                case Injection.DEPENDENCY_FAILURE -> {
                    windows.add(new Window(start, end));
                    SimFunction f = fn(inj.function());
                    at(start, () -> {
                        f.dependencyErrorRate = inj.errorRate();
                        f.dependencyLatency = inj.addedLatencyMs();
                    });
                    at(end, () -> {
                        f.dependencyErrorRate = Double.NaN;
                        f.dependencyLatency = null;
                    });
                }
                case Injection.NOISY_NEIGHBOUR -> {
                    windows.add(new Window(start, end));
                    SimFunction hog = functions.get(NEIGHBOUR_TENANT + "/" + HOG_FUNCTION);
                    SplittableRandom r = random(key);
                    at(start, () -> {
                        // one hog invocation per core it burns, each running through the window
                        int k = (int) Math.max(1, Math.ceil(inj.cpuMillicores() / 1000));
                        for (int i = 0; i < k; i++) {
                            Call c = platform.newCall(hog, Trigger.SDK, NEIGHBOUR_TENANT, r);
                            c.hogCpu = inj.cpuMillicores() / k;
                            c.forcedExecMs = Math.max(1, length - HOG_INIT_MS);
                            platform.arrive(c);
                        }
                    });
                }
                case Injection.LATENCY_REGRESSION -> {
                    windows.add(new Window(start, end));
                    SimFunction f = fn(inj.function());
                    // a deploy of $LATEST: a new revision with fresh instances, rolled back at the end
                    at(start, () -> {
                        FunctionSpec old = f.redeploy();
                        f.execOverride = inj.execMs();
                        platform.pool.retire(s -> s == old);
                    });
                    at(end, () -> {
                        FunctionSpec old = f.redeploy();
                        f.execOverride = null;
                        platform.pool.retire(s -> s == old);
                    });
                }
                case Injection.TRIGGER_ABUSE -> {
                    windows.add(new Window(start, end));
                    poisson(inj, inj.ratePerSecond(), List.of(inj.source()), key, start, end).begin();
                }
                case Injection.RETRY_STORM -> {
                    windows.add(new Window(start, end));
                    String source = inj.source() != null ? inj.source() : usualSource(inj.function());
                    Traffic t = new Traffic(platform, fn(inj.function()), Trigger.EVENT, List.of(source), random(key),
                            new Pattern.Poisson(inj.ratePerSecond()), nanosAt(start), nanosAt(Math.min(end, endMillis)),
                            originMillis);
                    t.forcedErrorRate = inj.errorRate();
                    t.begin();
                }
                case Injection.QUEUEING_COLLAPSE -> {
                    windows.add(new Window(start, end));
                    at(start, () -> platform.collapse(inj.dispatchCapacityFactor()));
                    at(end, platform::endCollapse);
                }
                default -> throw new IllegalArgumentException("unknown injection type " + inj.type());
            }
        }

        private Traffic poisson(Injection inj, double rate, List<String> sources, String key, long fromMillis, long toMillis) {
            String trigger = inj.trigger() != null ? inj.trigger() : usualTrigger(inj.function());
            return traffic(inj.function(), trigger, sources, key, new Pattern.Poisson(rate), nanosAt(fromMillis),
                    nanosAt(Math.min(toMillis, endMillis)));
        }

        private void at(long epochMillis, Runnable task) {
            if (epochMillis > endMillis) return;
            platform.scheduler.at(nanosAt(epochMillis), new Event.Task(task));
        }

        // ---- the event loop ----

        void loop(DoubleConsumer progress) {
            VirtualScheduler s = platform.scheduler;
            long nextSecond = SECOND;
            long progressStep = Math.max(SECOND, endNanos / 100);
            long nextProgress = progressStep;
            while (true) {
                Event e = s.peek();
                long te = e == null ? Long.MAX_VALUE : e.at;
                long tc = platform.cpu.nextCompletion();
                long t = Math.min(te, tc);
                while (nextSecond <= t && nextSecond <= endNanos) {
                    s.advanceTo(nextSecond);
                    platform.sample();
                    listener.tick(clock.wallMillis());
                    if (nextSecond >= nextProgress) {
                        progress.accept((double) nextSecond / endNanos);
                        nextProgress += progressStep;
                    }
                    nextSecond += SECOND;
                }
                if (t >= endNanos) break;
                s.advanceTo(t);
                if (tc <= te) {
                    platform.finishExecutions(t);
                } else {
                    s.take();
                    e.fire();
                }
            }
            s.advanceTo(endNanos);
            progress.accept(1.0);
        }
    }
}
