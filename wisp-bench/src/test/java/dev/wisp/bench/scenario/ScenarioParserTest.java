package dev.wisp.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioParserTest {
    private static final Path FILE = Path.of("/tmp/scenarios/paper-c.json");

    /** A valid scenario with one dos-burst injection; tests replace parts of it. */
    static final String BASE = """
            {"name": "t", "seed": 3, "startTime": "2026-03-03T10:00:00Z", "durationSeconds": 60,
             "platform": {"keepAliveSeconds": 600, "maxInstancesPerFunction": 4, "accountConcurrency": 100},
             "functions": [{"name": "f", "runtime": "java21", "role": "api", "memoryMb": 512, "timeoutSeconds": 30,
                            "initMs": {"dist": "const", "value": 500}, "execMs": {"dist": "const", "value": 100}}],
             "workload": [{"function": "f", "trigger": "http", "source": "web",
                           "pattern": {"type": "constant", "ratePerSecond": 10}}],
             "injections": [{"id": "b", "type": "dos-burst", "label": "dos", "function": "f", "startSecond": 10,
                             "durationSeconds": 5, "ratePerSecond": 50, "source": "attacker"}]}
            """;

    static Stream<Path> sharedScenarios() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Path.of("/work/shared/scenarios"), Path.of("../bench/scenarios"))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("sharedScenarios")
    void everySharedScenarioParses(Path file) {
        Scenario s = ScenarioParser.parse(file);
        assertFalse(s.name().isBlank());
        assertTrue(!s.functions().isEmpty() || s.traceFunctions() != null, "no functions");
        assertTrue(s.durationSeconds() > 0);
    }

    @Test
    void parsesTheBaseWithDefaults() {
        Scenario s = ScenarioParser.parse(BASE, FILE);
        assertEquals(List.of("sim", "live"), s.modes());
        assertTrue(s.supports("live"));
        assertEquals(0, s.historyDays());
        assertEquals(2000, s.platform().hostCpuMillicores());
        assertEquals(5, s.expect().maxDelaySeconds());
        Injection b = s.injections().getFirst();
        assertEquals(50, b.ratePerSecond());
        assertNull(b.repeat());
        assertInstanceOf(Pattern.Constant.class, s.workload().getFirst().pattern());
        assertNull(s.traceFunctions());
    }

    @Test
    void aTypoInAnInjectionIsRejectedByNameAndPlace() {
        var e = assertThrows(ScenarioException.class,
                () -> ScenarioParser.parse(BASE.replace("\"ratePerSecond\": 50", "\"ratePerSecnd\": 50"), FILE));
        assertEquals("paper-c.json: injections[0]: unknown field \"ratePerSecnd\"", e.getMessage());
    }

    @Test
    void unknownFieldsAreRejectedAtEveryLevel() {
        assertMessage(BASE.replace("\"seed\": 3", "\"seed\": 3, \"sed\": 4"), "paper-c.json: unknown field \"sed\"");
        assertMessage(BASE.replace("\"accountConcurrency\"", "\"acountConcurrency\""),
                "paper-c.json: platform: unknown field \"acountConcurrency\"");
        assertMessage(BASE.replace("\"value\": 100", "\"value\": 100, \"sd\": 3"),
                "paper-c.json: functions[0].execMs: unknown field \"sd\"");
        assertMessage(BASE.replace("\"ratePerSecond\": 10", "\"ratePerSecond\": 10, \"burst\": 1"),
                "paper-c.json: workload[0].pattern: unknown field \"burst\"");
    }

    @Test
    void aFieldOfAnotherInjectionTypeIsRejected() {
        assertMessage(BASE.replace("\"source\": \"attacker\"", "\"source\": \"attacker\", \"errorRate\": 0.5"),
                "paper-c.json: injections[0]: field \"errorRate\" does not apply to type dos-burst");
    }

    @Test
    void aBadDistIsRejected() {
        assertMessage(BASE.replace("\"dist\": \"const\", \"value\": 100", "\"dist\": \"gamma\", \"value\": 100"),
                "paper-c.json: functions[0].execMs: unknown dist \"gamma\"");
        assertMessage(BASE.replace("\"dist\": \"const\", \"value\": 100", "\"dist\": \"lognormal\", \"median\": 100, \"p99\": 50"),
                "paper-c.json: functions[0].execMs: \"p99\"");
    }

    @Test
    void aMissingRequiredInjectionFieldIsRejected() {
        assertMessage(BASE.replace(", \"source\": \"attacker\"", ""),
                "paper-c.json: injections[0]: missing field \"source\" (required for type dos-burst)");
    }

    @Test
    void badValuesAreRejected() {
        assertMessage(BASE.replace("\"ratePerSecond\": 50", "\"ratePerSecond\": -5"), "injections[0]: \"ratePerSecond\" must be above 0");
        assertMessage(BASE.replace("\"type\": \"dos-burst\"", "\"type\": \"dos-bust\""), "unknown injection type \"dos-bust\"");
        assertMessage(BASE.replace("\"trigger\": \"http\"", "\"trigger\": \"web\""), "workload[0]: unknown trigger \"web\"");
        assertMessage(BASE.replace("\"type\": \"constant\"", "\"type\": \"steady\""), "workload[0].pattern: unknown pattern type \"steady\"");
        assertMessage(BASE.replace("\"function\": \"f\", \"trigger\"", "\"function\": \"g\", \"trigger\""),
                "workload[0]: \"function\" names unknown function \"g\"");
        assertMessage(BASE.replace("\"seed\": 3", "\"seed\": \"3\""), "\"seed\" must be an integer");
        assertMessage(BASE.replace("\"durationSeconds\": 60", "\"durationSeconds\": 60, \"durationSeconds\": 61"), "not valid JSON");
    }

    @Test
    void tracePathsResolveAgainstTheScenarioFolder() {
        Scenario s = ScenarioParser.parse(BASE.replace("{\"type\": \"constant\", \"ratePerSecond\": 10}",
                "{\"type\": \"trace\", \"file\": \"../traces/x.csv\", \"function\": \"ABCDEF0123\"}"), FILE);
        Pattern.Trace t = (Pattern.Trace) s.workload().getFirst().pattern();
        assertEquals(Path.of("/tmp/traces/x.csv"), t.file());
        assertEquals("abcdef0123", t.function());
        assertEquals(1, t.scale());
    }

    @Test
    void distributionsNeverSampleBelowZeroAndKeepTheirMean() {
        SplittableRandom r = new SplittableRandom(1);
        Distribution[] ds = {new Distribution.Normal(10, 50), new Distribution.LogNormal(100, 400),
                new Distribution.Uniform(0, 20), new Distribution.Const(5)};
        for (Distribution d : ds) {
            double sum = 0;
            for (int i = 0; i < 200_000; i++) {
                double x = d.sample(r);
                assertTrue(x >= 0, d + " sampled " + x);
                sum += x;
            }
            if (!(d instanceof Distribution.Normal)) assertEquals(d.mean(), sum / 200_000, d.mean() * 0.03, d.toString());
        }
    }

    private static void assertMessage(String json, String expectedPart) {
        var e = assertThrows(ScenarioException.class, () -> ScenarioParser.parse(json, FILE));
        assertTrue(e.getMessage().contains(expectedPart), "message was: " + e.getMessage());
    }
}
