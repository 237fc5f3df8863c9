package dev.wisp.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.telemetry.JsonLinesSink.Stream;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PlatformEvent.InstanceTransition;
import dev.wisp.telemetry.model.ResourceSample;
import dev.wisp.telemetry.model.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesReaderTest {
    @TempDir Path dir;

    /** One of every record kind and event subtype, with nulls, every enum and awkward text. */
    static List<Object> everyKind() {
        return List.of(
                new InvocationRecord("req-1", "acme", "resize", "$LATEST", Trigger.HTTP, "AKID1", null, "local",
                        1_000, 1_002, 1_003, 1_250, 1_251, 1_300, 1_301, 2.0, 247.5, 49.25, 50, 256, 61, true, "i-1",
                        InvocationStatus.SUCCESS, null, 120, 3_400, 0.0125, 2.1e-7, "0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331", null),
                new InvocationRecord("req-2", "acme", "resize", "3", Trigger.CHAIN, "h:9f", "req-1", "local",
                        2_000, 0, 0, 0, 0, 0, 2_000, 0, 0, 0, 0, 128, 0, false, null,
                        InvocationStatus.THROTTLED, "TooManyRequestsException", 0, 0, 0, 0,
                        "0af7651916cd43dd8448eb211c80319c", "00f067aa0ba902b7", "b7ad6b7169203331"),
                new PlatformEvent.InstanceEvent(1_000, "acme", "resize", "i-1", InstanceTransition.EVICTED, "idle timeout"),
                new PlatformEvent.Throttled(2_000, "acme", "resize", "req-2", "account concurrency"),
                new PlatformEvent.SchedulerDecision(2_001, "acme", "resize", "cold-start", null),
                new PlatformEvent.ConcurrencySample(3_000, "acme", "resize", 4, 10, 12),
                new PlatformEvent.MitigationAction(3_001, "acme", "resize", "throttle", "resize", true, "cost spike"),
                new PlatformEvent.BudgetCrossed(3_002, "acme", null, "MONTH", 10.0, 10.5),
                new ResourceSample(3_000, ResourceSample.Scope.INSTANCE, "acme", "resize", "i-1", 153.5, 52_428_800L, 0, 0, 0),
                new ResourceSample(3_000, ResourceSample.Scope.HOST, null, null, null, 1_800, 8_000_000_000L, 0, 0, 0),
                new ResourceSample(3_000, ResourceSample.Scope.FUNCTION, "acme", "resize", null, 0, 0, 2, 1, 1),
                new LogLine(1_299, LogLine.Source.FUNCTION, "acme", "resize", "i-1", "INFO", "req-1",
                        "tab\there \"quoted\" ünïcødé 🚀 and \\ backslash"),
                new LogLine(1_400, LogLine.Source.PLATFORM, null, null, "controller", "WARN", null, "queue full"));
    }

    @Test
    void everyKindRoundTripsThroughTheSink() {
        try (JsonLinesSink sink = new JsonLinesSink(dir)) {
            everyKind().forEach(sink::write);
        }
        List<Object> read = new ArrayList<>();
        long n = JsonLinesReader.read(dir, read::add);
        assertEquals(everyKind().size(), n);
        // streams come back in Stream order, each in file order; the fixture is already in that order
        assertEquals(everyKind(), read);
    }

    @Test
    void aSubsetOfFilesIsFine() throws IOException {
        try (JsonLinesSink sink = new JsonLinesSink(dir)) {
            everyKind().stream().filter(o -> o instanceof LogLine).forEach(sink::write);
        }
        Files.writeString(dir.resolve("unrelated.txt"), "not telemetry");
        List<Object> read = new ArrayList<>();
        assertEquals(2, JsonLinesReader.read(dir, read::add));
        assertTrue(read.stream().allMatch(o -> o instanceof LogLine));
    }

    @Test
    void emptyDirectoryReadsNothing() {
        assertEquals(0, JsonLinesReader.read(dir, o -> { }));
    }

    @Test
    void missingDirectoryIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> JsonLinesReader.read(dir.resolve("nope"), o -> { }));
    }

    @Test
    void malformedLineNamesFileAndLine() throws IOException {
        Files.writeString(dir.resolve("events.jsonl"), """
                {"type":"Throttled","timestamp":1,"tenant":"a","functionName":"f","requestId":"r","reason":"x"}

                {"type":"Teleported","timestamp":2}
                """);
        var e = assertThrows(JsonLinesReader.MalformedLineException.class, () -> JsonLinesReader.read(dir, o -> { }));
        assertEquals(3, e.lineNumber());
        assertTrue(e.getMessage().contains("events.jsonl line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("Teleported"), e.getMessage());
    }

    @Test
    void badLinesAreRejected() {
        JsonLinesReader reader = new JsonLinesReader();
        for (String bad : List.of("{", "null", "[1,2]", "{\"timestamp\":1} trailing", "{\"trigger\":\"teleport\"}")) {
            Stream stream = bad.contains("trigger") || bad.startsWith("[") ? Stream.INVOCATIONS : Stream.LOGS;
            assertThrows(IllegalArgumentException.class, () -> reader.parse(stream, bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> reader.parse(Stream.EVENTS, "{\"timestamp\":1}"));
        assertThrows(IllegalArgumentException.class, () -> reader.parse(Stream.EVENTS, "{\"type\":7}"));
    }

    @Test
    void unknownFieldsFromANewerWriterAreSkipped() {
        Object item = new JsonLinesReader().parse(Stream.EVENTS,
                "{\"type\":\"SchedulerDecision\",\"timestamp\":5,\"tenant\":\"t\",\"functionName\":\"f\","
                        + "\"decision\":\"queue\",\"detail\":\"d\",\"addedLater\":{\"x\":1}}");
        assertInstanceOf(PlatformEvent.SchedulerDecision.class, item);
        assertEquals(new PlatformEvent.SchedulerDecision(5, "t", "f", "queue", "d"), item);
    }
}
