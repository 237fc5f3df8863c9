package dev.wisp.bench.live;

import dev.wisp.bench.scenario.BenignEvent;
import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.bench.scenario.Injection;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.WorkloadStream;
import dev.wisp.bench.sim.TraceCatalog;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Fits a scenario's real traces (SCHEMA.md "Real traces") to what one 2-core machine can replay
 * live, where the server, the load generator and every function instance share the cores.
 *
 * <p>{@code traceFunctions} is sampled exactly as sim mode samples it, and each sampled function
 * becomes an ordinary scenario function (the {@value #RUNTIME} synthetic function, with its
 * sampled execution times and memory) with its own {@code trace} stream. Then, in this order:
 * <ol>
 *   <li>sampled functions with no arrival during the live part are left out (the trace says they
 *       are idle then; they would only be deployed);</li>
 *   <li>at most {@value #MAX_TRACE_FUNCTIONS} of the remaining sampled functions are deployed, in
 *       sampling order (a random subset of a random sample); functions the scenario names itself
 *       or targets are always kept;</li>
 *   <li>a sampled execution-time distribution that reaches beyond {@value #MAX_EXEC_MS} ms is cut
 *       there (a live run of minutes says nothing about executions of minutes, and each one holds
 *       a process);</li>
 *   <li>if the trace streams would average more than {@value #MAX_TRACE_RATE} arrivals/s over the
 *       live part, or keep more than {@value #MAX_TRACE_BUSY} instances busy on average (rate times
 *       mean execution time), every trace stream's {@code scale} is multiplied by one factor that
 *       brings both within bounds. Other streams and injections keep their rates;</li>
 *   <li>a trace stream whose trigger has no live path ({@code schedule}, {@code queue}, {@code chain})
 *       gets the trigger its live calls are recorded with ({@link #liveTrigger}), so the simulated
 *       history does not teach the detector a trigger the live part never shows.</li>
 * </ol>
 * The result is a scenario with no {@code traceFunctions} whose trace streams are what live mode
 * drives; the bench simulates the history from this same scenario, so the detector learns the
 * background it will see. Fitting a fitted scenario changes nothing. Everything fitted is printed.
 */
public final class LiveTraces {
    /** Sampled trace functions deployed at most; each active one keeps at least one instance process. */
    static final int MAX_TRACE_FUNCTIONS = 16;
    /** Mean trace arrivals per second over the live part, at most. */
    static final double MAX_TRACE_RATE = 25;
    /** Mean busy instances the trace streams keep (rate times mean execution time), at most. */
    static final double MAX_TRACE_BUSY = 24;
    /** Longest execution a sampled distribution keeps, ms. */
    static final double MAX_EXEC_MS = 30_000;
    /** The synthetic function sampled trace functions run as (its cold start is among the cheapest). */
    static final String RUNTIME = "python3";

    /**
     * What was fitted.
     *
     * @param scenario   the scenario live mode runs (the input itself when there was nothing to fit)
     * @param sampled    functions {@code traceFunctions} sampled (0 without it)
     * @param deployed   sampled functions kept and deployed
     * @param idle       sampled functions left out for having no arrival during the live part
     * @param overCap    sampled functions left out by {@link #MAX_TRACE_FUNCTIONS}
     * @param execCapped sampled functions whose execution times were cut at {@link #MAX_EXEC_MS}
     * @param rateBefore mean trace arrivals/s over the live part before the factor
     * @param busyBefore mean busy instances of the trace streams before the factor
     * @param rateFactor what every trace stream's scale was multiplied by (1: not scaled)
     * @param retriggered trace streams whose trigger has no live path, by "from as to", to their number
     */
    public record Fit(Scenario scenario, int sampled, List<String> deployed, int idle, int overCap, int execCapped,
                      double rateBefore, double busyBefore, double rateFactor, Map<String, Integer> retriggered) {
        public boolean changed() { return sampled > 0 || execCapped > 0 || rateFactor != 1 || !retriggered.isEmpty(); }
    }

    private LiveTraces() {}

    /** Fits {@code s} and prints what was fitted to {@code out} (nothing when there was nothing to fit). */
    public static Fit fit(Scenario s, PrintStream out) {
        boolean traces = s.traceFunctions() != null
                || s.workload().stream().anyMatch(w -> w.pattern() instanceof Pattern.Trace)
                || s.benign().stream().anyMatch(b -> b.pattern() instanceof Pattern.Trace);
        if (!traces) return new Fit(s, 0, List.of(), 0, 0, 0, 0, 0, 1, Map.of());

        long start = s.startTime().toEpochMilli();
        long end = start + Math.round(s.durationSeconds() * 1000);
        List<FunctionDef> defs = new ArrayList<>(s.functions());
        List<WorkloadStream> workload = new ArrayList<>(s.workload());
        Map<String, int[]> counts = new HashMap<>();
        int named = defs.size();
        if (s.traceFunctions() != null) TraceCatalog.addTraceFunctions(s.traceFunctions(), defs, workload, counts);
        List<FunctionDef> sampledDefs = List.copyOf(defs.subList(named, defs.size()));

        // arrivals each function's trace streams would bring during the live part, at their own scale
        Map<String, Double> expected = new HashMap<>();
        for (WorkloadStream w : workload) {
            if (!(w.pattern() instanceof Pattern.Trace t)) continue;
            long from = w.startSecond() == null ? start : start + Math.round(Math.max(0, w.startSecond()) * 1000);
            long to = w.durationSeconds() == null ? end : Math.min(end, from + Math.round(w.durationSeconds() * 1000));
            double e = to <= from ? 0 : shape(t, counts).expected(from, to);
            expected.merge(w.function(), e, Double::sum);
        }

        Set<String> kept = new LinkedHashSet<>();
        for (FunctionDef f : defs.subList(0, named)) kept.add(f.name());
        for (Injection i : s.injections()) if (i.function() != null) kept.add(i.function());
        for (BenignEvent b : s.benign()) kept.add(b.function());
        List<String> deployed = new ArrayList<>();
        int idle = 0;
        int overCap = 0;
        for (FunctionDef f : sampledDefs) {
            if (kept.contains(f.name())) {
                deployed.add(f.name());
            } else if (expected.getOrDefault(f.name(), 0.0) <= 0) {
                idle++;
            } else if (deployed.size() < MAX_TRACE_FUNCTIONS) {
                deployed.add(f.name());
                kept.add(f.name());
            } else {
                overCap++;
            }
        }

        // the sampled functions as live functions, execution times cut where they must be
        List<FunctionDef> functions = new ArrayList<>(defs.subList(0, named));
        int execCapped = 0;
        double longest = 0;
        for (FunctionDef f : sampledDefs) {
            if (!kept.contains(f.name())) continue;
            Distribution exec = f.execMs();
            if (exec instanceof Distribution.Piecewise p && p.values()[p.values().length - 1] > MAX_EXEC_MS) {
                double[] v = p.values().clone();
                longest = Math.max(longest, v[v.length - 1]);
                for (int i = 0; i < v.length; i++) v[i] = Math.min(v[i], MAX_EXEC_MS);
                exec = new Distribution.Piecewise(p.probabilities(), v);
                execCapped++;
            }
            functions.add(new FunctionDef(f.name(), RUNTIME, f.role(), f.memoryMb(), f.timeoutSeconds(), f.reservedConcurrency(),
                    f.initMs(), exec, f.cpuMillicores(), f.errorRate(), f.location()));
        }
        Map<String, FunctionDef> byName = new HashMap<>();
        for (FunctionDef f : functions) byName.put(f.name(), f);

        // what the kept trace streams ask of the machine, and the one factor that fits it
        double seconds = Math.max(1e-9, s.durationSeconds());
        double rate = 0;
        double busy = 0;
        int traceFunctions = 0;
        for (Map.Entry<String, Double> e : expected.entrySet()) {
            if (!kept.contains(e.getKey())) continue;
            traceFunctions++;
            double r = e.getValue() / seconds;
            rate += r;
            FunctionDef f = byName.get(e.getKey());
            if (f != null) busy += r * f.execMs().mean() / 1000;
        }
        double factor = 1;
        // a fitted scenario fits again unchanged: within bounds up to rounding
        if (rate > MAX_TRACE_RATE * (1 + 1e-9)) factor = Math.min(factor, MAX_TRACE_RATE / rate);
        if (busy > MAX_TRACE_BUSY * (1 + 1e-9)) factor = Math.min(factor, MAX_TRACE_BUSY / busy);

        List<WorkloadStream> streams = new ArrayList<>();
        Map<String, Integer> retriggered = new java.util.TreeMap<>();
        for (WorkloadStream w : workload) {
            if (!byName.containsKey(w.function())) continue; // a sampled function left out
            String trigger = w.trigger();
            if (w.pattern() instanceof Pattern.Trace) {
                trigger = liveTrigger(trigger);
                if (!trigger.equals(w.trigger())) retriggered.merge(w.trigger() + " as " + trigger, 1, Integer::sum);
            }
            streams.add(new WorkloadStream(w.function(), trigger, w.source(), scaled(w.pattern(), factor),
                    w.startSecond(), w.durationSeconds()));
        }
        List<BenignEvent> benign = new ArrayList<>();
        for (BenignEvent b : s.benign()) {
            benign.add(new BenignEvent(b.id(), b.startSecond(), b.durationSeconds(), b.recurs(), b.function(), b.trigger(),
                    b.source(), scaled(b.pattern(), factor)));
        }
        Scenario fitted = new Scenario(s.name(), s.description(), s.modes(), s.seed(), s.startTime(), s.durationSeconds(),
                s.historyDays(), s.platform(), functions, streams, s.injections(), benign, s.expect(), null, s.file());
        boolean same = s.traceFunctions() == null && execCapped == 0 && factor == 1 && retriggered.isEmpty();
        Fit fit = new Fit(same ? s : fitted, sampledDefs.size(), List.copyOf(deployed), idle, overCap, execCapped, rate, busy,
                factor, Map.copyOf(retriggered));
        if (fit.changed()) report(s, fit, traceFunctions, longest, out);
        return fit;
    }

    private static void report(Scenario s, Fit f, int traceFunctions, double longest, PrintStream out) {
        if (s.traceFunctions() != null) {
            out.printf(Locale.ROOT, "live: traceFunctions sampled %d functions from %s; deploying %d of them as %s synthetic "
                            + "functions with their sampled execution times and memory%s%s%n",
                    f.sampled(), s.traceFunctions().file().getFileName(), f.deployed().size(), RUNTIME,
                    f.idle() > 0 ? "; " + f.idle() + " left out for having no arrival during the live part" : "",
                    f.overCap() > 0 ? "; " + f.overCap() + " with arrivals left out by the cap of " + MAX_TRACE_FUNCTIONS
                            + " deployed trace functions (their load is not replayed)" : "");
        }
        if (!f.retriggered().isEmpty()) {
            out.printf(Locale.ROOT, "live: trace streams whose trigger has no live path are driven, and their history simulated, "
                    + "through the one that carries them: %s%n", f.retriggered());
        }
        if (f.execCapped() > 0) {
            out.printf(Locale.ROOT, "live: %d trace function(s) have execution times cut at %.0f s (the longest sampled was %.0f s)%n",
                    f.execCapped(), MAX_EXEC_MS / 1000, longest / 1000);
        }
        if (f.rateFactor() != 1) {
            out.printf(Locale.ROOT, "live: the trace streams of %d function(s) average %.2f arrivals/s over the live part, "
                            + "%.1f busy instances; every trace count is scaled by %.4f (bounds %.0f arrivals/s, %.0f busy instances; "
                            + "other streams and injections keep their rates)%n",
                    traceFunctions, f.rateBefore(), f.busyBefore(), f.rateFactor(), MAX_TRACE_RATE, MAX_TRACE_BUSY);
        } else {
            out.printf(Locale.ROOT, "live: the trace streams of %d function(s) average %.2f arrivals/s over the live part, "
                    + "%.1f busy instances; replayed at their own scale (rate factor 1)%n", traceFunctions, f.rateBefore(), f.busyBefore());
        }
    }

    /**
     * The trigger a live call records: {@code schedule} and {@code queue} arrive as Event invocations
     * ({@code event}), {@code chain} as a synchronous SDK call ({@code sdk}) (see {@link LiveActions}).
     */
    static String liveTrigger(String trigger) {
        return switch (trigger) {
            case "schedule", "queue" -> "event";
            case "chain" -> "sdk";
            default -> trigger;
        };
    }

    private static Arrivals.Trace shape(Pattern.Trace t, Map<String, int[]> counts) {
        int[] c = counts.get(t.file() + "#" + t.function());
        return new Arrivals.Trace(c != null ? c : TraceCatalog.countsOf(t), t.scale());
    }

    private static Pattern scaled(Pattern p, double factor) {
        return factor != 1 && p instanceof Pattern.Trace t ? new Pattern.Trace(t.file(), t.function(), t.scale() * factor) : p;
    }
}
