package dev.wisp.bench.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.bench.scenario.Distribution;
import dev.wisp.bench.scenario.FunctionDef;
import dev.wisp.bench.scenario.Pattern;
import dev.wisp.bench.scenario.ScenarioException;
import dev.wisp.bench.scenario.TraceFunctions;
import dev.wisp.bench.scenario.WorkloadStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading trace files and sampling {@code traceFunctions} (SCHEMA.md "Real traces"), on small files of its own. */
class TraceCatalogTest {
    @TempDir
    Path dir;

    /** A 64-hex-digit HashFunction that starts with {@code prefix}. */
    static String hash(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < 64) b.append('0');
        return b.toString();
    }

    private Path write(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n");
        return p;
    }

    private static int[] counts(int... firstMinutes) {
        int[] c = new int[1440];
        System.arraycopy(firstMinutes, 0, c, 0, firstMinutes.length);
        return c;
    }

    // ---- per-minute files ----

    @Test
    void readsTheDayFileHeaderStyleWithMinuteSuffixes() throws IOException {
        Path f = write("day.csv",
                "HashFunction,HashOwner,HashApp,1_minute,2_minute,3_minute",
                hash("aaaa0001") + ",o,a,3,0,7",
                hash("BBBB0002") + ",o,a,0,1,2");
        List<TraceCatalog.Row> rows = TraceCatalog.invocations(f);
        assertEquals(2, rows.size());
        assertArrayEquals(counts(3, 0, 7), rows.get(0).counts());
        assertEquals(10, rows.get(0).total());
        assertEquals(hash("bbbb0002"), rows.get(1).hashFunction(), "hashes are compared in lower case");
        assertEquals(null, rows.get(0).trigger(), "no Trigger column");
        assertArrayEquals(counts(0, 1, 2), TraceCatalog.countsOf(new Pattern.Trace(f, "bbbb0002", 1)));
    }

    @Test
    void readsTheAzureHeaderStyleWithBareMinutesAndTrigger() throws IOException {
        Path f = write("8h.csv",
                "HashOwner,HashApp,HashFunction,Trigger,480,481,1440",
                "o,a," + hash("cccc0003") + ",http,5,6,9");
        TraceCatalog.Row r = TraceCatalog.invocations(f).getFirst();
        assertEquals("http", r.trigger());
        assertEquals(5, r.counts()[479], "column N is minute N of the day, counted from 1");
        assertEquals(6, r.counts()[480]);
        assertEquals(9, r.counts()[1439]);
        assertEquals(20, r.total());
    }

    @Test
    void aMissingMinuteColumnMeansNoArrivalsThatMinute() throws IOException {
        Path f = write("gap.csv",
                "HashFunction,HashOwner,HashApp,1,3",
                hash("dddd0004") + ",o,a,4,5");
        int[] c = TraceCatalog.countsOf(new Pattern.Trace(f, "dddd0004", 1));
        assertArrayEquals(counts(4, 0, 5), c);
    }

    @Test
    void aBadRowIsReportedWithFileAndLine() throws IOException {
        Path notANumber = write("bad.csv",
                "HashFunction,HashOwner,HashApp,1_minute,2_minute",
                hash("eeee0005") + ",o,a,1,2",
                hash("eeee0006") + ",o,a,1,x");
        ScenarioException e = assertThrows(ScenarioException.class, () -> TraceCatalog.invocations(notANumber));
        assertTrue(e.getMessage().contains(notANumber + ":3:"), e.getMessage());
        assertTrue(e.getMessage().contains("2_minute") && e.getMessage().contains("\"x\""), e.getMessage());

        Path negative = write("neg.csv", "HashFunction,1", hash("eeee0007") + ",-1");
        e = assertThrows(ScenarioException.class, () -> TraceCatalog.invocations(negative));
        assertTrue(e.getMessage().contains(negative + ":2:"), e.getMessage());

        Path shortRow = write("short.csv", "HashFunction,HashOwner,HashApp,1,2", hash("eeee0008") + ",o,a,1");
        e = assertThrows(ScenarioException.class, () -> TraceCatalog.invocations(shortRow));
        assertTrue(e.getMessage().contains(shortRow + ":2:") && e.getMessage().contains("columns"), e.getMessage());

        Path noHash = write("nohash.csv", "HashOwner,HashApp,1", "o,a,1");
        e = assertThrows(ScenarioException.class, () -> TraceCatalog.invocations(noHash));
        assertTrue(e.getMessage().contains(noHash + ":1:") && e.getMessage().contains("HashFunction"), e.getMessage());

        Path missing = dir.resolve("nowhere.csv");
        e = assertThrows(ScenarioException.class, () -> TraceCatalog.invocations(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void anUnknownOrAmbiguousPrefixIsAClearError() throws IOException {
        Path f = write("two.csv",
                "HashFunction,HashOwner,HashApp,1",
                hash("abcdef01aa") + ",o,a,1",
                hash("abcdef01bb") + ",o,a,2");
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> TraceCatalog.countsOf(new Pattern.Trace(f, "12345678", 1)));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("12345678"), e.getMessage());
        e = assertThrows(ScenarioException.class, () -> TraceCatalog.countsOf(new Pattern.Trace(f, "abcdef01", 1)));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not unique")
                && e.getMessage().contains(hash("abcdef01aa")) && e.getMessage().contains(hash("abcdef01bb")), e.getMessage());
        // a longer prefix tells them apart
        assertEquals(2, TraceCatalog.countsOf(new Pattern.Trace(f, "abcdef01bb", 1))[0]);
    }

    // ---- traceFunctions ----

    /** Forty functions, function i invoked i times in minute 1, with triggers cycling through the trace's groups. */
    private Path forty() throws IOException {
        String[] triggers = {"http", "timer", "queue", "event", "storage", "orchestration", "others"};
        List<String> lines = new ArrayList<>();
        lines.add("HashOwner,HashApp,HashFunction,Trigger,1,2");
        for (int i = 0; i < 40; i++) {
            lines.add("o,a," + hash(String.format("%08x", 0x10000000 + i)) + "," + triggers[i % triggers.length] + "," + i + ",0");
        }
        return write("forty.csv", lines.toArray(String[]::new));
    }

    private record Sampled(List<FunctionDef> defs, List<WorkloadStream> workload, Map<String, int[]> counts) {
        List<String> names() { return defs.stream().map(FunctionDef::name).toList(); }

        FunctionDef def(String name) { return defs.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(); }
    }

    private static Sampled sample(TraceFunctions tf, List<FunctionDef> defs, List<WorkloadStream> workload) {
        Sampled s = new Sampled(new ArrayList<>(defs), new ArrayList<>(workload), new HashMap<>());
        TraceCatalog.addTraceFunctions(tf, s.defs, s.workload, s.counts);
        return s;
    }

    private static Sampled sample(TraceFunctions tf) { return sample(tf, List.of(), List.of()); }

    @Test
    void samplingIsDeterministicPerSeed() throws IOException {
        Path f = forty();
        List<String> a = sample(new TraceFunctions(f, 10, 7, null, null, 1)).names();
        List<String> b = sample(new TraceFunctions(f, 10, 7, null, null, 1)).names();
        List<String> c = sample(new TraceFunctions(f, 10, 8, null, null, 1)).names();
        assertEquals(10, a.size());
        assertEquals(a, b, "same seed, same functions");
        assertNotEquals(a, c, "another seed, other functions");
        assertEquals(10, a.stream().distinct().count());
        assertTrue(a.stream().allMatch(n -> n.matches("t-1[0-9a-f]{7}")), a.toString());
    }

    @Test
    void samplingRespectsMinPerDayAndNeverTakesMoreThanThereIs() throws IOException {
        Path f = forty();
        Sampled s = sample(new TraceFunctions(f, 100, 3, null, null, 30));
        // functions 30..39 have at least 30 invocations
        assertEquals(10, s.defs().size());
        for (WorkloadStream w : s.workload()) {
            Pattern.Trace t = (Pattern.Trace) w.pattern();
            int[] c = s.counts().get(t.file() + "#" + t.function());
            assertTrue(c[0] >= 30, w.function() + " has " + c[0]);
        }
        // the default, 1, leaves out only the function never invoked
        assertEquals(39, sample(new TraceFunctions(f, 100, 3, null, null, 1)).defs().size());
    }

    @Test
    void triggersAreMappedAsTheSchemaSays() throws IOException {
        Path f = forty();
        Sampled s = sample(new TraceFunctions(f, 100, 3, null, null, 1));
        Map<String, String> expected = Map.of("http", "http", "timer", "schedule", "queue", "queue", "event", "event",
                "storage", "event", "orchestration", "chain", "others", "sdk");
        String[] triggers = {"http", "timer", "queue", "event", "storage", "orchestration", "others"};
        for (WorkloadStream w : s.workload()) {
            int i = Integer.parseInt(w.function().substring(2), 16) - 0x10000000;
            assertEquals(expected.get(triggers[i % 7]), w.trigger(), w.function());
            assertEquals("trace", w.source());
            assertEquals(1, ((Pattern.Trace) w.pattern()).scale());
        }
        // no Trigger column: sdk
        Path noTrigger = write("nt.csv", "HashFunction,HashOwner,HashApp,1_minute", hash("77777777") + ",o,a,5");
        assertEquals("sdk", sample(new TraceFunctions(noTrigger, 1, 1, null, null, 1)).workload().getFirst().trigger());
    }

    @Test
    void execTimeComesFromTheDurationsFileAndMemoryIsRoundedUpTo128Mb() throws IOException {
        Path inv = write("inv.csv",
                "HashOwner,HashApp,HashFunction,Trigger,1",
                "o,a," + hash("a0000001") + ",http,5",
                "o,a," + hash("a0000002") + ",queue,5",
                "o,a," + hash("a0000003") + ",queue,5",
                "o,a," + hash("a0000004") + ",timer,5",
                "o,a," + hash("a0000005") + ",timer,5");
        String durHeader = "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
                + "percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,"
                + "percentile_Average_99,percentile_Average_100";
        Path dur = write("dur.csv", durHeader,
                "o,a," + hash("a0000001") + ",300,15,10,2000,10,20,100,200,400,1000,2000",
                "o,a," + hash("a0000002") + ",50,15,40,60,40,50,45,50,55,60,60");
        Path mem = write("mem.csv",
                "HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1",
                hash("a0000001") + ",o,a,10,57.3,1",
                hash("a0000002") + ",o,a,10,128,1",
                hash("a0000003") + ",o,a,10,128.01,1",
                hash("a0000004") + ",o,a,10,300,1");
        Sampled s = sample(new TraceFunctions(inv, 5, 1, dur, mem, 1));

        Distribution d1 = s.def("t-a0000001").execMs();
        Distribution.Piecewise p = assertInstanceOf(Distribution.Piecewise.class, d1);
        assertArrayEquals(new double[] {0, 0.01, 0.25, 0.5, 0.75, 0.99, 1}, p.probabilities(), 1e-12);
        assertArrayEquals(new double[] {10, 20, 100, 200, 400, 1000, 2000}, p.values(), 1e-12);
        // interpolated between the percentiles: a quarter below 100 ms, half below 200, 37.5 % below 150
        SplittableRandom r = new SplittableRandom(5);
        int n = 40_000;
        int below100 = 0;
        int below150 = 0;
        int below200 = 0;
        for (int i = 0; i < n; i++) {
            double v = d1.sample(r);
            assertTrue(v >= 10 && v <= 2000, "sample " + v);
            if (v < 100) below100++;
            if (v < 150) below150++;
            if (v < 200) below200++;
        }
        assertEquals(0.25, below100 / (double) n, 0.01);
        assertEquals(0.375, below150 / (double) n, 0.01);
        assertEquals(0.5, below200 / (double) n, 0.01);
        // percentiles that are not monotone (45 after 50) are made so
        Distribution.Piecewise p2 = assertInstanceOf(Distribution.Piecewise.class, s.def("t-a0000002").execMs());
        assertArrayEquals(new double[] {40, 50, 50, 50, 55, 60, 60}, p2.values(), 1e-12);
        // no durations row: the default
        assertEquals(new Distribution.LogNormal(200, 5000), s.def("t-a0000005").execMs());

        assertEquals(128, s.def("t-a0000001").memoryMb());
        assertEquals(128, s.def("t-a0000002").memoryMb());
        assertEquals(256, s.def("t-a0000003").memoryMb());
        assertEquals(384, s.def("t-a0000004").memoryMb());
        assertEquals(256, s.def("t-a0000005").memoryMb(), "no memory row: 256");
        FunctionDef d = s.def("t-a0000003");
        assertEquals("trace", d.role());
        assertEquals(new Distribution.LogNormal(300, 1500), d.initMs());
    }

    @Test
    void aBadDurationsOrMemoryRowNamesFileAndLine() throws IOException {
        Path inv = write("inv1.csv", "HashFunction,1", hash("b0000001") + ",5");
        Path dur = write("dur1.csv", "HashFunction,percentile_Average_0,percentile_Average_1,percentile_Average_25,"
                        + "percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100",
                hash("b0000001") + ",1,2,3,four,5,6,7");
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> sample(new TraceFunctions(inv, 1, 1, dur, null, 1)));
        assertTrue(e.getMessage().contains(dur + ":2:") && e.getMessage().contains("percentile_Average_50"), e.getMessage());
        Path mem = write("mem1.csv", "HashFunction,SampleCount", hash("b0000001") + ",3");
        e = assertThrows(ScenarioException.class, () -> sample(new TraceFunctions(inv, 1, 1, null, mem, 1)));
        assertTrue(e.getMessage().contains(mem.toString()) && e.getMessage().contains("AverageAllocatedMb"), e.getMessage());
    }

    @Test
    void aFunctionTheScenarioAlreadyReplaysIsNotSampledAgain() throws IOException {
        Path f = write("three.csv",
                "HashFunction,HashOwner,HashApp,1_minute",
                hash("c0000001") + ",o,a,1",
                hash("c0000002") + ",o,a,1",
                hash("c0000003") + ",o,a,1");
        FunctionDef named = new FunctionDef("t-c0000001", "java21", "api", 256, 30, null,
                new Distribution.Const(1), new Distribution.Const(1), 0, 0, null);
        FunctionDef other = new FunctionDef("api", "java21", "api", 256, 30, null,
                new Distribution.Const(1), new Distribution.Const(1), 0, 0, null);
        WorkloadStream replay = new WorkloadStream("api", "http", "web", new Pattern.Trace(f, "c0000002", 1), null, null);
        Sampled s = sample(new TraceFunctions(f, 10, 1, null, null, 1), List.of(named, other), List.of(replay));
        assertEquals(List.of("t-c0000001", "api", "t-c0000003"), s.names());
    }

    // ---- replay through the simulator ----

    /** A day of counts: a burst of minutes with varying counts, idle gaps, and a last active minute well before midnight. */
    private static int[] dayOfCounts() {
        int[] c = new int[1440];
        SplittableRandom r = new SplittableRandom(99);
        for (int m = 0; m < 1400; m++) {
            if (r.nextInt(4) == 0) c[m] = r.nextInt(1, 40);
        }
        return c;
    }

    private Path dayFile(int[] c) throws IOException {
        StringBuilder header = new StringBuilder("HashFunction,HashOwner,HashApp");
        StringBuilder row = new StringBuilder(hash("f00dcafe") + ",o,a");
        StringBuilder other = new StringBuilder(hash("0badf00d") + ",o,a");
        for (int m = 1; m <= 1440; m++) {
            header.append(',').append(m).append("_minute");
            row.append(',').append(c[m - 1]);
            other.append(',').append(m % 7);
        }
        return write("replay.csv", header.toString(), row.toString(), other.toString());
    }

    private String replayScenario(String start, double durationSeconds, double historyDays, String stream) {
        return """
                {"name": "replay", "seed": 5, "startTime": "%s", "durationSeconds": %s, "historyDays": %s, "modes": ["sim"],
                 "platform": {"maxInstancesPerFunction": 200, "accountConcurrency": 1000},
                 "functions": [{"name": "f", "runtime": "java21", "role": "api", "memoryMb": 128, "timeoutSeconds": 30,
                                "initMs": {"dist": "const", "value": 5}, "execMs": {"dist": "const", "value": 5}}],
                 "workload": [{"function": "f", "trigger": "http", "source": "web", %s
                               "pattern": {"type": "trace", "file": "replay.csv", "function": "F00DCAFE"}}]}
                """.formatted(start, durationSeconds, historyDays, stream);
    }

    private SimulatorTest.Recorder run(String json) {
        SimulatorTest.Recorder r = new SimulatorTest.Recorder();
        new Simulator(dev.wisp.bench.scenario.ScenarioParser.parse(json, dir.resolve("s.json"))).run(r, p -> { });
        return r;
    }

    /** Arrivals per day (since the epoch) and minute of that day. */
    private static Map<Long, int[]> perDayAndMinute(SimulatorTest.Recorder r) {
        Map<Long, int[]> out = new LinkedHashMap<>();
        for (var rec : r.records(x -> x.functionName().equals("f"))) {
            long day = Math.floorDiv(rec.receivedAt(), 86_400_000L);
            out.computeIfAbsent(day, k -> new int[1440])[(int) (Math.floorMod(rec.receivedAt(), 86_400_000L) / 60_000L)]++;
        }
        return out;
    }

    @Test
    void replayingAFunctionForADayGivesTheFilesCountsEveryMinuteInHistoryAndScoredPart() throws IOException {
        int[] c = dayOfCounts();
        dayFile(c);
        SimulatorTest.Recorder r = run(replayScenario("2026-03-03T00:00:00Z", 86_400, 1, ""));
        Map<Long, int[]> days = perDayAndMinute(r);
        assertEquals(2, days.size(), "a history day and the scored day: " + days.keySet());
        for (int[] got : days.values()) assertArrayEquals(c, got);
    }

    @Test
    void aStreamStartingMidDayReplaysTheClocksMinutesAndAPartialMinuteItsShare() throws IOException {
        int[] c = new int[1440];
        c[600] = 600; // 10:00
        c[601] = 7;
        c[602] = 3;
        dayFile(c);
        // starts at 10:00:30 (history 0): minute 600 is half covered, then 601 and 602 in full
        SimulatorTest.Recorder r = run(replayScenario("2026-03-03T10:00:30Z", 600, 0, ""));
        int[] got = perDayAndMinute(r).values().iterator().next();
        assertTrue(got[600] > 240 && got[600] < 360, "half of minute 600's 600 arrivals, got " + got[600]);
        assertEquals(7, got[601]);
        assertEquals(3, got[602]);
        long before = r.records(x -> x.receivedAt() < java.time.Instant.parse("2026-03-03T10:00:30Z").toEpochMilli()).size();
        assertEquals(0, before);
    }

    @Test
    void scaleMultipliesTheCounts() throws IOException {
        int[] c = new int[1440];
        c[0] = 10;
        c[1] = 1000;
        dayFile(c);
        String json = replayScenario("2026-03-03T00:00:00Z", 180, 0, "").replace("\"F00DCAFE\"}", "\"F00DCAFE\", \"scale\": 2.5}");
        int[] got = perDayAndMinute(run(json)).values().iterator().next();
        assertEquals(25, got[0]);
        assertEquals(2500, got[1]);
    }

    @Test
    void anUnknownPrefixInAScenarioFailsTheRunWithTheFileNamed() throws IOException {
        dayFile(dayOfCounts());
        String json = replayScenario("2026-03-03T00:00:00Z", 60, 0, "").replace("F00DCAFE", "DEADBEEF");
        ScenarioException e = assertThrows(ScenarioException.class, () -> run(json));
        assertTrue(e.getMessage().contains("replay.csv") && e.getMessage().contains("deadbeef"), e.getMessage());
    }

    @Test
    void injectionsOnASampledTraceFunctionUseItsTrigger() throws IOException {
        Path f = write("q.csv", "HashOwner,HashApp,HashFunction,Trigger,1,2,3",
                "o,a," + hash("e0000001") + ",queue,1,1,1");
        String json = """
                {"name": "inj", "seed": 5, "startTime": "2026-03-03T00:00:00Z", "durationSeconds": 120, "modes": ["sim"],
                 "functions": [], "workload": [],
                 "traceFunctions": {"file": "q.csv", "count": 5},
                 "injections": [{"id": "b", "type": "dos-burst", "label": "dos", "function": "t-e0000001",
                                 "startSecond": 10, "durationSeconds": 5, "ratePerSecond": 10, "source": "attacker"}]}
                """;
        SimulatorTest.Recorder r = run(json);
        var attack = r.records(x -> "attacker".equals(x.sourceId()));
        assertTrue(attack.size() > 20, "attack records " + attack.size());
        assertTrue(attack.stream().allMatch(x -> x.trigger() == dev.wisp.telemetry.model.Trigger.QUEUE),
                attack.stream().map(x -> x.trigger().toString()).collect(Collectors.toSet()).toString());
        // a t- name that traceFunctions did not sample is a clear error
        String missing = json.replace("t-e0000001", "t-e0000009");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(missing));
        assertTrue(e.getMessage().contains("t-e0000009") && e.getMessage().contains("traceFunctions"), e.getMessage());
        assertTrue(Files.exists(f));
    }

    // ---- the real slices in ../shared/traces, when present ----

    private static final Path AZURE = Path.of("../../shared/traces/azure2019");

    @Test
    void theRealAzureSlicesParseAndSample() {
        Path day = AZURE.resolve("day_1340fn_invocations_per_minute.csv");
        Path inv = AZURE.resolve("8h_500fn_invocations_per_minute.csv");
        Assumptions.assumeTrue(Files.isRegularFile(day) && Files.isRegularFile(inv), "no ../shared/traces here");
        List<TraceCatalog.Row> rows = TraceCatalog.invocations(day);
        assertEquals(1340, rows.size());
        assertEquals(991_405, rows.stream().mapToLong(TraceCatalog.Row::total).sum(), "the README's day total");

        Sampled s = sample(new TraceFunctions(inv, 500, 1, AZURE.resolve("8h_500fn_durations.csv"),
                AZURE.resolve("8h_500fn_memory.csv"), 1));
        assertTrue(s.defs().size() > 400, "functions " + s.defs().size());
        for (FunctionDef d : s.defs()) {
            assertInstanceOf(Distribution.Piecewise.class, d.execMs(), d.name() + " has a durations row");
            assertEquals(0, d.memoryMb() % 128, d.name());
        }
        for (WorkloadStream w : s.workload()) {
            Pattern.Trace t = (Pattern.Trace) w.pattern();
            int[] c = s.counts().get(t.file() + "#" + t.function());
            for (int m = 0; m < 1440; m++) {
                if (m < 479 || m > 958) assertEquals(0, c[m], "the 8-hour slice has columns 480..959 only");
            }
        }
        Map<String, Long> triggers = s.workload().stream().collect(Collectors.groupingBy(WorkloadStream::trigger, Collectors.counting()));
        assertTrue(triggers.keySet().containsAll(List.of("http", "schedule", "queue", "event", "chain")), triggers.toString());
    }
}
