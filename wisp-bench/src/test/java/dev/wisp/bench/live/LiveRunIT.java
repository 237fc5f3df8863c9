package dev.wisp.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.bench.scenario.Scenario;
import dev.wisp.bench.scenario.ScenarioParser;
import dev.wisp.bench.sim.SimListener;
import dev.wisp.bench.sim.SimOutcome;
import dev.wisp.bench.sim.Window;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny scenario live against an in-process Wisp server: 20 s of 3/s Poisson traffic to a python3
 * function from one source, a 3-second 80/s DoS burst from another (more than the instances warmed
 * before the start can serve), and a 5-second queueing collapse (the controller's dispatch capacity
 * cut to 0.2 times normal through the admin fault-injection endpoint). About 25 s of real time.
 */
class LiveRunIT {
    private static final String SCENARIO = """
            {
              "name": "live-smoke",
              "seed": 11,
              "startTime": "2026-03-03T10:00:00Z",
              "durationSeconds": 20,
              "platform": {"keepAliveSeconds": 600, "maxInstancesPerFunction": 12, "accountConcurrency": 50},
              "functions": [
                {"name": "thumbnail", "runtime": "python3", "role": "api", "memoryMb": 128, "timeoutSeconds": 10,
                 "initMs": {"dist": "const", "value": 150},
                 "execMs": {"dist": "lognormal", "median": 60, "p99": 200},
                 "cpuMillicores": 100}
              ],
              "workload": [
                {"function": "thumbnail", "trigger": "sdk", "source": "web", "pattern": {"type": "poisson", "ratePerSecond": 3}}
              ],
              "injections": [
                {"id": "burst-1", "type": "dos-burst", "label": "dos", "function": "thumbnail",
                 "startSecond": 8, "durationSeconds": 3, "ratePerSecond": 80, "source": "attacker-1"},
                {"id": "collapse", "type": "queueing-collapse", "label": "queueing-collapse",
                 "startSecond": 13, "durationSeconds": 5, "dispatchCapacityFactor": 0.2}
              ]
            }
            """;

