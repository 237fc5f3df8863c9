package dev.wisp.cli;

import dev.wisp.bench.run.BenchRunner;
import dev.wisp.bench.run.DetectorScore;
import dev.wisp.bench.run.ScenarioOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wisp bench run}: scenarios with injected threats, scored for Wisp's detector and the baselines. */
@Command(name = "bench", description = "Run bench scenarios and score detection against baselines.",
        subcommands = BenchCommand.Run.class)
final class BenchCommand {

    @Command(name = "run", description = "Run scenario files; writes OUT/results.json, OUT/report.html and plots.")
    static final class Run implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Scenario files (../shared/scenarios/SCHEMA.md)")
        List<Path> files;
        @Option(names = "--mode", defaultValue = "sim", description = "sim (virtual clock) or live (a real server)")
        String mode;
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where results and the report go")
        Path out;
        @Option(names = "--target", paramLabel = "URL", description = "Live mode: drive this running server (admin key from "
                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) instead of starting one")
        java.net.URI target;

        @Override
        public Integer call() throws Exception {
            if (!mode.equals("sim") && !mode.equals("live")) {
                System.err.println("wisp: --mode must be sim or live, not '" + mode + "'");
                return 2;
            }
            long t0 = System.nanoTime();
            List<ScenarioOutcome> outcomes = new BenchRunner(out, System.err).run(files, mode, target);
            double wall = (System.nanoTime() - t0) / 1e9;
            long invocations = outcomes.stream().mapToLong(ScenarioOutcome::totalInvocations).sum();
            System.out.printf("%-34s %9s %9s %9s %9s %9s%n", "scenario", "wisp F1", "type acc", "delay s", "thresh F1", "zscore F1");
            DetectorScore[] totals = {DetectorScore.EMPTY, DetectorScore.EMPTY, DetectorScore.EMPTY};
            for (ScenarioOutcome o : outcomes) {
                DetectorScore w = o.verdicts().get("wisp").score();
                System.out.printf("%-34s %9.3f %9.3f %9s %9.3f %9.3f%n", o.name(), w.f1(), w.typeAccuracy(),
                        w.meanDelaySeconds() == null ? "-" : String.format("%.1f", w.meanDelaySeconds()),
                        o.verdicts().get("threshold").score().f1(), o.verdicts().get("zscore").score().f1());
                for (int d = 0; d < 3; d++) totals[d] = totals[d].plus(o.verdicts().get(ScenarioOutcome.DETECTORS.get(d)).score());
            }
            System.out.printf("%-34s %9.3f %9.3f %9s %9.3f %9.3f%n", "ALL", totals[0].f1(), totals[0].typeAccuracy(),
                    totals[0].meanDelaySeconds() == null ? "-" : String.format("%.1f", totals[0].meanDelaySeconds()),
                    totals[1].f1(), totals[2].f1());
            System.out.printf("%d scenarios, %,d invocations in %.1f s; results: %s, report: %s%n", outcomes.size(),
                    invocations, wall, out.resolve("results.json"), out.resolve("report.html"));
            return 0;
        }
    }
}
