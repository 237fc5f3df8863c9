package dev.wisp.detect;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionEngineTest {
    static final long DAY = 86_400_000L;
    static final long T0 = Instant.parse("2026-03-03T10:00:00Z").toEpochMilli(); // a Tuesday

    static List<Incident> scored(DetectionEngine e, long from) {
        return e.incidents().stream().filter(i -> i.openedAt() >= from).toList();
    }

    static MiniSim.Fn inference(MiniSim sim, MiniSim.Rate attack) {
        MiniSim.Fn f = new MiniSim.Fn("detect-objects");
        f.memoryMb = 1024;
        f.execMedianMs = 280;
        f.execSigma = 0.15;
        f.initMs = 10_200;
        f.cap = 40;
        f.cpuMillicores = 500;
        f.stream("robots", Trigger.HTTP, t -> 5);
        f.stream("attacker-1", Trigger.HTTP, attack);
        return sim.add(f);
    }

    private static void burstScenario(double rate, double seconds) {
        MiniSim sim = new MiniSim(3);
        long start = T0, burst = start + 120_000;
        long end = burst + (long) (seconds * 1000);
        inference(sim, t -> t >= burst && t < end ? rate : 0);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(start - DAY, start + 420_000, e::accept, e::advanceTo);
        List<Incident> inc = scored(e, start);
        assertEquals(1, inc.size(), () -> "one incident for one burst: " + inc);
        Incident i = inc.get(0);
        assertEquals(IncidentType.DOS, i.type(), i::explanation);
        assertTrue(i.openedAt() - burst <= 2000, () -> "opened " + (i.openedAt() - burst) + " ms after onset");
        assertTrue(i.explanation().contains("attacker-1"), i::explanation);
        assertTrue(i.severity() > 0 && i.severity() <= 1 && i.confidence() > 0 && i.confidence() <= 1);
    }

    @Test
    void moderateBurstOpensOneDosIncidentWithin2s() { burstScenario(59, 3.9); }

    @Test
    void intenseBurstOpensOneDosIncidentWithin2s() { burstScenario(203, 4.9); }

    @Test
    void steadyTrafficRaisesNothing() {
        MiniSim sim = new MiniSim(2);
        inference(sim, t -> 0);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0 - DAY, T0 + 1800_000, e::accept, e::advanceTo);
        assertEquals(List.of(), scored(e, T0));
    }

    @Test
    void coldStartFromEmptyWithoutHistoryRaisesNothing() {
        MiniSim sim = new MiniSim(1);
        MiniSim.Fn f = inference(sim, t -> 0);
        f.streams.set(0, new MiniSim.Stream("robots", Trigger.HTTP, t -> 1.2));
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0, T0 + 180_000, e::accept, e::advanceTo);
        assertEquals(List.of(), e.incidents());
    }

    /** A commuter-like daily peak at 08:00 for 20 minutes. */
    private static MiniSim.Rate dailyPeak(long peakOffsetMs) {
        return t -> {
            long tod = Math.floorMod(t, DAY);
            return tod >= peakOffsetMs && tod < peakOffsetMs + 1_200_000 ? 12 : 1;
        };
    }

    private static DetectionEngine seasonalRun(long historyDays, MiniSim.Rate extraOnLastDay, long lastDayStart, long lastDayEnd) {
        MiniSim sim = new MiniSim(11);
        MiniSim.Fn f = new MiniSim.Fn("count-traffic");
        f.execMedianMs = 40;
        f.initMs = 600;
        f.memoryMb = 256;
        f.cap = 50;
        MiniSim.Rate peak = dailyPeak(8 * 3600_000L);
        f.stream("sensors", Trigger.QUEUE, t -> peak.at(t) + (t >= lastDayStart ? extraOnLastDay.at(t) : 0));
        sim.add(f);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(lastDayStart - historyDays * DAY, lastDayEnd, e::accept, e::advanceTo);
        return e;
    }

    @Test
    void seasonalPeakSeenInHistoryRaisesNothingButTheSamePeakAtAnUnusualHourDoes() {
        long day8 = Instant.parse("2026-03-10T00:00:00Z").toEpochMilli();
        // the usual 08:00 peak on day 8
        DetectionEngine usual = seasonalRun(7, t -> 0, day8, day8 + 9 * 3600_000L);
        assertEquals(List.of(), scored(usual, day8), "the daily 08:00 peak is expected");
        // the same load at 00:30
        long off = 30 * 60_000L;
        DetectionEngine odd = seasonalRun(7, t -> {
            long tod = Math.floorMod(t, DAY);
            return tod >= off && tod < off + 1_200_000 ? 11 : 0;
        }, day8, day8 + 3600_000L);
        List<Incident> inc = scored(odd, day8);
        assertEquals(1, inc.size(), () -> "the peak at 00:30 is not expected: " + inc);
        assertTrue(inc.get(0).openedAt() - (day8 + off) <= 5000, () -> "late: " + inc.get(0));
        assertTrue(inc.get(0).explanation().contains("00:30") || inc.get(0).explanation().contains("00:15")
                || inc.get(0).explanation().contains("00:"), inc.get(0)::explanation);
    }

    @Test
    void dependencyFailureIsTypedRight() {
        MiniSim sim = new MiniSim(5);
        long fail = T0 + 300_000;
        MiniSim.Fn f = new MiniSim.Fn("checkout");
        f.execMedianMs = 60;
        f.initMs = 500;
        f.stream("web", Trigger.HTTP, t -> 8);
        f.errorRate = t -> t >= fail && t < fail + 600_000 ? 0.4 : 0.001;
        f.addedLatencyMs = t -> t >= fail && t < fail + 600_000 ? 300 : 0;
        sim.add(f);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0 - DAY, T0 + 1200_000, e::accept, e::advanceTo);
        List<Incident> inc = scored(e, T0);
        assertEquals(1, inc.size(), () -> "one incident: " + inc);
        assertEquals(IncidentType.DEPENDENCY_FAILURE, inc.get(0).type(), inc.get(0)::explanation);
        assertTrue(inc.get(0).openedAt() - fail <= 15_000, () -> "late: " + inc.get(0));
    }

    @Test
    void stealthyRepeatedBurstsAreFewIncidentsNotDozens() {
        MiniSim sim = new MiniSim(7);
        long[] starts = {200, 280, 390, 450, 560};
        MiniSim.Fn f = new MiniSim.Fn("thumbnail");
        f.execMedianMs = 120;
        f.initMs = 900;
        f.cpuMillicores = 300;
        f.stream("web", Trigger.HTTP, t -> 8);
        f.stream("botnet-a", Trigger.HTTP, t -> {
            for (long s : starts) if (t >= T0 + s * 1000 && t < T0 + s * 1000 + 2500) return 90;
            return 0;
        });
        sim.add(f);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0 - DAY, T0 + 900_000, e::accept, e::advanceTo);
        List<Incident> inc = scored(e, T0);
        assertTrue(!inc.isEmpty() && inc.size() <= starts.length, () -> "incidents: " + inc);
        assertTrue(inc.get(0).openedAt() - (T0 + 200_000) <= 2000, () -> "late: " + inc.get(0));
        for (Incident i : inc) assertEquals(IncidentType.DOS, i.type(), i::explanation);
    }

    @Test
    void lowRateDenialOfWalletIsTypedDow() {
        MiniSim sim = new MiniSim(6);
        long atk = T0 + 3600_000;
        MiniSim.Fn f = new MiniSim.Fn("render-report");
        f.memoryMb = 3008;
        f.execMedianMs = 3000;
        f.execSigma = 0.3;
        f.initMs = 2500;
        f.cap = 20;
        f.cpuMillicores = 900;
        f.stream("app", Trigger.HTTP, t -> 0.05);
        f.stream("scraper", Trigger.HTTP, t -> t >= atk && t < atk + 5400_000 ? 0.4 : 0);
        sim.add(f);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0 - 2 * DAY, T0 + 3 * 3600_000, e::accept, e::advanceTo);
        List<Incident> inc = scored(e, T0);
        assertTrue(!inc.isEmpty() && inc.size() <= 2, () -> "incidents: " + inc);
        assertEquals(IncidentType.DOW, inc.get(0).type(), inc.get(0)::explanation);
        assertTrue(inc.get(0).openedAt() - atk <= 120_000, () -> "late: " + inc.get(0));
    }

    @Test
    void newTriggerIsTriggerAbuse() {
        MiniSim sim = new MiniSim(9);
        long atk = T0 + 600_000;
        MiniSim.Fn f = new MiniSim.Fn("resize");
        f.stream("uploads", Trigger.QUEUE, t -> 3);
        f.stream("stranger", Trigger.HTTP, t -> t >= atk && t < atk + 600_000 ? 1 : 0);
        sim.add(f);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        sim.run(T0 - DAY, T0 + 1800_000, e::accept, e::advanceTo);
        List<Incident> inc = scored(e, T0);
        assertEquals(1, inc.size(), () -> "incidents: " + inc);
        assertEquals(IncidentType.TRIGGER_ABUSE, inc.get(0).type(), inc.get(0)::explanation);
    }

    @Test
    void listenersHearOpenAndClose() {
        MiniSim sim = new MiniSim(3);
        long burst = T0 + 120_000;
        inference(sim, t -> t >= burst && t < burst + 3900 ? 59 : 0);
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        List<String> heard = new ArrayList<>();
        e.addListener(new IncidentListener() {
            @Override public void opened(Incident i) { heard.add("open " + i.id()); }

            @Override public void closed(Incident i) { heard.add("close " + i.id()); }
        });
        sim.run(T0 - DAY, T0 + 900_000, e::accept, e::advanceTo);
        assertTrue(heard.size() >= 2 && heard.get(0).startsWith("open") && heard.get(1).startsWith("close"), heard::toString);
        Incident last = e.incidents().get(e.incidents().size() - 1);
        assertTrue(last.closedAt() > last.openedAt());
    }

    @Test
    void oddInputNeverThrows() {
        DetectionEngine e = new DetectionEngine(DetectionConfig.defaults());
        assertDoesNotThrow(() -> {
            e.accept(null);
            e.accept("a string");
            e.accept(42);
            e.advanceTo(T0);
            e.accept(new InvocationRecord(null, null, null, null, null, null, null, null, 0, 0, 0, 0, 0, 0, 0,
                    Double.NaN, Double.NaN, Double.NaN, 0, 0, 0, false, null, null, null, 0, 0, Double.NaN, Double.NaN,
                    null, null, null));
            e.accept(new InvocationRecord("r", "t", "f", null, null, null, null, null, T0 + 5000, 0, 0, 0, 0, 0, T0 + 5000,
                    -1, -1, Double.POSITIVE_INFINITY, 0, 0, 0, true, null, null, null, 0, 0, -3, 0, null, null, null));
            e.advanceTo(T0 + 10_000);
            // out of order: an item from the past
            e.accept(new InvocationRecord("r2", "t", "f", "1", Trigger.EVENT, "s", null, null, T0 - 50_000, 0, 0, 0, 0, 0,
                    T0 - 40_000, 1, 0, 10, 10, 128, 1, false, "i", null, null, 0, 0, 0.001, 0, null, null, null));
            e.accept(new PlatformEvent.ConcurrencySample(T0 + 11_000, null, null, -1, -5, -2));
            e.accept(new PlatformEvent.ConcurrencySample(T0 + 11_000, "t", "f", -1, -5, -2));
            e.accept(new PlatformEvent.InstanceEvent(T0 + 11_000, "t", "f", null, null, null));
            e.accept(new PlatformEvent.Throttled(T0 + 11_000, null, "f", null, null));
            e.accept(new PlatformEvent.SchedulerDecision(T0 + 11_000, "t", "f", null, null));
            e.accept(new ResourceSample(T0 + 11_000, null, null, null, null, 0, 0, 0, 0, 0));
            e.accept(new ResourceSample(T0 + 11_000, ResourceSample.Scope.HOST, null, null, null, Double.NaN, 0, 0, 0, 0));
            e.accept(new ResourceSample(T0 + 11_000, ResourceSample.Scope.INSTANCE, "t", null, null, 5, 0, 0, 0, 0));
            e.accept(new LogLine(T0 + 11_000, null, null, null, null, null, null, null));
            e.accept(new LogLine(T0 + 11_000, LogLine.Source.FUNCTION, "t", "f", "i", "ERROR", "r", "boom 42"));
            e.advanceTo(T0 - DAY); // time going backwards
            e.advanceTo(T0 + 30 * DAY); // a long gap
            e.advanceTo(Long.MIN_VALUE);
            e.advanceTo(Long.MAX_VALUE / 2);
        });
        assertTrue(e.rejected() > 0);
    }
}
