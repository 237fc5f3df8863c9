package dev.wisp.bench.run;

import dev.wisp.bench.report.Charts;
import dev.wisp.bench.report.HtmlReport;
import dev.wisp.bench.report.PlotRecorder;
import dev.wisp.bench.scenario.BenignEvent;
import dev.wisp.bench.scenario.Injection;
import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.bench.sim.SimListener;
import dev.wisp.bench.sim.SimOutcome;
import dev.wisp.bench.sim.Simulator;
import dev.wisp.bench.sim.Window;
import dev.wisp.bench.live.LiveRun;
import dev.wisp.bench.live.LiveTraces;
import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentListener;
import dev.wisp.telemetry.model.InvocationRecord;

import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code wisp bench run}: each scenario is simulated once, and the one stream of telemetry goes to
 * Wisp's detector and to both baselines at the same time, so all three are judged on exactly the
 * same data. In live mode the same happens over a real server's telemetry, after the scenario's
 * history has been simulated into the same watchers. Writes {@code OUT/results.json}, {@code OUT/report.html} and the plots.
 */
public final class BenchRunner {
    private final Path out;
    private final PrintStream progress;
    private IncidentListener incidents;

    public BenchRunner(Path out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    /** Also tells {@code listener} about Wisp's incidents as they open and close (the demo prints them). */
    public BenchRunner watching(IncidentListener listener) {
        this.incidents = listener;
        return this;
    }

    /**
     * Runs every file in {@code mode} ("sim" or "live"); returns the outcomes of those that ran.
     *
     * @param target live mode only: a running Wisp server to drive instead of starting one (null: start one)
     */
    public List<ScenarioOutcome> run(List<Path> files, String mode, URI target) throws Exception {
        if (!mode.equals("sim") && !mode.equals("live")) throw new IllegalArgumentException("--mode must be sim or live, not " + mode);
        Files.createDirectories(out.resolve("plots"));
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) scenarios.add(ScenarioParser.parse(f)); // every file is checked before anything runs
        List<ScenarioOutcome> outcomes = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (!s.supports(mode)) {
                progress.println("bench: skipping " + s.name() + " in " + mode + " mode (its modes are " + s.modes() + ")");
                continue;
            }
            outcomes.add(runOne(s, mode, target));
        }
        ResultsJson.write(outcomes, out.resolve("results.json"));
        HtmlReport.write(outcomes, out.resolve("report.html"));
        return outcomes;
    }

    private ScenarioOutcome runOne(Scenario s, String mode, URI target) throws Exception {
        long start = s.startTime().toEpochMilli();
        long end = start + Math.round(s.durationSeconds() * 1000);
        Watchers w = new Watchers(s);
        if (incidents != null) w.wisp.addListener(incidents);
        ProgressBar bar = new ProgressBar(progress, s.name() + " (" + mode + ")");
        long t0 = System.nanoTime();
        SimOutcome world;
        long invocations;
        if (mode.equals("sim")) {
            world = new Simulator(s).run(w, bar::update);
            invocations = world.totalInvocations();
        } else {
            // real traces fitted to this machine first, so the history below is the background the live part replays
            Scenario ls = LiveTraces.fit(s, progress).scenario();
            // the history is simulated, so the detector's baselines know the scenario's normal before the live part
            if (s.historyDays() > 0) {
                ProgressBar history = new ProgressBar(progress, s.name() + " (history, sim)");
                SimOutcome h = new Simulator(historyOnly(ls)).run(w, history::update);
                history.done(String.format("%,d invocations of history", h.totalInvocations()));
            }
            LiveRun live = new LiveRun(ls, target, out.resolve("live")).output(progress);
            world = live.run(w, bar::update);
            invocations = world.totalInvocations();
            progress.println("  " + s.name() + " (live): " + live.stats().summary());
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        bar.done(String.format("%,d invocations in %.1f s (%,.0f/s)", invocations, wall, invocations / Math.max(wall, 1e-9)));

        List<Truth> injections = injections(s, world, start, mode);
        List<Truth> benign = benign(s, world, start, end);
        Scorer scorer = new Scorer(injections, benign, start, end, s.expect().maxDelaySeconds());
        Map<String, Scorer.Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put("wisp", scorer.score(w.wisp.incidents().stream().map(BenchRunner::alert).toList()));
        verdicts.put("threshold", scorer.score(w.threshold.alerts()));
        verdicts.put("zscore", scorer.score(w.zscore.alerts()));
        Map<String, String> pngs = drawPlots(s.name(), w.plots, injections, verdicts.get("wisp"), start);
        return new ScenarioOutcome(s.name(), s.description(), mode, s.seed(), w.scored, invocations, wall,
                start, s.durationSeconds(), injections, benign, verdicts, pngs);
    }

    /** The scenario cut at its start: only the history, for live mode's detector to learn from. */
    static Scenario historyOnly(Scenario s) {
        return new Scenario(s.name(), s.description(), s.modes(), s.seed(), s.startTime(), 0, s.historyDays(), s.platform(),
                s.functions(), s.workload(), List.of(), s.benign(), s.expect(), s.traceFunctions(), s.file());
    }

    /**
     * Everything that watches one scenario's telemetry: Wisp's detector, the per-second roll-up
     * feeding both baselines, and the plot recorder. One stream in, all of them at once.
     */
    private static final class Watchers implements SimListener {
        final DetectionEngine wisp = new DetectionEngine(DetectionConfig.defaults());
        final ThresholdBaseline threshold;
        final ZScoreBaseline zscore = new ZScoreBaseline();
        final SecondAggregator seconds;
        final PlotRecorder plots;
        final long start;
        long scored;

        Watchers(Scenario s) {
            start = s.startTime().toEpochMilli();
            threshold = new ThresholdBaseline(start, s.historyDays());
            seconds = new SecondAggregator(st -> {
                threshold.accept(st);
                zscore.accept(st);
            });
            plots = new PlotRecorder(start, s.durationSeconds(), s.seed());
        }

        @Override
        public void telemetry(Object item) {
            wisp.accept(item);
            if (item instanceof InvocationRecord r) {
                seconds.accept(r);
                if (r.receivedAt() >= start) scored++;
            }
            plots.accept(item);
        }

        @Override
        public void tick(long epochMillis) {
            wisp.advanceTo(epochMillis);
            seconds.tick(epochMillis);
            threshold.tick(epochMillis);
            zscore.tick(epochMillis);
        }
    }

    static Alert alert(Incident i) {
        return new Alert(i.id(), i.type().wireName(), i.function(), i.openedAt(), i.closedAt(), i.explanation());
    }

    /** The realised injections; one the world could not realise (live mode) is left out of scoring, and said so. */
    private List<Truth> injections(Scenario s, SimOutcome world, long start, String mode) {
        List<Truth> out = new ArrayList<>();
        for (Injection inj : s.injections()) {
            List<Window> ws = world.injectionWindows().get(inj.id());
            if (ws == null || ws.isEmpty()) {
                if (mode.equals("live")) {
                    progress.println("  " + s.name() + ": injection " + inj.id() + " was not realised live; not scored");
                    continue;
                }
                long from = start + Math.round(inj.startSecond() * 1000);
                ws = List.of(new Window(from, from + Math.round(inj.durationSeconds() * 1000)));
            }
            long from = ws.stream().mapToLong(Window::startMillis).min().orElseThrow();
            long to = ws.stream().mapToLong(Window::endMillis).max().orElseThrow();
            out.add(new Truth(inj.id(), inj.label(), inj.function(), from, to));
        }
        return out;
    }

    /** The benign events' windows that fall in the scored part (recurring ones also ran in the history). */
    private static List<Truth> benign(Scenario s, SimOutcome sim, long start, long end) {
        List<Truth> out = new ArrayList<>();
        for (BenignEvent b : s.benign()) {
            List<Window> ws = sim.benignWindows().getOrDefault(b.id(), List.of());
            for (Window w : ws) {
                if (w.endMillis() > start && w.startMillis() < end) out.add(new Truth(b.id(), null, b.function(), w.startMillis(), w.endMillis()));
            }
            if (ws.isEmpty()) {
                long from = start + Math.round(b.startSecond() * 1000);
                out.add(new Truth(b.id(), null, b.function(), from, from + Math.round(b.durationSeconds() * 1000)));
            }
        }
        return out;
    }

    private Map<String, String> drawPlots(String name, PlotRecorder plots, List<Truth> injections, Scorer.Verdict wisp,
                                          long start) throws IOException {
        List<Charts.Span> spans = new ArrayList<>();
        for (Truth t : injections) spans.add(new Charts.Span((t.start() - start) / 1000.0, (t.end() - start) / 1000.0, false));
        long scoredEndGuess = start + (long) (plots.seconds() * 1000L);
        for (Scorer.ScoredAlert a : wisp.alerts()) {
            long closed = a.alert().closedAt() == 0 ? scoredEndGuess : a.alert().closedAt();
            spans.add(new Charts.Span((a.alert().openedAt() - start) / 1000.0, (closed - start) / 1000.0, true));
        }
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        Map<String, String> files = new LinkedHashMap<>();
        files.put("response", "plots/" + safe + "-response.png");
        files.put("instances", "plots/" + safe + "-instances.png");
        files.put("cpu", "plots/" + safe + "-cpu.png");
        Charts.responseTimes(plots, spans, out.resolve(files.get("response")));
        Charts.instances(plots, spans, out.resolve(files.get("instances")));
        Charts.cpu(plots, spans, out.resolve(files.get("cpu")));
        return files;
    }
}
