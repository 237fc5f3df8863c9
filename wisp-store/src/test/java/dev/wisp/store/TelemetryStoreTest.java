package dev.wisp.store;

import static dev.wisp.store.StoreTestSupport.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.common.ManualClock;
import dev.wisp.common.WispException;
import dev.wisp.telemetry.JsonLinesReader;
import dev.wisp.telemetry.JsonLinesSink;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.InvocationStatus;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryStoreTest {
    private static final long ALL = Long.MAX_VALUE;

    @TempDir Path dir;
    private final ManualClock clock = new ManualClock(T0);
    private TelemetryStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private TelemetryQueries q() { return store.queries(); }

    private static <T> List<T> ofKind(List<Object> items, Class<T> kind, ToLongFunction<T> time) {
        List<T> out = new ArrayList<>(items.stream().filter(kind::isInstance).map(kind::cast).toList());
        out.sort(Comparator.comparingLong(time).reversed()); // queries answer newest first
        return out;
    }

    /** Everything the admin sees, in an order that does not depend on how ties in time were broken. */
    private List<Object> storedAsAdmin() {
        List<Object> all = new ArrayList<>();
        all.addAll(q().invocations(new InvocationQuery(null, null, null, null, 0, ALL, null, null, 100)));
        all.addAll(q().events(new EventQuery(null, null, null, null, 0, ALL, 100)));
        all.addAll(q().logs(new LogQuery(null, null, null, null, 0, ALL, 100)));
        all.sort(Comparator.comparing(Object::toString));
        return all;
    }

    @Test
    void everyKindRoundTripsThroughStoreAndQueries() {
        store = StoreTestSupport.open(dir, clock);
        List<Object> items = Samples.everyKind("acme", T0);
        items.forEach(store::accept);
        store.flush();

        assertEquals(ofKind(items, InvocationRecord.class, InvocationRecord::completedAt),
                q().invocations(new InvocationQuery("acme", null, null, null, 0, ALL, null, null, 100)));
        assertEquals(ofKind(items, PlatformEvent.class, PlatformEvent::timestamp),
                q().events(new EventQuery("acme", null, null, null, 0, ALL, 100)));
        assertEquals(ofKind(items, LogLine.class, LogLine::timestamp),
                q().logs(new LogQuery("acme", null, null, null, 0, ALL, 100)).stream().filter(l -> !LogTable.isReport(l)).toList());
    }

    @Test
    void recordsAreCommittedWithinASecondAndPerSecondSamplesWithinFive() {
        store = StoreTestSupport.open(dir, clock);
        store.accept(Samples.invocation("acme", "resize", "r-1", T0, InvocationStatus.SUCCESS, false, 10, 1, 1, 1));
        store.accept(new PlatformEvent.ConcurrencySample(T0, "acme", "resize", 0, 1, 1));
        store.flushIfDue();
        assertEquals(2, store.pending(), "nothing is due yet");

        clock.advanceMillis(TelemetryStore.MAX_BATCH_AGE_MILLIS);
        store.flushIfDue();
        assertEquals(1, q().invocations(new InvocationQuery("acme", null, null, null, 0, ALL, null, null, 10)).size());
        assertTrue(q().events(new EventQuery("acme", null, null, null, 0, ALL, 10)).isEmpty(), "samples wait longer");
        assertEquals(1, store.pending());

        clock.advanceMillis(TelemetryStore.SAMPLE_BATCH_AGE_MILLIS - TelemetryStore.MAX_BATCH_AGE_MILLIS);
        store.flushIfDue();
        assertEquals(1, q().events(new EventQuery("acme", null, null, null, 0, ALL, 10)).size());
        assertEquals(0, store.pending());
        assertEquals(0, store.lagMillis());
    }

    @Test
    void reportLinesAreMadeFromTheInvocationRecords() {
        store = StoreTestSupport.open(dir, clock);
        Samples.everyKind("acme", T0).forEach(store::accept);
        store.flush();

        List<LogLine> reports = q().logs(new LogQuery("acme", null, null, "REPORT", 0, ALL, 100));
        // the completed cold invocation has one, in the controller's words; the throttled attempt none
        assertEquals(List.of(new LogLine(T0 + 301, LogLine.Source.FUNCTION, "acme", "resize", "i-1", "INFO", "req-1-acme",
                "REPORT RequestId: req-1-acme\tDuration: 49.25 ms\tBilled Duration: 50 ms\tMemory Size: 256 MB"
                        + "\tMax Memory Used: 61 MB\tInit Duration: 247.50 ms")), reports);
        assertEquals(1, q().logs(new LogQuery("acme", null, null, "\"Init Duration: 247.50\" -Status", 0, ALL, 100)).size());
        assertTrue(q().logs(new LogQuery("acme", null, "req-2-acme", null, 0, ALL, 100)).isEmpty());
    }

    @Test
    void filtersNarrowEachList() {
        store = StoreTestSupport.open(dir, clock);
        Samples.everyKind("acme", T0).forEach(store::accept);
        store.flush();

        var byRequest = q().invocations(new InvocationQuery("acme", null, null, null, 0, ALL, "req-1-acme", null, 10));
        assertEquals(List.of("req-1-acme"), byRequest.stream().map(InvocationRecord::requestId).toList());
        assertEquals(1, q().invocations(new InvocationQuery("acme", "resize", InvocationStatus.THROTTLED, false, 0, ALL,
                null, "0af7651916cd43dd8448eb211c80319c", 10)).size());
        assertEquals(0, q().invocations(new InvocationQuery("acme", "resize", InvocationStatus.THROTTLED, true, 0, ALL,
                null, null, 10)).size());
        assertEquals(2, q().invocations(new InvocationQuery("acme", null, null, null, 0, ALL, null,
                "0af7651916cd43dd8448eb211c80319c", 10)).size());
        // [from, to): the throttled record completed at T0 + 400
        assertEquals(1, q().invocations(new InvocationQuery("acme", null, null, null, T0 + 301, T0 + 400, null, null, 10)).size());
        assertEquals(1, q().invocations(new InvocationQuery("acme", null, null, null, 0, ALL, null, null, 1)).size());

        assertEquals(List.of(PlatformEvent.InstanceEvent.class), q().events(new EventQuery("acme", null, "i-1", null, 0, ALL, 10))
                .stream().map(Object::getClass).toList());
        assertEquals(List.of(PlatformEvent.Throttled.class), q().events(new EventQuery("acme", "resize", null, "req-2-acme", 0,
                ALL, 10)).stream().map(Object::getClass).toList());
        // the function's line and the REPORT line
        assertEquals(2, q().logs(new LogQuery("acme", "resize", "req-1-acme", null, 0, ALL, 10)).size());
    }

    @Test
    void limitsAndWindowsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new LogQuery(null, null, null, null, 0, ALL, 0));
        assertThrows(IllegalArgumentException.class, () -> new EventQuery(null, null, null, null, 5, 4, 10));
        assertEquals(TelemetryQueries.MAX_LIMIT, new InvocationQuery(null, null, null, null, 0, 1, null, null, 1_000_000).limit());
    }

    @Test
    void countersFollowTheBuffer() {
        store = StoreTestSupport.open(dir, clock);
        assertEquals(0, store.lagMillis());
        store.accept(Samples.everyKind("acme", T0).getFirst());
        clock.advanceMillis(250);
        store.accept(Samples.everyKind("acme", T0).get(1));
        clock.advanceMillis(50);
        assertEquals(2, store.pending());
        assertEquals(300, store.lagMillis()); // the age of the oldest, not the newest
        assertEquals(0, store.appended());

        store.flush();
        assertEquals(0, store.pending());
        assertEquals(0, store.lagMillis());
        assertEquals(2, store.appended());
        store.accept("not telemetry");
        assertEquals(0, store.pending());
        assertTrue(TelemetryStore.accepts(Samples.everyKind("a", 0).getLast()));
        assertFalse(TelemetryStore.accepts("not telemetry"));
    }

    @Test
    void aFullBufferIsWrittenWithoutWaitingForFlush() {
        store = StoreTestSupport.open(dir, clock); // maxPending 1000
        for (int i = 0; i < 2_500; i++) {
            store.accept(new LogLine(T0 + i, LogLine.Source.FUNCTION, "acme", "f", "i", "INFO", null, "line " + i));
        }
        assertEquals(2_000, store.appended());
        assertEquals(500, store.pending());
    }

    @Test
    void outOfOrderItemsComeBackInTimeOrder() {
        store = StoreTestSupport.open(dir, clock);
        store.accept(new LogLine(T0 + 2, LogLine.Source.FUNCTION, "acme", "f", "i", "INFO", null, "second"));
        store.accept(new LogLine(T0 + 1, LogLine.Source.FUNCTION, "acme", "f", "i", "INFO", null, "first"));
        store.flush();
        List<String> messages = q().logs(new LogQuery("acme", null, null, null, 0, ALL, 10)).stream().map(LogLine::message).toList();
        assertEquals(List.of("second", "first"), messages);
    }

    @Test
    void retentionDeletesOlderRowsOfEveryStream() {
        store = StoreTestSupport.open(dir, clock);
        Samples.everyKind("acme", T0).forEach(store::accept);
        Samples.everyKind("acme", T0 + 10_000).forEach(store::accept);
        Samples.platformOnly(T0).forEach(store::accept);
        store.flush();

        long deleted = store.deleteOlderThan(T0 + 10_000);
        assertEquals(Samples.everyKind("acme", T0).size() + Samples.platformOnly(T0).size(), deleted);
        assertTrue(storedAsAdmin().stream().allMatch(o -> switch (o) {
            case InvocationRecord r -> r.completedAt() >= T0 + 10_000;
            case PlatformEvent e -> e.timestamp() >= T0 + 10_000;
            case LogLine l -> l.timestamp() >= T0 + 10_000;
            default -> false;
        }));
        assertEquals(0, store.deleteOlderThan(T0 + 10_000));
    }

    @Test
    void dataSurvivesReopening() {
        store = StoreTestSupport.open(dir, clock);
        Samples.everyKind("acme", T0).forEach(store::accept);
        store.close(); // commits what is pending
        store = StoreTestSupport.open(dir, clock);
        assertEquals(2, q().invocations(new InvocationQuery("acme", null, null, null, 0, ALL, null, null, 10)).size());
    }

    @Test
    void afterCloseItemsAreDroppedAndQueriesRefused() {
        store = StoreTestSupport.open(dir, clock);
        store.close();
        store.accept(Samples.everyKind("acme", T0).getFirst());
        store.flush();
        assertEquals(1, store.dropped());
        var e = assertThrows(WispException.class, () -> q().spentUsd(null, 0, ALL));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        store = null;
    }

    @Test
    void queriesRunWhileTheWriterAppends() throws Exception {
        store = StoreTestSupport.open(dir, clock);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int reads = 0;
            int last = 0;
            while (writing.get() || reads < 5) {
                int n = q().logs(new LogQuery("acme", null, null, null, 0, ALL, 10_000)).size();
                if (n < last) throw new AssertionError("committed rows disappeared: " + n + " < " + last);
                last = n;
                reads++;
            }
            return q().logs(new LogQuery("acme", null, null, null, 0, ALL, 10_000)).size();
        });
        for (int batch = 0; batch < 50; batch++) {
            for (int i = 0; i < 100; i++) {
                store.accept(new LogLine(T0 + batch * 100L + i, LogLine.Source.FUNCTION, "acme", "f", "i", "INFO", null, "x"));
            }
            store.flush();
        }
        writing.set(false);
        assertEquals(5_000, reader.get());
    }

    @Test
    void exportThenImportGivesBackTheSameTelemetry() throws IOException {
        store = StoreTestSupport.open(dir, clock);
        Samples.everyKind("acme", T0).forEach(store::accept);
        Samples.everyKind("other", T0).forEach(store::accept);
        Samples.platformOnly(T0).forEach(store::accept);
        store.flush();

        Path out = dir.resolve("export");
        Map<JsonLinesSink.Stream, Long> counts = q().export(null, 0, ALL, out);
        assertEquals(Map.of(JsonLinesSink.Stream.INVOCATIONS, 4L, JsonLinesSink.Stream.EVENTS, 12L,
                JsonLinesSink.Stream.RESOURCES, 5L, JsonLinesSink.Stream.LOGS, 5L), counts);
        // byte-identical to what the live sink writes for the same items
        Path live = dir.resolve("live");
        List<Object> exported = new ArrayList<>();
        JsonLinesReader.read(out, exported::add);
        try (JsonLinesSink sink = new JsonLinesSink(live)) {
            exported.forEach(sink::write);
        }
        for (JsonLinesSink.Stream s : JsonLinesSink.Stream.values()) {
            assertEquals(Files.readString(live.resolve(s.fileName)), Files.readString(out.resolve(s.fileName)), s.fileName);
        }

        List<Object> before = storedAsAdmin();
        try (TelemetryStore other = TelemetryStore.open(dir.resolve("copy.duckdb"), StoreConfig.DEFAULTS, clock)) {
            assertEquals(26, other.importFrom(out));
            assertEquals(26, other.appended());
            TelemetryStore original = store;
            store = other;
            try {
                assertEquals(before, storedAsAdmin());
                assertEquals(q().export(null, 0, ALL, dir.resolve("again")), counts);
            } finally {
                store = original;
            }
        }
        for (JsonLinesSink.Stream s : JsonLinesSink.Stream.values()) {
            assertEquals(Files.readString(out.resolve(s.fileName)), Files.readString(dir.resolve("again").resolve(s.fileName)));
        }
    }

    @Test
    void exportOfATenantWritesOnlyItsRowsAndAllFourFiles() throws IOException {
        store = StoreTestSupport.open(dir, clock);
        Samples.everyKind("acme", T0).forEach(store::accept);
        Samples.everyKind("other", T0).forEach(store::accept);
        Samples.platformOnly(T0).forEach(store::accept);
        store.flush();
        Path out = dir.resolve("export");
        Files.createDirectories(out);
        Files.writeString(out.resolve("logs.jsonl"), "stale line from an earlier export\n");

        var counts = q().export("acme", T0 + 1_000, ALL, out);
        assertEquals(Map.of(JsonLinesSink.Stream.INVOCATIONS, 0L, JsonLinesSink.Stream.EVENTS, 3L,
                JsonLinesSink.Stream.RESOURCES, 2L, JsonLinesSink.Stream.LOGS, 0L), counts);
        for (JsonLinesSink.Stream s : JsonLinesSink.Stream.values()) assertTrue(Files.exists(out.resolve(s.fileName)));
        assertEquals("", Files.readString(out.resolve("logs.jsonl")));
        List<Object> read = new ArrayList<>();
        JsonLinesReader.read(out, read::add);
        assertTrue(read.stream().allMatch(o -> o.toString().contains("tenant=acme")), read::toString);
    }

    @Test
    void importReportsTheBadLineAndKeepsWhatCameBefore() throws IOException {
        store = StoreTestSupport.open(dir, clock);
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.writeString(in.resolve("logs.jsonl"), """
                {"timestamp":1,"source":"FUNCTION","tenant":"a","functionName":"f","component":"i","level":"INFO","requestId":null,"message":"ok"}
                {"timestamp":2,"source":"SOMEWHERE"}
                """);
        var e = assertThrows(JsonLinesReader.MalformedLineException.class, () -> store.importFrom(in));
        assertEquals(2, e.lineNumber());
        assertEquals(1, store.appended());
    }

    @Test
    void hostSamplesAreExportedButNotInATenantsSeries() {
        store = StoreTestSupport.open(dir, clock);
        Samples.platformOnly(T0).forEach(store::accept);
        store.flush();
        assertTrue(q().series("acme", null, Resolution.SECOND, 0, ALL).isEmpty());
        assertTrue(q().series(null, null, Resolution.SECOND, 0, ALL).isEmpty()); // HOST is not a function's
        assertEquals(1L, q().export(null, 0, ALL, dir.resolve("x")).get(JsonLinesSink.Stream.RESOURCES));
    }

    @Test
    void resourceSamplesRoundTripThroughExport() {
        store = StoreTestSupport.open(dir, clock);
        List<Object> items = new ArrayList<>(Samples.everyKind("acme", T0));
        items.addAll(Samples.platformOnly(T0));
        items.forEach(store::accept);
        store.flush();
        q().export(null, 0, ALL, dir.resolve("x"));
        List<Object> read = new ArrayList<>();
        JsonLinesReader.read(dir.resolve("x"), read::add);
        List<ResourceSample> expected = items.stream().filter(ResourceSample.class::isInstance).map(ResourceSample.class::cast)
                .sorted(Comparator.comparingLong(ResourceSample::timestamp)).toList();
        assertEquals(expected.size(), read.stream().filter(ResourceSample.class::isInstance).count());
        assertTrue(read.containsAll(expected));
    }
}
