package dev.wisp.server.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentBookTest {
    private static final long DAY = 86_400_000L;
    private static final long NOW = 1_800_000_000_000L;

    @TempDir Path dir;

    private static Incident incident(String id, long openedAt, long closedAt) {
        return new Incident(id, IncidentType.DOS, "acme", "resize", openedAt, closedAt, 0.8, 0.9, List.of(), List.of("AKID"),
                List.of("sdk"), "burst");
    }

    @Test
    void retentionForgetsOldClosedIncidentsAndCompactsTheJournal() throws Exception {
        Path journal = dir.resolve("incidents.jsonl");
        try (IncidentBook book = IncidentBook.open(journal, NOW - 9 * DAY)) {
            book.record(IncidentSink.Change.OPENED, incident("inc-000001", NOW - 9 * DAY, 0));
            book.record(IncidentSink.Change.CLOSED, incident("inc-000001", NOW - 9 * DAY, NOW - 8 * DAY));
            book.record(IncidentSink.Change.OPENED, incident("inc-000002", NOW - 2 * DAY, 0));
            book.record(IncidentSink.Change.CLOSED, incident("inc-000002", NOW - 2 * DAY, NOW - DAY));
            book.record(IncidentSink.Change.OPENED, incident("inc-000003", NOW - 60_000, 0));

            assertEquals(1, book.expire(NOW - 7 * DAY));
            assertEquals(List.of("inc-000002", "inc-000003"), book.all().stream().map(Incident::id).toList());
            assertEquals(2, Files.readAllLines(journal).size());
            assertEquals(0, book.expire(NOW - 7 * DAY));
            // the journal still takes new lines after the rewrite
            book.record(IncidentSink.Change.CLOSED, incident("inc-000003", NOW - 60_000, NOW));
        }
        try (IncidentBook reopened = IncidentBook.open(journal, NOW)) {
            List<Incident> all = reopened.all();
            assertEquals(List.of("inc-000002", "inc-000003"), all.stream().map(Incident::id).toList());
            assertTrue(all.stream().noneMatch(Incident::open));
            // ids keep counting from the highest ever used, also after the oldest were forgotten
            assertEquals("inc-000004", reopened.nextId());
        }
    }

    @Test
    void theNewestIncidentIsKeptSoIdsAreNeverReused() {
        Path journal = dir.resolve("incidents.jsonl");
        try (IncidentBook book = IncidentBook.open(journal, NOW)) {
            book.record(IncidentSink.Change.CLOSED, incident(book.nextId(), NOW - 9 * DAY, NOW - 9 * DAY));
            book.record(IncidentSink.Change.CLOSED, incident(book.nextId(), NOW - 8 * DAY, NOW - 8 * DAY));
            assertEquals(1, book.expire(NOW));
        }
        try (IncidentBook reopened = IncidentBook.open(journal, NOW)) {
            assertEquals("inc-000003", reopened.nextId());
        }
    }
}
