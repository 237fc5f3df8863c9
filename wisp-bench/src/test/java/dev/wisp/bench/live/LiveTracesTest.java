package dev.wisp.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.ScenarioException;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.bench.scenario.WorkloadStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live mode's real-trace replay: arrivals from per-minute counts, and fitting a trace scenario to the machine. */
class LiveTracesTest {
    /** The shared Azure traces; never copied into the repo. */
    static final Path TRACES = Path.of(System.getProperty("wisp.traces", "../../shared/traces"));

    @Test
    void traceArrivalsFollowEachMinutesCountTimesTheScale() {
        int[] counts = new int[1440];
        counts[600] = 120;  // 10:00
        counts[601] = 30;
        counts[602] = 0;
        counts[603] = 7;
        long tenOClock = Instant.parse("2026-04-07T10:00:00Z").toEpochMilli();
        Arrivals.Trace t = new Arrivals.Trace(counts, 0.5);
        List<Long> times = Arrivals.times(t, tenOClock, tenOClock + 4 * 60_000, 1, new SplittableRandom(7));
        long[] perMinute = new long[4];
        for (long a : times) perMinute[(int) ((a - tenOClock) / 60_000)]++;
        assertEquals(60, perMinute[0]);
        assertEquals(15, perMinute[1]);
        assertEquals(0, perMinute[2]);
        assertTrue(perMinute[3] == 3 || perMinute[3] == 4, "3.5 rounds stochastically: " + perMinute[3]);
        for (int i = 1; i < times.size(); i++) assertTrue(times.get(i - 1) <= times.get(i), "sorted");
        assertEquals(times, Arrivals.times(t, tenOClock, tenOClock + 4 * 60_000, 1, new SplittableRandom(7)), "deterministic per seed");
        // the generator's own scale multiplies too; an interval inside a minute keeps its share
        assertEquals(30, Arrivals.times(t, tenOClock, tenOClock + 60_000, 0.5, new SplittableRandom(1)).size());
        int half = Arrivals.times(t, tenOClock + 30_000, tenOClock + 60_000, 1, new SplittableRandom(3)).size();
        assertTrue(half > 15 && half < 45, "about half of 60: " + half);
        assertEquals(60 * 0.5 + 15 + 0 + 3.5, t.expected(tenOClock + 30_000, tenOClock + 4 * 60_000), 1e-9);
        assertEquals(1.0, t.rate(tenOClock), 1e-9);
    }

    @Test
    void traceFunctionsAreSampledCappedAndScaledToTheMachine() throws Exception {
        Path file = Path.of(System.getProperty("wisp.repo", "..")).resolve("bench/scenarios/trace-dos-http.json");
        assumeTrue(Files.isDirectory(TRACES.resolve("azure2019")), "no traces at " + TRACES.toAbsolutePath());
        Scenario s = ScenarioParser.parse(file);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LiveTraces.Fit fit = LiveTraces.fit(s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String said = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(said);
        assertEquals(30, fit.sampled());
        assertEquals(30, fit.deployed().size() + fit.idle() + fit.overCap(), fit.toString());
        assertTrue(fit.deployed().size() <= LiveTraces.MAX_TRACE_FUNCTIONS);
        Scenario ls = fit.scenario();
        assertEquals(null, ls.traceFunctions());
        assertEquals("t-266dafac", ls.functions().getFirst().name(), "the scenario's own functions come first");
        assertEquals(1 + fit.deployed().size(), ls.functions().size());
        for (FunctionDef f : ls.functions().subList(1, ls.functions().size())) {
            assertEquals("python3", f.runtime());
            if (f.execMs() instanceof Distribution.Piecewise p) assertTrue(p.values()[p.values().length - 1] <= LiveTraces.MAX_EXEC_MS);
        }
        for (WorkloadStream w : ls.workload()) {
            assertTrue(ls.function(w.function()) != null, w.function());
            if (w.pattern() instanceof Pattern.Trace t) {
                assertEquals(fit.rateFactor(), t.scale(), 1e-12);
                assertTrue(List.of("sdk", "http", "event").contains(w.trigger()), "a trigger with a live path: " + w.trigger());
            }
        }
        assertTrue(fit.rateFactor() > 0 && fit.rateFactor() <= 1);
        assertTrue(said.contains("traceFunctions sampled 30 functions"), said);
        assertTrue(said.contains("rate factor") || said.contains("scaled by"), said);
        // a fitted scenario fits again unchanged, silently
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        LiveTraces.Fit refit = LiveTraces.fit(ls, new PrintStream(again, true, StandardCharsets.UTF_8));
        assertSame(ls, refit.scenario());
        assertEquals(1.0, refit.rateFactor());
        assertFalse(refit.changed());
        assertEquals("", again.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMalformedTraceFileIsNamedWithItsLineWhenTheLivePlanReadsIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("bad.csv"), "HashOwner,HashApp,HashFunction,Trigger,1,2\no,a,abcdef0123,http,3,x\n");
        String json = """
                {"name": "bad-trace", "seed": 1, "startTime": "2026-04-07T00:00:00Z", "durationSeconds": 60,
                 "functions": [{"name": "f", "runtime": "python3", "role": "api", "memoryMb": 128, "timeoutSeconds": 3,
                   "initMs": {"dist": "const", "value": 1}, "execMs": {"dist": "const", "value": 1}}],
                 "workload": [{"function": "f", "trigger": "sdk", "source": "s",
                   "pattern": {"type": "trace", "file": "bad.csv", "function": "abcdef0123"}}]}
                """;
        Scenario s = ScenarioParser.parse(json, dir.resolve("bad.json"));
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> LivePlan.of(s, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("bad.csv:2") && e.getMessage().contains("column 2"), e.getMessage());
    }
}
