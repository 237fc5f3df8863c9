package dev.wisp.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.bench.scenario.WorkloadStream;
import dev.wisp.bench.sim.SimListener;
import dev.wisp.bench.sim.SimOutcome;
import dev.wisp.bench.sim.TraceCatalog;
import dev.wisp.telemetry.model.InvocationRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Azure Functions 2019 traces replayed live against an in-process Wisp server: the busiest
 * function of the 8-hour slice (about 4,000 calls a minute, more than the machine is allowed to
 * drive, so the fit scales it) as the scenario's own function, plus six busy functions sampled by
 * {@code traceFunctions}, over 30 s that straddle a minute boundary. Checks that the sampled
 * functions were deployed and invoked, and that each minute's live calls are the trace's count
 * times the printed scale. (Sampled execution times are left at the schema's default here: the
 * slice's durations reach 30 s after the fit's cut, which would only lengthen the test.) The traces are read from {@code -Dwisp.traces=DIR} (default
 * {@code ../../shared/traces}, next to the repo) and never copied; without them the test is
 * skipped. About 45 s of real time.
 */
class TraceLiveIT {
    private static final Path TRACES = LiveTracesTest.TRACES;
    private static final String BUSIEST = "1992918c23";

    @Test
    void replaysPerMinuteCountsTimesThePrintedScale(@TempDir Path dir) throws Exception {
        Path slice = TRACES.resolve("azure2019/8h_500fn_invocations_per_minute.csv").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(slice), "no Azure 2019 traces at " + TRACES.toAbsolutePath());
        Path memory = slice.resolveSibling("8h_500fn_memory.csv");
        String json = """
                {
                  "name": "trace-live-it",
                  "seed": 21,
                  "startTime": "2026-04-07T10:00:45Z",
                  "durationSeconds": 30,
                  "platform": {"keepAliveSeconds": 600, "maxInstancesPerFunction": 16, "accountConcurrency": 200},
                  "functions": [
                    {"name": "t-1992918c", "runtime": "python3", "role": "ingest", "memoryMb": 128, "timeoutSeconds": 30,
                     "initMs": {"dist": "const", "value": 100}, "execMs": {"dist": "lognormal", "median": 120, "p99": 600}}
                  ],
                  "workload": [
                    {"function": "t-1992918c", "trigger": "sdk", "source": "ingest",
                     "pattern": {"type": "trace", "file": "%s", "function": "%s"}}
                  ],
                  "traceFunctions": {"file": "%s", "count": 6, "seed": 21, "minPerDay": 5000, "memory": "%s"}
                }
                """.formatted(slice, BUSIEST, slice, memory);
        Scenario s = ScenarioParser.parse(json, dir.resolve("trace-live-it.json"));
        long start = s.startTime().toEpochMilli();
        long end = start + 30_000;

        List<InvocationRecord> records = new ArrayList<>();
        SimListener listener = new SimListener() {
            @Override
            public void telemetry(Object item) {
                if (item instanceof InvocationRecord r) records.add(r);
            }

            @Override
            public void tick(long epochMillis) {}
        };
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(said, System.out), true, StandardCharsets.UTF_8);
        LiveRun run = new LiveRun(s, null, dir.resolve("work")).output(out);
        SimOutcome outcome = run.run(listener, p -> { });
        String printed = said.toString(StandardCharsets.UTF_8);

        LiveTraces.Fit fit = run.traceFit();
        assertEquals(6, fit.sampled(), printed);
        assertEquals(6, fit.deployed().size(), printed);
        assertTrue(fit.rateFactor() < 1, "the busiest function alone is beyond the machine's bound: " + fit);
        assertTrue(printed.contains(String.format(java.util.Locale.ROOT, "every trace count is scaled by %.4f", fit.rateFactor())),
                printed);
        for (String f : fit.deployed()) {
            assertTrue(printed.contains("live: deployed " + f + " (python3.12"), f + " deployed: " + printed);
        }
        Map<String, Long> perFunction = records.stream().collect(Collectors.groupingBy(InvocationRecord::functionName,
                Collectors.counting()));
        for (String f : fit.deployed()) assertTrue(perFunction.getOrDefault(f, 0L) > 0, f + " was invoked: " + perFunction);
        assertEquals(records.size(), outcome.totalInvocations());

        // each function's live calls per minute (each minute's part inside the run) against the trace's
        // count times the scale the run printed, for the scenario's own function and the sampled ones together
        Map<String, int[]> counts = new HashMap<>();
        for (WorkloadStream w : fit.scenario().workload()) {
            Pattern.Trace t = (Pattern.Trace) w.pattern();
            assertEquals(fit.rateFactor(), t.scale(), 1e-12, "every trace stream carries the printed factor");
            counts.put(w.function(), TraceCatalog.countsOf(t));
        }
        double expectedAll = 0;
        long seenAll = 0;
        for (long minute = Math.floorDiv(start, 60_000L) * 60_000L; minute < end; minute += 60_000L) {
            long from = Math.max(minute, start);
            long to = Math.min(minute + 60_000L, end);
            int m = (int) (Math.floorMod(minute, 86_400_000L) / 60_000L);
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                double expected = e.getValue()[m] * fit.rateFactor() * (to - from) / 60_000.0;
                long seen = records.stream().filter(r -> r.functionName().equals(e.getKey()))
                        .filter(r -> r.receivedAt() >= from && r.receivedAt() < to).count();
                expectedAll += expected;
                seenAll += seen;
                if (e.getKey().equals("t-1992918c")) {
                    // about 300 a quarter-minute: within four binomial standard deviations
                    assertEquals(expected, seen, 4 * Math.sqrt(expected) + 3,
                            "minute " + m + " of " + e.getKey() + ": count " + e.getValue()[m] + " x " + fit.rateFactor()
                                    + " x " + (to - from) / 60_000.0 + "; " + run.stats().summary());
                }
            }
        }
        assertEquals(expectedAll, seenAll, 4 * Math.sqrt(expectedAll) + 10, "all trace streams: " + run.stats().summary());
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        private boolean lineStart = true;
        private final long t0 = System.nanoTime();

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            if (lineStart) b.write(String.format("[%6.1f] ", (System.nanoTime() - t0) / 1e9).getBytes());
            b.write(c);
            lineStart = c == '\n';
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            for (int i = off; i < off + len; i++) write(buf[i]);
        }
    }
}
