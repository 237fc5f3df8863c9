package dev.wisp.bench.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final Path FILE = Path.of("/tmp/sim-test.json");
    private static final long START = java.time.Instant.parse("2026-03-03T10:00:00Z").toEpochMilli();

    /** One function, a constant 10/s, and whatever {@code extra} adds at the top level. */
    private static String scenario(String platform, String function, String workload, String extra) {
        return """
                {"name": "t", "seed": 11, "startTime": "2026-03-03T10:00:00Z", "durationSeconds": %s,
                 "platform": {%s},
                 "functions": [{"name": "f", "runtime": "java21", "role": "api", "memoryMb": 512, "timeoutSeconds": 30,
                                %s}],
                 "workload": [%s] %s}
                """.formatted("60", platform, function, workload, extra);
    }

    private static final String FN = """
            "initMs": {"dist": "const", "value": 800}, "execMs": {"dist": "lognormal", "median": 100, "p99": 200}, "cpuMillicores": 200""";
    private static final String TEN_PER_SECOND = """
            {"function": "f", "trigger": "http", "source": "web", "pattern": {"type": "constant", "ratePerSecond": 10}}""";

    /** Everything a run emitted, with the ticks. */
    static final class Recorder implements SimListener {
        final List<Object> items = new ArrayList<>();
        final List<Long> ticks = new ArrayList<>();
        long last = Long.MIN_VALUE;

        @Override
        public void telemetry(Object item) {
            long t = switch (item) {
                case InvocationRecord r -> r.completedAt();
                case PlatformEvent e -> e.timestamp();
                case ResourceSample s -> s.timestamp();
                case LogLine l -> l.timestamp();
                default -> throw new AssertionError("unexpected telemetry " + item);
            };
            assertTrue(t >= last, "telemetry went back in time: " + item);
            if (!ticks.isEmpty()) assertTrue(t >= ticks.getLast(), "stamped before the last tick: " + item);
            last = t;
            items.add(item);
        }

        @Override
        public void tick(long epochMillis) { ticks.add(epochMillis); }

        List<InvocationRecord> records(Predicate<InvocationRecord> which) {
            return items.stream().filter(InvocationRecord.class::isInstance).map(InvocationRecord.class::cast).filter(which).toList();
        }
    }

    private static Recorder run(String json) {
        Recorder r = new Recorder();
        Scenario s = ScenarioParser.parse(json, FILE);
        new Simulator(s).run(r, p -> assertTrue(p >= 0 && p <= 1));
        return r;
    }

    @Test
    void aConstantTenPerSecondForAMinuteGivesAboutSixHundredRecords() {
        Recorder r = run(scenario("", FN, TEN_PER_SECOND, ""));
        int n = r.records(x -> true).size();
        assertTrue(n >= 590 && n <= 600, "records: " + n);
        assertEquals(60, r.ticks.size());
        assertEquals(START + 60_000, r.ticks.getLast());
        InvocationRecord first = r.records(x -> true).getFirst();
        assertTrue(first.coldStart());
        assertEquals("bench", first.tenant());
        assertEquals("$LATEST", first.version());
        assertEquals("web", first.sourceId());
        assertEquals(InvocationStatus.SUCCESS, first.status());
        assertTrue(first.costUsd() > 0 && first.gbSeconds() > 0 && first.billedMs() >= first.durationMs());
        assertTrue(r.items.stream().anyMatch(i -> i instanceof ResourceSample s && s.scope() == ResourceSample.Scope.HOST));
        assertTrue(r.items.stream().anyMatch(i -> i instanceof PlatformEvent.ConcurrencySample));
    }

    @Test
    void theSameSeedGivesTheSameTelemetry() {
        String json = scenario("\"maxInstancesPerFunction\": 3", FN, TEN_PER_SECOND, """
                , "injections": [{"id": "b", "type": "dos-burst", "label": "dos", "function": "f", "startSecond": 20,
                   "durationSeconds": 3, "ratePerSecond": 80, "source": "x"}]""");
        List<Object> a = run(json).items;
        List<Object> b = run(json).items;
        assertEquals(a.size(), b.size());
        assertEquals(a, b);
        List<Object> other = run(json.replace("\"seed\": 11", "\"seed\": 12")).items;
        assertTrue(!other.equals(a));
    }

    @Test
    void aBurstOnACappedFunctionColdStartsUpToTheCapQueuesAndLeavesInstancesBehind() {
        Recorder r = run(scenario("\"maxInstancesPerFunction\": 6", FN, """
                {"function": "f", "trigger": "http", "source": "web", "pattern": {"type": "constant", "ratePerSecond": 1}}""", """
                , "injections": [{"id": "b", "type": "dos-burst", "label": "dos", "function": "f", "startSecond": 20,
                   "durationSeconds": 4, "ratePerSecond": 100, "source": "attacker"}]"""));
        List<InvocationRecord> attack = r.records(x -> x.sourceId().equals("attacker"));
        assertTrue(attack.size() > 300, "attack records " + attack.size());
        long created = r.items.stream().filter(i -> i instanceof PlatformEvent.InstanceEvent e
                && e.transition() == PlatformEvent.InstanceTransition.CREATED).count();
        assertEquals(6, created, "instances are capped at 6");
        assertTrue(attack.stream().anyMatch(InvocationRecord::coldStart));
        assertTrue(attack.stream().mapToDouble(InvocationRecord::waitMs).max().orElse(0) > 1000, "requests queued");
        // long after the burst the pool still holds its instances (keep-alive 600 s)
        long after = START + 50_000;
        assertTrue(r.items.stream().anyMatch(i -> i instanceof ResourceSample s && s.scope() == ResourceSample.Scope.FUNCTION
                && s.timestamp() >= after && s.idle() + s.busy() >= 5), "instances linger");
    }

    @Test
    void keepAliveExpiryScalesToZero() {
        Recorder r = run(scenario("\"keepAliveSeconds\": 5", FN, """
                {"function": "f", "trigger": "http", "source": "web", "durationSeconds": 10,
                 "pattern": {"type": "constant", "ratePerSecond": 5}}""", ""));
        assertTrue(r.records(x -> true).size() > 40);
        assertTrue(r.items.stream().anyMatch(i -> i instanceof PlatformEvent.InstanceEvent e
                && e.transition() == PlatformEvent.InstanceTransition.EVICTED));
        ResourceSample lastHost = (ResourceSample) r.items.stream()
                .filter(i -> i instanceof ResourceSample s && s.scope() == ResourceSample.Scope.HOST).reduce((a, b) -> b).orElseThrow();
        assertTrue(r.items.stream().noneMatch(i -> i instanceof ResourceSample s && s.scope() == ResourceSample.Scope.INSTANCE
                && s.timestamp() == lastHost.timestamp()), "no instance is left at the end");
    }

    @Test
    void accountConcurrencyThrottles() {
        Recorder r = run(scenario("\"accountConcurrency\": 3", """
                "initMs": {"dist": "const", "value": 100}, "execMs": {"dist": "const", "value": 2000}""", TEN_PER_SECOND, ""));
        List<InvocationRecord> throttled = r.records(x -> x.status() == InvocationStatus.THROTTLED);
        assertTrue(throttled.size() > 400, "throttled " + throttled.size());
        assertEquals("TooManyRequestsException", throttled.getFirst().errorType());
        assertEquals(0, throttled.getFirst().costUsd());
        assertTrue(r.items.stream().anyMatch(i -> i instanceof PlatformEvent.Throttled t
                && t.reason().equals("ConcurrentInvocationLimitExceeded")));
        assertTrue(r.records(x -> x.status() == InvocationStatus.SUCCESS).size() > 50);
    }

    @Test
    void aNoisyNeighbourSlowsTheVictimWhileItsLoadStaysFlat() {
        Recorder r = run(scenario("\"hostCpuMillicores\": 2000", FN, TEN_PER_SECOND, """
                , "injections": [{"id": "hog", "type": "noisy-neighbour", "label": "noisy-neighbour", "function": "f",
                   "startSecond": 30, "durationSeconds": 20, "cpuMillicores": 6000}]"""));
        double before = meanDuration(r, START + 10_000, START + 30_000);
        double during = meanDuration(r, START + 33_000, START + 50_000);
        assertTrue(during > before * 2.5, "before " + before + " during " + during);
        assertTrue(r.items.stream().anyMatch(i -> i instanceof ResourceSample s && "neighbour".equals(s.tenant())));
        assertTrue(r.items.stream().anyMatch(i -> i instanceof ResourceSample s && s.scope() == ResourceSample.Scope.HOST
                && s.cpuMillicores() > 1900));
    }

    @Test
    void aFailingDependencyRaisesErrorsWithLogLines() {
        Recorder r = run(scenario("", FN, TEN_PER_SECOND, """
                , "injections": [{"id": "dep", "type": "dependency-failure", "label": "dependency-failure", "function": "f",
                   "startSecond": 20, "durationSeconds": 20, "errorRate": 0.5, "addedLatencyMs": {"dist": "const", "value": 300}}]"""));
        List<InvocationRecord> errors = r.records(x -> x.status() == InvocationStatus.ERROR);
        assertTrue(errors.size() > 50, "errors " + errors.size());
        assertTrue(errors.stream().allMatch(e -> e.errorType().equals("DependencyError")
                && e.receivedAt() >= START + 20_000 && e.receivedAt() < START + 40_000));
        assertEquals(errors.size(), r.items.stream().filter(LogLine.class::isInstance).count());
    }

    @Test
    void aRetryStormRetriesEachFailedEventTwice() {
        Recorder r = run(scenario("", FN, TEN_PER_SECOND, """
                , "injections": [{"id": "rs", "type": "retry-storm", "label": "retry-storm", "function": "f",
                   "startSecond": 10, "durationSeconds": 20, "ratePerSecond": 5, "errorRate": 1.0}]"""));
        List<InvocationRecord> events = r.records(x -> x.trigger() == dev.wisp.telemetry.model.Trigger.EVENT);
        long first = events.stream().filter(e -> !e.requestId().contains("-retry")).count();
        long retries = events.stream().filter(e -> e.requestId().contains("-retry")).count();
        assertTrue(first > 60);
        assertTrue(Math.abs(retries - 2 * first) <= 6, "first " + first + " retries " + retries);
    }

    @Test
    void repeatedBurstsReportOneWindowEach() {
        Scenario s = ScenarioParser.parse(scenario("", FN, TEN_PER_SECOND, """
                , "injections": [{"id": "b", "type": "dos-burst", "label": "dos", "function": "f", "startSecond": 5,
                   "durationSeconds": 2, "ratePerSecond": 50, "source": "x",
                   "repeat": {"count": 3, "gapSeconds": {"dist": "uniform", "min": 5, "max": 10}}}]"""), FILE);
        SimOutcome o = new Simulator(s).run(new Recorder(), p -> { });
        List<Window> w = o.injectionWindows().get("b");
        assertEquals(3, w.size());
        assertEquals(START + 5_000, w.getFirst().startMillis());
        for (int i = 1; i < w.size(); i++) {
            long gap = w.get(i).startMillis() - w.get(i - 1).endMillis();
            assertTrue(gap >= 5_000 && gap <= 10_000, "gap " + gap);
        }
        assertEquals(o.totalInvocations(), o.scoredInvocations());
    }

    private static double meanDuration(Recorder r, long from, long to) {
        return r.records(x -> x.functionName().equals("f") && x.receivedAt() >= from && x.receivedAt() < to && !x.coldStart())
                .stream().mapToDouble(InvocationRecord::durationMs).average().orElseThrow();
    }
}
