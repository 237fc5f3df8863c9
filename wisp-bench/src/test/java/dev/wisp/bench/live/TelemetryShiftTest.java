package dev.wisp.bench.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryShiftTest {
    private static final long REAL = 1_800_000_000_000L;
    private static final long SCENARIO = Instant.parse("2026-03-03T10:00:00Z").toEpochMilli();
    private final TelemetryShift shift = TelemetryShift.mapping(REAL, SCENARIO);

    @Test
    void realStartLandsOnScenarioStartAndBack() {
        assertEquals(SCENARIO, shift.toScenario(REAL));
        assertEquals(SCENARIO + 1234, shift.toScenario(REAL + 1234));
        assertEquals(REAL + 1234, shift.toReal(SCENARIO + 1234));
        assertEquals(SCENARIO - REAL, shift.offsetMillis());
    }

    @Test
    void invocationRecordShiftsEveryTimestampButKeepsPhasesThatDidNotHappenAtZero() {
        InvocationRecord warm = new InvocationRecord("r1", "bench", "fn", "$LATEST", Trigger.SDK, "AKWP1", null, "local",
                REAL + 10, REAL + 11, 0, 0, REAL + 12, REAL + 40, REAL + 41, 1.0, 0.0, 28.0, 28, 256, 40, false, "i-1",
                InvocationStatus.SUCCESS, null, 10, 20, 0.007, 0.000001, "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null);
        InvocationRecord s = (InvocationRecord) shift.apply(warm);
        long d = SCENARIO - REAL;
        assertEquals(List.of(REAL + 10 + d, REAL + 11 + d, 0L, 0L, REAL + 12 + d, REAL + 40 + d, REAL + 41 + d),
                List.of(s.receivedAt(), s.dispatchedAt(), s.initStartAt(), s.initEndAt(), s.execStartAt(), s.execEndAt(), s.completedAt()));
        assertEquals(SCENARIO + 10, s.receivedAt());
        // everything else is the same record
        InvocationRecord back = new TelemetryShift(-d).shift(s);
        assertEquals(warm, back);
        assertEquals(warm.durationMs(), s.durationMs());
        assertEquals(warm.sourceId(), s.sourceId());

        InvocationRecord cold = new InvocationRecord("r2", "bench", "fn", "$LATEST", Trigger.HTTP, "AKWP1", null, "local",
                REAL, REAL + 1, REAL + 1, REAL + 300, REAL + 300, REAL + 330, REAL + 331, 1.0, 299.0, 30.0, 30, 256, 40, true,
                "i-2", InvocationStatus.ERROR, "Handled", 10, 20, 0.007, 0.0, "t", "s", null);
        InvocationRecord c = shift.shift(cold);
        assertEquals(SCENARIO + 1, c.initStartAt());
        assertEquals(SCENARIO + 300, c.initEndAt());
        assertEquals(cold, new TelemetryShift(-d).shift(c));
    }

    @Test
    void everyPlatformEventVariantShifts() {
        List<PlatformEvent> events = List.of(
                new PlatformEvent.InstanceEvent(REAL + 1, "t", "f", "i", PlatformEvent.InstanceTransition.READY, null),
                new PlatformEvent.Throttled(REAL + 2, "t", "f", "r", "reserved"),
                new PlatformEvent.SchedulerDecision(REAL + 3, "t", "f", "cold-start", "no warm instance"),
                new PlatformEvent.ConcurrencySample(REAL + 4, "t", "f", 1, 2, 3),
                new PlatformEvent.MitigationAction(REAL + 5, "t", "f", "throttle", "src", true, "why"),
                new PlatformEvent.BudgetCrossed(REAL + 6, "t", null, "month", 1.0, 2.0));
        for (int i = 0; i < events.size(); i++) {
            PlatformEvent e = events.get(i);
            PlatformEvent s = shift.shift(e);
            assertEquals(e.getClass(), s.getClass());
            assertEquals(SCENARIO + i + 1, s.timestamp(), e.toString());
            assertEquals(e, new TelemetryShift(REAL - SCENARIO).shift(s), "only the timestamp changes: " + e);
        }
    }

    @Test
    void resourceSamplesAndLogLinesShift() {
        ResourceSample r = new ResourceSample(REAL + 1000, ResourceSample.Scope.HOST, null, null, null, 850.0, 1 << 30, 0, 0, 0);
        ResourceSample rs = (ResourceSample) shift.apply(r);
        assertEquals(SCENARIO + 1000, rs.timestamp());
        assertEquals(r, new TelemetryShift(REAL - SCENARIO).apply(rs));

        LogLine l = new LogLine(REAL + 7, LogLine.Source.FUNCTION, "t", "f", "i-1", "INFO", "r1", "hello");
        LogLine ls = (LogLine) shift.apply(l);
        assertEquals(SCENARIO + 7, ls.timestamp());
        assertEquals(l, new TelemetryShift(REAL - SCENARIO).apply(ls));
    }

    @Test
    void unknownItemsPassUnchanged() {
        Object x = "not telemetry";
        assertSame(x, shift.apply(x));
        assertEquals(-1, TelemetryShift.timestampOf(x));
    }
}
