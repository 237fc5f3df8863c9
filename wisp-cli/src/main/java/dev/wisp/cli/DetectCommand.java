package dev.wisp.cli;

import dev.wisp.detect.DetectionConfig;
import dev.wisp.detect.DetectionEngine;
import dev.wisp.detect.Incident;
import dev.wisp.detect.csv.CsvDetector;
import dev.wisp.detect.univariate.UnivariateScorer;
import dev.wisp.telemetry.JsonLinesReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code wisp detect}: detection offline, over a univariate CSV or over exported telemetry. */
@Command(name = "detect", description = "Run detection offline: univariate CSV, or replay exported telemetry.",
        subcommands = {DetectCommand.Csv.class, DetectCommand.Replay.class})
final class DetectCommand {

    @Command(name = "csv", description = {"Online anomaly scores for timestamp,value CSV: writes timestamp,value,anomaly_score.",
            "Row i's score sees only rows <= i. A folder is scored file by file in one process, same paths under --out."})
    static final class Csv implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE|DIR") Path input;
        @Option(names = "--out", paramLabel = "OUT", description = "Output file (default: standard output), or folder for a folder")
        Path out;
        @Option(names = "--detector", paramLabel = "NAME", defaultValue = "wisp",
                description = {"wisp (default): Wisp's detector; threshold: a static band learned from the first 500 rows;",
                        "zscore: rolling 3-sigma over the last 288 rows. The last two are comparison baselines."})
        String detector;
        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            UnivariateScorer.Kind kind;
            try {
                kind = UnivariateScorer.Kind.parse(detector);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (!Files.exists(input)) throw new IOException(input + ": no such file or folder");
            if (!Files.isDirectory(input)) {
                if (out == null) {
                    Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                    score(input, w, kind);
                    w.flush();
                } else {
                    if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
                    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                        score(input, w, kind);
                    }
                }
                return 0;
            }
            if (out == null) throw new IOException("scoring a folder needs --out FOLDER");
            List<Path> files;
            try (Stream<Path> s = Files.walk(input)) {
                files = s.filter(p -> p.toString().endsWith(".csv") && Files.isRegularFile(p)).sorted().toList();
            }
            long rows = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                Path target = out.resolve(input.relativize(f).toString());
                Files.createDirectories(target.getParent());
                try (Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                    rows += score(f, w, kind);
                }
                System.err.printf("[%d/%d] %s%n", i + 1, files.size(), input.relativize(f));
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.err.printf("%d files, %,d rows in %.2f s (%,.0f rows/s)%n", files.size(), rows, s, rows / Math.max(s, 1e-9));
            return 0;
        }

        private static long score(Path file, Writer w, UnivariateScorer.Kind kind) throws IOException {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return new CsvDetector(kind.create()).run(r, w);
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "replay", description = {"Replay telemetry exported by `wisp telemetry export` (DIR/*.jsonl) through the detector",
            "in time order and print the incidents it raises, with their explanations."})
    static final class Replay implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR") Path dir;
        @Option(names = "--json", description = "One JSON object per incident instead of text") boolean json;

        @Override
        public Integer call() {
            List<Object> items = new ArrayList<>();
            JsonLinesReader.read(dir, items::add);
            DetectionEngine engine = new DetectionEngine(DetectionConfig.defaults());
            dev.wisp.detect.Replay.feed(engine, items);
            List<Incident> incidents = engine.incidents();
            for (Incident i : incidents) System.out.println(json ? dev.wisp.gateway.IncidentJson.toJson(i).toString() : describe(i));
            System.err.printf("%,d telemetry items replayed, %d incidents%n", items.size(), incidents.size());
            return 0;
        }

        private static String describe(Incident i) {
            return String.format("%s  %-24s %-20s opened %s%s  severity %.2f%n    %s", i.id(), i.type().wireName(),
                    i.function() == null ? "(platform)" : i.tenant() + "/" + i.function(), Instant.ofEpochMilli(i.openedAt()),
                    i.closedAt() == 0 ? " (open)" : ", closed " + Instant.ofEpochMilli(i.closedAt()), i.severity(), i.explanation());
        }
    }
}
