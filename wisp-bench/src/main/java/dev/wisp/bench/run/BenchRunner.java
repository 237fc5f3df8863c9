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
import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.telemetry.model.InvocationRecord;

import java.io.IOException;
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
 * same data. Writes {@code OUT/results.json}, {@code OUT/report.html} and the plots.
 */
public final class BenchRunner {
    private final Path out;
    private final PrintStream progress;

    public BenchRunner(Path out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    /** Runs every file in sim mode; returns the outcomes of those that ran. */
    public List<ScenarioOutcome> runSim(List<Path> files) throws IOException {
        Files.createDirectories(out.resolve("plots"));
        List<Scenario> scenarios = new ArrayList<>();
        for (Path f : files) scenarios.add(ScenarioParser.parse(f)); // every file is checked before anything runs
        List<ScenarioOutcome> outcomes = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (!s.supports("sim")) {
                progress.println("bench: skipping " + s.name() + " (its modes are " + s.modes() + ")");
                continue;
            }
            outcomes.add(runOne(s));
        }
        ResultsJson.write(outcomes, out.resolve("results.json"));
        HtmlReport.write(outcomes, out.resolve("report.html"));
        return outcomes;
    }

    private ScenarioOutcome runOne(Scenario s) throws IOException {
        long start = s.startTime().toEpochMilli();
        long end = start + Math.round(s.durationSeconds() * 1000);
        DetectionEngine wisp = new DetectionEngine(DetectionConfig.defaults());
        ThresholdBaseline threshold = new ThresholdBaseline(start, s.historyDays());
        ZScoreBaseline zscore = new ZScoreBaseline();
        SecondAggregator seconds = new SecondAggregator(st -> {
            threshold.accept(st);
            zscore.accept(st);
        });
        PlotRecorder plots = new PlotRecorder(start, s.durationSeconds(), s.seed());
        long[] scored = new long[1];
        SimListener listener = new SimListener() {
            @Override
            public void telemetry(Object item) {
                wisp.accept(item);
                if (item instanceof InvocationRecord r) {
                    seconds.accept(r);
                    if (r.receivedAt() >= start) scored[0]++;
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
        };
        ProgressBar bar = new ProgressBar(progress, s.name() + " (sim)");
        long t0 = System.nanoTime();
        SimOutcome sim = new Simulator(s).run(listener, bar::update);
        double wall = (System.nanoTime() - t0) / 1e9;
        bar.done(String.format("%,d invocations simulated in %.1f s (%,.0f/s)", sim.totalInvocations(), wall,
                sim.totalInvocations() / Math.max(wall, 1e-9)));

        List<Truth> injections = injections(s, sim, start);
        List<Truth> benign = benign(s, sim, start, end);
        Scorer scorer = new Scorer(injections, benign, start, end, s.expect().maxDelaySeconds());
        Map<String, Scorer.Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put("wisp", scorer.score(wisp.incidents().stream().map(BenchRunner::alert).toList()));
        verdicts.put("threshold", scorer.score(threshold.alerts()));
        verdicts.put("zscore", scorer.score(zscore.alerts()));
        Map<String, String> pngs = drawPlots(s.name(), plots, injections, verdicts.get("wisp"), start);
        return new ScenarioOutcome(s.name(), s.description(), "sim", s.seed(), scored[0], sim.totalInvocations(), wall,
                start, s.durationSeconds(), injections, benign, verdicts, pngs);
    }

    static Alert alert(Incident i) {
        return new Alert(i.id(), i.type().wireName(), i.function(), i.openedAt(), i.closedAt(), i.explanation());
    }

    private static List<Truth> injections(Scenario s, SimOutcome sim, long start) {
        List<Truth> out = new ArrayList<>();
        for (Injection inj : s.injections()) {
            List<Window> ws = sim.injectionWindows().get(inj.id());
            long from = start + Math.round(inj.startSecond() * 1000);
            long to = from + Math.round(inj.durationSeconds() * 1000);
            if (ws != null && !ws.isEmpty()) {
                from = ws.stream().mapToLong(Window::startMillis).min().orElseThrow();
                to = ws.stream().mapToLong(Window::endMillis).max().orElseThrow();
            }
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
