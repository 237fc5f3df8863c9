package dev.wisp.bench.live;

import dev.wisp.bench.scenario.BenignEvent;
import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.bench.scenario.Injection;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.WorkloadStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/**
 * What a live run will do, worked out from the scenario before anything runs: the functions to
 * deploy, every arrival (scenario time, function, trigger, source) and every control step. All
 * randomness comes from the scenario's seed, so the same scenario plans the same arrivals.
 *
 * <p>How each injection is realised against a real server:
 * <ul>
 *   <li>{@code dos-burst}: Poisson arrivals at {@code ratePerSecond} from the attacker's own key(s)
 *       (one per {@code sources}), through the function's usual synchronous trigger; {@code repeat}
 *       adds bursts after sampled gaps;</li>
 *   <li>{@code dow}: a steady low rate from the scraper's key(s);</li>
 *   <li>{@code cold-start-amplification}: {@code cycles} bursts separated by {@code idleSeconds}
 *       of silence from the attacker, so each burst finds the pool cold when idle exceeds keep-alive;</li>
 *   <li>{@code dependency-failure}: the function calls a dependency on loopback, which fails a share
 *       of calls and answers late during the window;</li>
 *   <li>{@code latency-regression}: UpdateFunctionConfiguration to a slower execution distribution
 *       at the start (a deploy: old instances retire), and back at the end;</li>
 *   <li>{@code trigger-abuse}: calls through the named trigger from the named source;</li>
 *   <li>{@code retry-storm}: Event invocations whose payload asks the function to fail, so the
 *       platform retries them;</li>
 *   <li>{@code noisy-neighbour}: a CPU-burning function of another tenant, invoked so that about
 *       {@code cpuMillicores} of CPU burn during the window;</li>
 *   <li>{@code queueing-collapse}: the server's fault-injection knob
 *       ({@code POST /wisp/faults/dispatch-capacity}, admin key) cuts the controller's dispatch capacity
 *       to {@code dispatchCapacityFactor} times normal for the window, so invocations wait in the
 *       controller for their turn; restored ({@code DELETE}) at the end, when the backlog drains.</li>
 * </ul>
 * Triggers without a live path ({@code schedule}, {@code queue}) are sent as Event invocations and
 * {@code chain} as a synchronous SDK call; the run says so. Real traces ({@code trace} streams and
 * {@code traceFunctions}) are first fitted to the machine by {@link LiveTraces}, then each trace
 * stream's per-minute counts are spread within their minutes as sim mode does ({@link Arrivals.Trace}).
 */
final class LivePlan {
    static final String TENANT = "bench";
    static final String NEIGHBOUR_TENANT = "neighbour";
    static final String HOG = "neighbour-hog";
    /** Benign CPU the synthetic functions may burn on a 2-core host, in millicores; more is scaled down. */
    static final double CPU_BUDGET_MILLICORES = 1000;
    /** Benign arrivals per second the generator drives at most; more is scaled down. */
    static final double MAX_BENIGN_RATE = 150;

    record FunctionSpec(String name, String tenant, SyntheticCode code, int memoryMb, int timeoutSeconds,
                        Integer reservedConcurrency, String role, Map<String, String> env, boolean url) {}

    /** One arrival. */
    /** @param injected sent by an injection (an attack or fault), not by the scenario's benign traffic */
    record Call(long at, String function, String tenant, String trigger, String source, String payload, boolean injected) {}

    /** Something the run does at a time other than invoking. */
    sealed interface Control {
        long at();
    }

    record OpenWindow(long at, String id, boolean benign) implements Control {}

    record CloseWindow(long at, String id, boolean benign) implements Control {}

    /** A deploy: the function's environment replaced by {@code env}. */
    record Reconfigure(long at, String function, Map<String, String> env, String why) implements Control {}

    /**
     * The controller's dispatch capacity cut to {@code factor} times normal for {@code durationMillis}
     * (the server's fault-injection knob), or restored ({@code factor} 1).
     */
    record DispatchCollapse(long at, String id, double factor, long durationMillis) implements Control {}

    /** The dependency turns bad for {@code function} (fault non-null) or recovers (null). */
    record DependencyFault(long at, String function, DependencyServer.Fault fault) implements Control {}

    final Map<String, FunctionSpec> functions = new LinkedHashMap<>();
    final List<Call> calls = new ArrayList<>();
    final List<Control> controls = new ArrayList<>();
    /** tenant to its source labels */
    final Map<String, Set<String>> sources = new LinkedHashMap<>();
    final List<String> skipped = new ArrayList<>();
    private final Scenario s;
    private final PrintStream out;
    private final long start;
    private final long end;
    private final Map<String, String> syncTrigger = new LinkedHashMap<>();
    private final Set<String> dependencyTargets = new LinkedHashSet<>();
    private double cpuScale = 1;
    private double rateScale = 1;
    private long streamSeed;
    private LiveTraces.Fit traceFit;

