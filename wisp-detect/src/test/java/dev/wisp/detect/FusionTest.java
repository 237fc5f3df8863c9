package dev.wisp.detect;

import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.wisp.detect.DetectionEngineTest.DAY;
import static dev.wisp.detect.DetectionEngineTest.T0;
import static dev.wisp.detect.DetectionEngineTest.scored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One cause, one incident: functions slowed down by a workload burning the host are not incidents of their own. */
class FusionTest {

    private static MiniSim.Fn login(MiniSim sim, MiniSim.Rate slowdown) {
        MiniSim.Fn f = new MiniSim.Fn("login");
        f.memoryMb = 256;
        f.execMedianMs = 25;
        f.execSigma = 0.3;
        f.initMs = 400;
        f.cpuMillicores = 0;
        f.stream("app", Trigger.HTTP, t -> 3);
        f.addedLatencyMs = slowdown;
        return sim.add(f);
    }

    @Test
    void aVictimOfDenialOfWalletJoinsTheAttacksIncident() {
        MiniSim sim = new MiniSim(6);
        long atk = T0 + 1800_000, end = atk + 3600_000;
        MiniSim.Fn f = new MiniSim.Fn("render-report");
        f.memoryMb = 3008;
        f.execMedianMs = 3000;
        f.execSigma = 0.3;
        f.initMs = 2500;
        f.cap = 20;
        f.cpuMillicores = 900;
        f.stream("app", Trigger.HTTP, t -> 0.05);
        f.stream("scraper", Trigger.HTTP, t -> t >= atk && t < end ? 0.4 : 0);
        sim.add(f);
        // the CPU burn slows login down (processor sharing)
        login(sim, t -> t >= atk + 60_000 && t < end ? 40 : 0);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0 - DAY, end + 600_000, e::accept, e::advanceTo);
        List<Incident> inc = scored(e, T0);
        assertEquals(1, inc.size(), () -> "one incident for one attack: " + inc);
        Incident i = inc.get(0);
        assertEquals("render-report", i.function(), i::explanation);
        assertEquals(IncidentType.DOW, i.type(), i::explanation);
        assertTrue(i.explanation().contains("login slowed down too"), i::explanation);
    }

    @Test
    void aForeignHogIsOnePlatformWideNoisyNeighbourIncident() {
        MiniSim sim = new MiniSim(8);
        long atk = T0 + 1200_000, end = atk + 300_000;
        MiniSim.Rate during = t -> t >= atk && t < end ? 1 : 0;
        sim.hostExtra = t -> 1800 * during.at(t);
        MiniSim.Fn api = new MiniSim.Fn("api");
        api.execMedianMs = 60;
        api.cpuMillicores = 200;
        api.stream("web", Trigger.HTTP, t -> 6);
        api.addedLatencyMs = t -> 90 * during.at(t);
        sim.add(api);
        login(sim, t -> 50 * during.at(t));
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        // the hog's instances report their CPU like any function's, in a tenant of their own
        sim.run(T0 - DAY, end + 600_000, item -> {
            if (item instanceof ResourceSample s && s.scope() == ResourceSample.Scope.HOST && during.at(s.timestamp()) > 0) {
                e.accept(new ResourceSample(s.timestamp(), ResourceSample.Scope.INSTANCE, "neighbour", "hog", "hog-1",
                        1800, 1L << 30, 0, 0, 0));
            }
            e.accept(item);
        }, e::advanceTo);
        List<Incident> inc = scored(e, T0);
        assertEquals(1, inc.size(), () -> "one incident for one hog: " + inc);
        assertNull(inc.get(0).function(), inc.get(0)::explanation);
        assertEquals(IncidentType.NOISY_NEIGHBOUR, inc.get(0).type(), inc.get(0)::explanation);
        assertTrue(inc.get(0).openedAt() - atk <= 60_000, () -> "late: " + inc.get(0));
    }

    @Test
    void oneDetectorFiringSecondAfterSecondDoesNotOpenAnIncidentAlone() {
        IncidentTracker tr = new IncidentTracker("t", "f", DetectionConfig.defaults());
        int[] ids = {0};
        for (long s = 0; s < 5; s++) {
            Fired f = new Fired(new Signal("cold-start-surge", "cold starts/s", s * 1000, 0.6, 3, 0, "x"), 0.6, false);
            assertEquals(IncidentTracker.Change.NONE, tr.offer(s, List.of(f), () -> "inc-" + ++ids[0], 0, null));
        }
        Fired a = new Fired(new Signal("cold-start-surge", "cold starts/s", 5000, 0.6, 3, 0, "x"), 0.6, false);
        Fired b = new Fired(new Signal("wait", "waitMs", 5000, 0.6, 3, 0, "y"), 0.5, false);
        assertEquals(IncidentTracker.Change.OPENED, tr.offer(5, List.of(a, b), () -> "inc-" + ++ids[0], 0, null));
    }
}
