package dev.wisp.bench.run;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Detection on the repo's own scenarios, end to end through the simulator on a virtual clock:
 * deterministic per seed, so detection delays and types may be asserted here. One representative
 * scenario per threat type plus benign look-alikes; the whole suite is `wisp bench run`'s job.
 */
class ScenarioSuiteTest {
    private static final Path SCENARIOS = Path.of(System.getProperty("wisp.repo", "..")).resolve("bench/scenarios");

    @TempDir Path out;

    private ScenarioOutcome run(String name) throws Exception {
        Path file = SCENARIOS.resolve(name + ".json");
        assertTrue(Files.isRegularFile(file), "missing " + file);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<ScenarioOutcome> outcomes = new BenchRunner(out, quiet).run(List.of(file), "sim", null);
        return outcomes.getFirst();
    }

    @ParameterizedTest
    @ValueSource(strings = {"paper-burst-59", "paper-burst-203", "dos-repeated-short"})
    void burstsAreOneDosIncidentWithinTwoSeconds(String name) throws Exception {
        Scorer.Verdict wisp = run(name).verdicts().get("wisp");
        for (Scorer.InjectionOutcome i : wisp.injections()) {
            assertTrue(i.detected(), name + ": " + i.id() + " not detected");
            assertTrue(i.delaySeconds() <= 2.0, name + ": delay " + i.delaySeconds());
            assertEquals("dos", i.incidentType());
        }
        assertEquals(0, wisp.score().falseAlarms(), name + ": " + wisp.alerts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dependency-failure-partial", "cold-start-amplification-fast", "retry-storm-moderate",
            "trigger-abuse-sdk", "latency-regression-large", "noisy-neighbour-heavy"})
    void eachThreatIsDetectedAndTypedWithoutFalseAlarms(String name) throws Exception {
        Scorer.Verdict wisp = run(name).verdicts().get("wisp");
        assertEquals(1.0, wisp.score().recall(), name + ": " + wisp.injections());
        assertEquals(1.0, wisp.score().typeAccuracy(), name + ": " + wisp.injections());
        assertEquals(0, wisp.score().falseAlarms(), name + ": " + wisp.alerts());
    }

    @ParameterizedTest
    @ValueSource(strings = {"paper-cold-start", "paper-normal", "benign-morning-scale-up"})
    void benignScenariosRaiseNothing(String name) throws Exception {
        Scorer.Verdict wisp = run(name).verdicts().get("wisp");
        assertEquals(0, wisp.score().incidents(), name + ": " + wisp.alerts());
    }
}
