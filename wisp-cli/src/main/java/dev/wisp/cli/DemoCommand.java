package dev.wisp.cli;

import dev.wisp.bench.run.BenchRunner;
import dev.wisp.bench.run.ScenarioOutcome;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code wisp demo}: the platform with detection at work, in about two minutes. Starts a real Wisp
 * server, deploys a function, drives its ordinary traffic and then a burst from a new access key,
 * and prints the incident the detector raises, with its explanation, as it happens.
 */
@Command(name = "demo", description = {"Run the platform with a short demo of detection at work:",
        "a real server, a function, its normal traffic, then an attack; prints the incident and writes a report."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "wisp-demo", paramLabel = "DIR", description = "Where the report goes (default: ./wisp-demo)")
    Path out;

    @Override
    public Integer call() throws Exception {
        String json;
        try (InputStream in = BenchRunner.class.getResourceAsStream("/dev/wisp/bench/demo.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.createDirectories(out);
        Path file = out.resolve("demo-scenario.json");
        Files.writeString(file, json);
        ScenarioParser.parse(json, file); // fails here, not halfway, if the bundled scenario were broken
        System.out.println("wisp demo: a checkout function gets 4 requests/s; 30 s in, an unknown client bursts at 50/s.");
        System.out.println("wisp demo: its history (two days) is simulated first so the detector knows this hour's normal.");
        IncidentListener printer = new IncidentListener() {
            @Override
            public void opened(Incident i) {
                System.out.printf("%n>>> INCIDENT %s opened at %s: %s on %s (severity %.2f)%n    %s%n", i.id(),
                        Instant.ofEpochMilli(i.openedAt()), i.type().wireName(),
                        i.function() == null ? "the platform" : i.tenant() + "/" + i.function(), i.severity(), i.explanation());
            }

            @Override
            public void closed(Incident i) {
                System.out.printf("%n<<< incident %s closed at %s%n", i.id(), Instant.ofEpochMilli(i.closedAt()));
            }
        };
        List<ScenarioOutcome> outcomes = new BenchRunner(out, System.err).watching(printer).run(List.of(file), "live", null);
        ScenarioOutcome o = outcomes.getFirst();
        var burst = o.verdicts().get("wisp").injections().getFirst();
        System.out.printf("%nwisp demo: %,d real invocations; the burst was %s%s.%n", o.invocations(),
                burst.detected() ? "detected after " + burst.delaySeconds() + " s as " + burst.incidentType() : "not detected",
                "");
        System.out.println("wisp demo: report with plots: " + out.resolve("report.html").toAbsolutePath());
        return 0;
    }
}