    @Test
    void drivesWorkloadAndBurstAgainstARealServerOnTheScenariosClock(@TempDir Path dir) throws Exception {
        Scenario s = ScenarioParser.parse(SCENARIO, dir.resolve("live-smoke.json"));
        long start = s.startTime().toEpochMilli();
        long end = start + 20_000;
        List<InvocationRecord> records = new ArrayList<>();
        Map<String, Long> initStarted = new HashMap<>();
        List<Long> inits = new ArrayList<>();
        List<Long> ticks = new ArrayList<>();
        int[] samples = new int[1];
        Thread[] listenerThread = new Thread[1];
        boolean[] otherThread = new boolean[1];
        SimListener listener = new SimListener() {
            @Override
            public void telemetry(Object item) {
                sameThread();
                if (item instanceof InvocationRecord r) records.add(r);
                if (item instanceof ResourceSample) samples[0]++;
                if (item instanceof PlatformEvent.InstanceEvent e) {
                    if (e.transition() == PlatformEvent.InstanceTransition.INIT_STARTED) initStarted.put(e.instanceId(), e.timestamp());
                    Long began = initStarted.get(e.instanceId());
                    if (e.transition() == PlatformEvent.InstanceTransition.READY && began != null) inits.add(e.timestamp() - began);
                }
            }

            @Override
            public void tick(long epochMillis) {
                sameThread();
                ticks.add(epochMillis);
            }

            private void sameThread() {
                if (listenerThread[0] == null) listenerThread[0] = Thread.currentThread();
                else if (listenerThread[0] != Thread.currentThread()) otherThread[0] = true;
            }
        };
        double[] progress = {0};
        LiveRun run = new LiveRun(s, null, dir.resolve("work"));
        SimOutcome outcome = run.run(listener, p -> progress[0] = p);

        Map<String, String> keys = run.sourceKeys();
        String web = keys.get("web");
        String attacker = keys.get("attacker-1");
        assertNotNull(web, keys.toString());
        assertNotNull(attacker, keys.toString());
        assertNotEquals(web, attacker, "each source has its own access key");
        // the server saw the access keys; the bench hands detection the scenario's source labels,
        // the names the simulated history used
        assertTrue(records.stream().noneMatch(r -> web.equals(r.sourceId()) || attacker.equals(r.sourceId())));
        long fromWeb = records.stream().filter(r -> "web".equals(r.sourceId())).count();
        long fromAttacker = records.stream().filter(r -> "attacker-1".equals(r.sourceId())).count();
        assertTrue(fromWeb >= 30, "about 60 benign invocations expected, got " + fromWeb + "; " + run.stats().summary());
        assertTrue(fromAttacker >= 50, "about 240 burst invocations expected, got " + fromAttacker + "; " + run.stats().summary());
        assertTrue(records.stream().anyMatch(InvocationRecord::coldStart), "cold starts happened");
        // scaled out: new instances started for it, or (a fast machine) instances warmed before the start served it side by side
        long coldStarts = records.stream().filter(InvocationRecord::coldStart).count();
        long instancesUsed = records.stream().map(InvocationRecord::instanceId).filter(java.util.Objects::nonNull).distinct().count();
        assertTrue(coldStarts >= 2 || instancesUsed >= 2, "the burst scaled the function out: " + coldStarts + " cold starts, "
                + instancesUsed + " instances");
        assertTrue(records.stream().anyMatch(r -> r.status() == InvocationStatus.SUCCESS));
        // an instance's init (init started -> ready) includes the synthetic init of 150 ms; a cold start's own
        // initMs shows all of it only if the request arrived as the init began (under load, requests join inits under way)
        double coldInit = records.stream().filter(InvocationRecord::coldStart).mapToDouble(InvocationRecord::initMs).max().orElse(0);
        assertTrue(coldInit >= 140 || inits.stream().anyMatch(ms -> ms >= 140),
                "init honours initMs: cold starts " + records.stream().filter(InvocationRecord::coldStart).map(InvocationRecord::initMs).toList()
                        + ", instance inits " + inits);

        // on the scenario's clock
        assertTrue(records.stream().allMatch(r -> r.receivedAt() >= start && r.receivedAt() < end + 30_000),
                "records are stamped on the scenario's clock, from " + Instant.ofEpochMilli(start));
        assertEquals(records.size(), outcome.totalInvocations());
        assertTrue(outcome.scoredInvocations() > 0 && outcome.scoredInvocations() <= outcome.totalInvocations());
        assertTrue(samples[0] > 0, "resource samples forwarded");
        assertFalse(ticks.isEmpty());
        assertEquals(start + 1000, ticks.getFirst());
        for (int i = 1; i < ticks.size(); i++) assertEquals(ticks.get(i - 1) + 1000, ticks.get(i), "one tick per second");
        assertTrue(ticks.getLast() >= end, "ticks reach the end: " + Instant.ofEpochMilli(ticks.getLast()));
        assertFalse(otherThread[0], "the listener is only called from one thread");
        assertEquals(1.0, progress[0], 1e-9);

        // the burst's realised window, about [8 s, 11 s] on the scenario's clock
        List<Window> windows = outcome.injectionWindows().get("burst-1");
        assertNotNull(windows, outcome.injectionWindows().toString());
        assertEquals(1, windows.size());
        Window w = windows.getFirst();
        assertEquals(start + 8_000, w.startMillis(), 500.0);
        assertEquals(start + 11_000, w.endMillis(), 500.0);
        long inWindow = records.stream().filter(r -> "attacker-1".equals(r.sourceId()))
                .filter(r -> r.receivedAt() >= w.startMillis() - 500 && r.receivedAt() <= w.endMillis() + 500).count();
        assertEquals(fromAttacker, inWindow, "the attacker's calls fall in the realised window");

        // the collapse: realised at about [13 s, 18 s]; the benign calls wait for the controller's turn
        List<Window> collapse = outcome.injectionWindows().get("collapse");
        assertNotNull(collapse, outcome.injectionWindows().toString());
        assertEquals(start + 13_000, collapse.getFirst().startMillis(), 500.0);
        assertEquals(start + 18_000, collapse.getFirst().endMillis(), 500.0);
        double before = meanWait(records, "web", start + 1_000, start + 7_000);
        double during = meanWait(records, "web", start + 14_000, start + 18_000);
        assertTrue(during > 300 && during > 5 * before + 50, "waitMs rises during the collapse: " + before + " ms before, "
                + during + " ms during");
    }

    private static double meanWait(List<InvocationRecord> records, String source, long from, long to) {
        return records.stream().filter(r -> source.equals(r.sourceId()) && r.receivedAt() >= from && r.receivedAt() < to)
                .mapToDouble(InvocationRecord::waitMs).average().orElse(Double.NaN);
    }
}
