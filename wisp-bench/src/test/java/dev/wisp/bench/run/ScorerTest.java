package dev.wisp.bench.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScorerTest {
    private static final long T0 = 1_000_000_000L;
    private static final long HOUR = 3_600_000L;

    private static Truth burst(String id, long startSec, long durSec) {
        return new Truth(id, "dos", "api", T0 + startSec * 1000, T0 + (startSec + durSec) * 1000);
    }

    private static Alert alert(String id, String type, String function, long openedSec) {
        return new Alert(id, type, function, T0 + openedSec * 1000, T0 + (openedSec + 30) * 1000, "why");
    }

    private static Scorer scorer(List<Truth> injections, List<Truth> benign) {
        return new Scorer(injections, benign, T0, T0 + HOUR, 5);
    }

    @Test
    void noAlertsAndNothingInjectedIsPerfect() {
        DetectorScore s = scorer(List.of(), List.of()).score(List.of()).score();
        assertEquals(1.0, s.precision());
        assertEquals(1.0, s.recall());
        assertEquals(1.0, s.f1());
        assertNull(s.meanDelaySeconds());
        assertEquals(1.0, s.falseAlarmsPerHour() + 1.0);
    }

    @Test
    void anAlertOpeningInTheWindowDetectsWithItsDelay() {
        Scorer.Verdict v = scorer(List.of(burst("b", 120, 4)), List.of()).score(List.of(alert("i1", "dos", "api", 121)));
        assertEquals(1, v.score().detected());
        assertEquals(1.0, v.injections().getFirst().delaySeconds());
        assertEquals("i1", v.injections().getFirst().incidentId());
        assertEquals(1.0, v.score().f1());
        assertEquals(1.0, v.score().typeAccuracy());
    }

    @Test
    void anAlertAfterEndPlusMaxDelayDoesNotDetectButIsNoFalseAlarmInTheAftermath() {
        // burst 120..160 s; detection window ends at 165 s, aftermath at 200 s
        Scorer.Verdict v = scorer(List.of(burst("b", 120, 40)), List.of()).score(List.of(alert("late", "dos", "api", 180)));
        assertFalse(v.injections().getFirst().detected());
        assertEquals(0, v.score().falseAlarms());
        assertEquals("b", v.alerts().getFirst().matched());
        assertEquals(0.0, v.score().recall());
    }

    @Test
    void anAlertOnAnotherFunctionIsAFalseAlarm() {
        Scorer.Verdict v = scorer(List.of(burst("b", 120, 4)), List.of()).score(List.of(alert("x", "dos", "other", 121)));
        assertEquals(1, v.score().falseAlarms());
        assertEquals(0.0, v.score().precision());
        assertFalse(v.injections().getFirst().detected());
    }

    @Test
    void aPlatformWideAlertCoversEveryFunction() {
        Scorer.Verdict v = scorer(List.of(burst("b", 120, 4)), List.of()).score(List.of(alert("p", "dos", null, 122)));
        assertTrue(v.injections().getFirst().detected());
    }

    @Test
    void aWrongTypeStillDetectsButLowersTypeAccuracy() {
        Scorer.Verdict v = scorer(List.of(burst("b", 120, 4)), List.of()).score(List.of(alert("i", "unknown", "api", 121)));
        assertEquals(1.0, v.score().recall());
        assertEquals(0.0, v.score().typeAccuracy());
    }

    @Test
    void alertsBeforeTheScoredPartAreIgnored() {
        Scorer.Verdict v = scorer(List.of(), List.of()).score(List.of(alert("h", "dos", "api", -100)));
        assertEquals(0, v.score().incidents());
    }

    @Test
    void benignEventsThatAlertAreFalseAlarmsAndFlagged() {
        Truth sale = new Truth("sale", null, "api", T0 + 600_000, T0 + 1_800_000);
        Scorer.Verdict v = scorer(List.of(), List.of(sale)).score(List.of(alert("i", "dos", "api", 700)));
        assertTrue(v.benignAlerted().get("sale"));
        assertEquals(1, v.score().falseAlarms());
        assertEquals(1.0, v.score().falseAlarmsPerHour(), 1e-9);
    }

    @Test
    void benignHoursLeaveOutInjectionsAndTheirAftermath() {
        // a 10-minute injection and its 10-minute aftermath leave 40 of 60 minutes benign
        Scorer s = scorer(List.of(burst("b", 600, 600)), List.of());
        assertEquals(40.0 / 60, s.benignHours(), 1e-9);
    }

    @Test
    void anAlertPrefersTheInjectionItCanDetect() {
        // the second burst starts inside the first one's aftermath
        Scorer.Verdict v = scorer(List.of(burst("one", 100, 20), burst("two", 130, 5)), List.of())
                .score(List.of(alert("a", "dos", "api", 105), alert("b", "dos", "api", 131)));
        assertEquals(2, v.score().detected());
        assertEquals(0, v.score().falseAlarms());
    }
}