    private LivePlan(Scenario s, PrintStream out) {
        this.s = s;
        this.out = out;
        this.start = s.startTime().toEpochMilli();
        this.end = start + Math.round(s.durationSeconds() * 1000);
        this.streamSeed = s.seed();
    }

    /** The plan of {@code s} after fitting its real traces to this machine ({@link LiveTraces}). */
    static LivePlan of(Scenario s, PrintStream out) {
        LiveTraces.Fit fit = LiveTraces.fit(s, out);
        LivePlan p = new LivePlan(fit.scenario(), out);
        p.traceFit = fit;
        p.build();
        return p;
    }

    /** How the scenario's real traces were fitted to this machine. */
    LiveTraces.Fit traceFit() { return traceFit; }

    // ---- platform settings ----

    long keepAliveMillis() { return Math.round(s.platform().keepAliveSeconds() * 1000); }

    int maxInstancesPerFunction() { return s.platform().maxInstancesPerFunction(); }

    int accountConcurrency() { return s.platform().accountConcurrency(); }

    int prewarmPool() { return s.platform().prewarmPool(); }

    int functionCount() { return functions.size(); }

    long invocations() { return calls.size(); }

    boolean needsDependency() { return !dependencyTargets.isEmpty(); }

    long start() { return start; }

    long end() { return end; }

    // ---- planning ----

    private void build() {
        for (WorkloadStream w : s.workload()) {
            String t = w.trigger();
            if ((t.equals("http") || t.equals("sdk")) && !syncTrigger.containsKey(w.function())) syncTrigger.put(w.function(), t);
        }
        for (Injection inj : s.injections()) {
            if (inj.type().equals("dependency-failure")) dependencyTargets.add(inj.function());
        }
        scale();
        for (FunctionDef f : s.functions()) functions.put(f.name(), spec(f));
        int i = 0;
        for (WorkloadStream w : s.workload()) {
            long from = w.startSecond() == null ? start : start + Math.round(Math.max(0, w.startSecond()) * 1000);
            long to = w.durationSeconds() == null ? end : Math.min(end, from + Math.round(w.durationSeconds() * 1000));
            stream("workload " + i++ + " (" + w.function() + ")", w.function(), w.trigger(), w.source(), w.pattern(), from, to);
        }
        for (BenignEvent b : s.benign()) {
            long from = start + Math.round(b.startSecond() * 1000);
            long to = Math.min(end, from + Math.round(b.durationSeconds() * 1000));
            if (from >= end) continue;
            controls.add(new OpenWindow(from, b.id(), true));
            controls.add(new CloseWindow(to, b.id(), true));
            stream("benign " + b.id(), b.function(), b.trigger(), b.source(), b.pattern(), from, to);
        }
        for (Injection inj : s.injections()) injection(inj);
        for (String m : skipped) out.println("live: " + m);
    }

    /** Scales synthetic CPU burn and, if it must, every rate, to what a 2-core host can drive; says what it scaled. */
    private void scale() {
        double cpu = 0;
        double rate = 0;
        Map<String, FunctionDef> byName = new LinkedHashMap<>();
        for (FunctionDef f : s.functions()) byName.put(f.name(), f);
        for (WorkloadStream w : s.workload()) {
            double r = Shapes.meanRate(w.pattern());
            if (w.pattern() instanceof Pattern.Trace t) {
                long from = w.startSecond() == null ? start : start + Math.round(Math.max(0, w.startSecond()) * 1000);
                long to = w.durationSeconds() == null ? end : Math.min(end, from + Math.round(w.durationSeconds() * 1000));
                r = to <= from ? 0 : ((Arrivals.Trace) Shapes.of(t)).expected(from, to) / Math.max(1e-9, s.durationSeconds());
            }
            rate += r;
            FunctionDef f = byName.get(w.function());
            if (f != null) cpu += r * f.execMs().mean() / 1000 * f.cpuMillicores();
        }
        if (cpu > CPU_BUDGET_MILLICORES) {
            cpuScale = CPU_BUDGET_MILLICORES / cpu;
            out.printf(Locale.ROOT, "live: the benign workload would burn %.0f millicores on this host; synthetic CPU burn is scaled "
                    + "by %.2f (rates, durations and memory unchanged)%n", cpu, cpuScale);
        }
        if (rate > MAX_BENIGN_RATE) {
            rateScale = MAX_BENIGN_RATE / rate;
            out.printf(Locale.ROOT, "live: the benign workload averages %.0f arrivals/s; every rate (workload, benign events and "
                    + "injections) is scaled by %.3f%n", rate, rateScale);
        }
    }

