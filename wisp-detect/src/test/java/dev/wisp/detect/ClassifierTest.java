package dev.wisp.detect;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifierTest {
    private static Map<String, Signal> mix(Object... detectorObservedExpected) {
        Map<String, Signal> m = new LinkedHashMap<>();
        for (int i = 0; i < detectorObservedExpected.length; i += 3) {
            String d = (String) detectorObservedExpected[i];
            m.put(d, new Signal(d, "m", 0, 0.8, ((Number) detectorObservedExpected[i + 1]).doubleValue(),
                    ((Number) detectorObservedExpected[i + 2]).doubleValue(), d));
        }
        return m;
    }

    private static IncidentType type(Object... mix) { return Classifier.classify(mix(mix), false).type(); }

    @Test
    void aWeakBurstWithSpendFromANewSourceIsDenialOfWallet() {
        // 1.3 arrivals/s over 10 s vs 0.1 expected, cold starts as the function scales, 8x spend
        assertEquals(IncidentType.DOW, type("rate-burst", 1.3, 0.1, "rate-shift", 0.6, 0.08, "cold-start-surge", 0.7, 0,
                "cost-rate", 7.8, 0.97, "new-source", 36, 0, "queue", 60, 0));
    }

    @Test
    void anIntenseBurstIsDenialOfService() {
        assertEquals(IncidentType.DOS, type("rate-burst", 623, 8.2, "cost-rate", 7, 0.3, "throttle", 13, 0, "new-source", 8000, 0));
        assertEquals(IncidentType.DOS, type("rate-burst", 45, 5, "cold-start-surge", 12, 0));
    }

    @Test
    void aBurstOnAColdPoolIsColdStartAmplification() {
        assertEquals(IncidentType.COLD_START_AMPLIFICATION, type("rate-burst", 15, 0.05, "cold-pool", 1, 0.05,
                "cold-start-surge", 13, 0, "queue", 22, 0));
        // ... unless the burst saturated the function into throttling
        assertEquals(IncidentType.DOS, type("rate-burst", 150, 0.05, "cold-pool", 0, 0.05, "throttle", 40, 0));
    }

    @Test
    void aQueueNextToIdleInstancesIsAQueueingCollapseEvenWithTimeouts() {
        assertEquals(IncidentType.QUEUEING_COLLAPSE, type("queue", 71, 0, "wait", 1267, 0, "dispatch-stall", 9, 0,
                "error-spike", 11, 0));
    }

    @Test
    void failuresWithoutAFloodAreADependencyFailure() {
        assertEquals(IncidentType.DEPENDENCY_FAILURE, type("error-spike", 5, 0, "rate-burst", 12, 9, "warm-latency", 512, 95));
    }

    @Test
    void latencyIsANeighbourOnlyWhenAnotherWorkloadBurnsTheHost() {
        assertEquals(IncidentType.NOISY_NEIGHBOUR, type("warm-latency", 150, 69, "flat-load", 6, 6, "host-cpu", 1982, 125));
        assertEquals(IncidentType.REGRESSION, type("warm-latency", 276, 69, "flat-load", 6, 6, "version-change", 0, 0,
                "cold-start-surge", 4, 0));
    }

    @Test
    void anExpensiveNewcomerIsDenialOfWalletACheapOneTriggerAbuse() {
        assertEquals(IncidentType.DOW, type("new-source", 10, 0, "source-spend", 0.7, 0.4));
        assertEquals(IncidentType.TRIGGER_ABUSE, type("new-source", 10, 0));
    }

    @Test
    void aPlatformIncidentWithHostCpuIsANoisyNeighbour() {
        assertEquals(IncidentType.NOISY_NEIGHBOUR, Classifier.classify(mix("warm-latency", 150, 69, "host-cpu", 1982, 125), true).type());
    }

    @Test
    void retriedRequestsMapToTheirEvent() {
        assertEquals("ev-1", FunctionMonitor.eventId("ev-1-retry2"));
        assertEquals("ev-1", FunctionMonitor.eventId("ev-1"));
        assertEquals("a-retryx", FunctionMonitor.eventId("a-retryx"));
        assertEquals("-retry1", FunctionMonitor.eventId("-retry1"));
    }
}