    private FunctionSpec spec(FunctionDef f) {
        RandomGenerator rnd = new SplittableRandom(s.seed() ^ f.name().hashCode());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WISP_SYN_INIT_MS", SyntheticCode.quantiles(() -> f.initMs().sample(rnd), 20_000));
        env.put("WISP_SYN_EXEC_MS", SyntheticCode.quantiles(() -> f.execMs().sample(rnd), 20_000));
        env.put("WISP_SYN_CPU", SyntheticCode.fraction(f.cpuMillicores() * cpuScale / 1000));
        env.put("WISP_SYN_ERROR_RATE", SyntheticCode.fraction(f.errorRate()));
        boolean url = s.workload().stream().anyMatch(w -> w.function().equals(f.name()) && w.trigger().equals("http"))
                || s.benign().stream().anyMatch(b -> b.function().equals(f.name()) && b.trigger().equals("http"))
                || s.injections().stream().anyMatch(i -> f.name().equals(i.function()) && "http".equals(triggerOf(i)));
        return new FunctionSpec(f.name(), TENANT, SyntheticCode.forRuntime(f.runtime()), f.memoryMb(),
                f.timeoutSeconds(), f.reservedConcurrency(), f.role(), env, url);
    }

    private void stream(String what, String function, String trigger, String source, Pattern pattern, long from, long to) {
        Arrivals.Shape shape = Shapes.of(pattern);
        for (long t : Arrivals.times(shape, from, to, rateScale, new SplittableRandom(streamSeed++ * 0x9E3779B97F4A7C15L))) {
            calls.add(new Call(t, function, TENANT, trigger, source, payload(source, null), false));
        }
        source(TENANT, source);
    }

    private void injection(Injection inj) {
        long from = start + Math.round(inj.startSecond() * 1000);
        long to = Math.min(end, from + Math.round(inj.durationSeconds() * 1000));
        if (from >= end) {
            skipped.add("injection " + inj.id() + " starts after the scored part; not realised");
            return;
        }
        SplittableRandom rnd = new SplittableRandom(s.seed() * 31 + inj.id().hashCode());
        String type = inj.type();
        switch (type) {
            case "dos-burst" -> {
                long burstStart = from;
                long length = Math.round(inj.durationSeconds() * 1000);
                int bursts = inj.repeat() == null ? 1 : Math.max(1, inj.repeat().count());
                for (int b = 0; b < bursts && burstStart < end; b++) {
                    long burstEnd = Math.min(end, burstStart + length);
                    burst(inj, burstStart, burstEnd, orZero(inj.ratePerSecond()), rnd);
                    if (inj.repeat() != null) burstStart = burstEnd + Math.round(Math.max(0, inj.repeat().gapSeconds().sample(rnd)) * 1000);
                }
            }
            case "dow", "trigger-abuse" -> burst(inj, from, to, orZero(inj.ratePerSecond()), rnd);
            case "cold-start-amplification" -> {
                double keepAlive = s.platform().keepAliveSeconds();
                double idle = orZero(inj.idleSeconds());
                if (idle <= keepAlive) {
                    out.printf(Locale.ROOT, "live: %s idles %.0f s between bursts but keep-alive is %.0f s: bursts will find warm instances%n",
                            inj.id(), idle, keepAlive);
                }
                long t = from;
                for (int c = 0; c < Math.max(1, orZero(inj.cycles())) && t < end; c++) {
                    long burstEnd = Math.min(end, t + Math.round(orZero(inj.burstSeconds()) * 1000));
                    burst(inj, t, burstEnd, orZero(inj.burstRatePerSecond()), rnd);
                    t = burstEnd + Math.round(idle * 1000);
                }
            }
            case "dependency-failure" -> {
                Distribution latency = inj.addedLatencyMs();
                DoubleSupplier added = latency == null ? () -> 0 : new Sampler(latency, s.seed() + inj.id().hashCode());
                controls.add(new OpenWindow(from, inj.id(), false));
                controls.add(new DependencyFault(from, inj.function(), new DependencyServer.Fault(orZero(inj.errorRate()), added)));
                controls.add(new DependencyFault(to, inj.function(), null));
                controls.add(new CloseWindow(to, inj.id(), false));
            }
            case "latency-regression" -> {
                FunctionSpec f = functions.get(inj.function());
                Map<String, String> slower = new LinkedHashMap<>(f.env());
                slower.put("WISP_SYN_EXEC_MS", SyntheticCode.quantiles(() -> inj.execMs().sample(rnd), 20_000));
                controls.add(new OpenWindow(from, inj.id(), false));
                controls.add(new Reconfigure(from, f.name(), slower, inj.id() + ": a slower version deployed"));
                if (to < end) controls.add(new Reconfigure(to, f.name(), f.env(), inj.id() + ": rolled back"));
                controls.add(new CloseWindow(to, inj.id(), false));
            }
            case "retry-storm" -> {
                String source = inj.source() == null ? "retry-storm" : inj.source();
                controls.add(new OpenWindow(from, inj.id(), false));
                for (long t : Arrivals.times(new Arrivals.Poisson(orZero(inj.ratePerSecond())), from, to, rateScale, rnd)) {
                    calls.add(new Call(t, inj.function(), TENANT, "event", source, payload(source, orZero(inj.errorRate())), true));
                }
                controls.add(new CloseWindow(to, inj.id(), false));
                source(TENANT, source);
            }
            case "noisy-neighbour" -> {
                // one-second invocations that burn a whole core each: about cpuMillicores/1000 of them at a time
                if (!functions.containsKey(HOG)) functions.put(HOG, hog());
                double rate = orZero(inj.cpuMillicores()) / 1000.0;
                controls.add(new OpenWindow(from, inj.id(), false));
                for (long t : Arrivals.times(new Arrivals.Constant(rate), from, to, 1, rnd)) {
                    calls.add(new Call(t, HOG, NEIGHBOUR_TENANT, "sdk", "neighbour", payload("neighbour", null), true));
                }
                controls.add(new CloseWindow(to, inj.id(), false));
                source(NEIGHBOUR_TENANT, "neighbour");
            }
            case "queueing-collapse" -> {
                double factor = inj.dispatchCapacityFactor() == null ? 0.5 : inj.dispatchCapacityFactor();
                controls.add(new OpenWindow(from, inj.id(), false));
                controls.add(new DispatchCollapse(from, inj.id(), factor, to - from));
                controls.add(new DispatchCollapse(to, inj.id(), 1, 0));
                controls.add(new CloseWindow(to, inj.id(), false));
            }
            default -> skipped.add("injection " + inj.id() + " has type " + type + ", which live mode does not know; not realised");
        }
    }

    /** Arrivals of an attack from its source(s), each burst its own window. */
    private void burst(Injection inj, long from, long to, double rate, SplittableRandom rnd) {
        String base = inj.source() == null ? inj.id() : inj.source();
        int n = Math.max(1, orZero(inj.sources()));
        String trigger = triggerOf(inj);
        controls.add(new OpenWindow(from, inj.id(), false));
        int k = 0;
        for (long t : Arrivals.times(new Arrivals.Poisson(rate), from, to, rateScale, rnd)) {
            String source = n == 1 ? base : base + "-" + (k++ % n + 1);
            calls.add(new Call(t, inj.function(), TENANT, trigger, source, payload(source, null), true));
        }
        controls.add(new CloseWindow(to, inj.id(), false));
        for (int i = 1; i <= n; i++) source(TENANT, n == 1 ? base : base + "-" + i);
    }

    /** The injection's own trigger, else the function's usual synchronous one (http or sdk). */
    private String triggerOf(Injection inj) {
        if (inj.trigger() != null) return inj.trigger();
        return syncTrigger.getOrDefault(inj.function(), "sdk");
    }

    private FunctionSpec hog() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("WISP_SYN_INIT_MS", SyntheticCode.constant(0));
        env.put("WISP_SYN_EXEC_MS", SyntheticCode.constant(1000));
        env.put("WISP_SYN_CPU", SyntheticCode.fraction(1));
        env.put("WISP_SYN_ERROR_RATE", SyntheticCode.fraction(0));
        return new FunctionSpec(HOG, NEIGHBOUR_TENANT, SyntheticCode.forRuntime("python3"), 128, 30, null, "neighbour", env, false);
    }

    private void source(String tenant, String label) {
        sources.computeIfAbsent(tenant, k -> new LinkedHashSet<>()).add(label);
    }

    private static String payload(String source, Double failRate) {
        String src = source.replace("\\", "\\\\").replace("\"", "\\\"");
        return failRate == null ? "{\"source\":\"" + src + "\"}"
                : String.format(Locale.ROOT, "{\"source\":\"%s\",\"failRate\":%.3f}", src, failRate);
    }

    boolean dependencyTarget(String function) { return dependencyTargets.contains(function); }

    private static int orZero(Integer v) { return v == null ? 0 : v; }

    private static double orZero(Double v) { return v == null ? 0 : v; }

    /** A distribution drawn from on many threads (the dependency's handlers). */
    private static final class Sampler implements DoubleSupplier {
        private final Distribution d;
        private final SplittableRandom rnd;

        Sampler(Distribution d, long seed) {
            this.d = d;
            this.rnd = new SplittableRandom(seed);
        }

        @Override
        public synchronized double getAsDouble() { return d.sample(rnd); }
    }
}
