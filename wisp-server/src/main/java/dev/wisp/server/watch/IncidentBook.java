package dev.wisp.server.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wisp.detect.Incident;
import dev.wisp.gateway.IncidentJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every incident of this data directory: the latest snapshot of each in memory, journaled as JSON
 * Lines (the incident log format) so they survive a restart. Updates are journaled at most every
 * {@link #UPDATE_EVERY_MS} per incident: an open incident may change every second, and its closing
 * line carries the final state anyway.
 */
public final class IncidentBook implements AutoCloseable {
    static final long UPDATE_EVERY_MS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(IncidentBook.class);

    private final LinkedHashMap<String, Incident> byId = new LinkedHashMap<>();
    private final Map<String, Long> lastJournaled = new HashMap<>();
    private final JsonLinesIncidentSink journal;
    private long seq;

    private IncidentBook(JsonLinesIncidentSink journal) {
        this.journal = journal;
    }

    /**
     * Reloads the journal. Incidents it left open were open when the server stopped; detection
     * starts afresh and will never close them, so they are closed as of {@code nowMillis}.
     */
    public static IncidentBook open(Path journalFile, long nowMillis) {
        Map<String, Incident> loaded = new LinkedHashMap<>();
        if (Files.exists(journalFile)) {
            try (var lines = Files.lines(journalFile, StandardCharsets.UTF_8)) {
                lines.forEach(line -> {
                    try {
                        JsonNode n = JSON.readTree(line);
                        if (n != null && n.hasNonNull("id")) loaded.put(n.get("id").asText(), IncidentJson.fromJson(n));
                    } catch (IOException | RuntimeException skipped) {
                        // a torn last line after a crash, or a hand edit: keep the rest
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read incidents from " + journalFile, e);
            }
        }
        IncidentBook book = new IncidentBook(new JsonLinesIncidentSink(journalFile));
        for (Incident i : loaded.values()) {
            book.byId.put(i.id(), i);
            book.seq = Math.max(book.seq, number(i.id()));
            if (i.open()) book.record(IncidentSink.Change.CLOSED, closedAt(i, Math.max(nowMillis, i.openedAt())));
        }
        return book;
    }

    /** A fresh id, never used in this data directory. */
    public synchronized String nextId() {
        return String.format(Locale.ROOT, "inc-%06d", ++seq);
    }

    public synchronized void record(IncidentSink.Change change, Incident i) {
        byId.put(i.id(), i);
        long now = System.currentTimeMillis();
        if (change == IncidentSink.Change.UPDATED) {
            Long last = lastJournaled.get(i.id());
            if (last != null && now - last < UPDATE_EVERY_MS) return;
        }
        if (change == IncidentSink.Change.CLOSED) lastJournaled.remove(i.id());
        else lastJournaled.put(i.id(), now);
        journal.send(change, i);
    }

    public synchronized List<Incident> all() { return new ArrayList<>(byId.values()); }

    /**
     * Retention: forgets incidents closed before {@code cutoffMillis} and rewrites the journal with
     * one line per incident kept (its latest state), so the file neither grows without end nor
     * brings the forgotten back on the next start. Open incidents are always kept, and so is the
     * newest, whose id is where the numbering continues after a restart.
     *
     * @return incidents forgotten
     */
    public synchronized int expire(long cutoffMillis) {
        int before = byId.size();
        byId.values().removeIf(i -> !i.open() && i.closedAt() < cutoffMillis && number(i.id()) != seq);
        int forgotten = before - byId.size();
        if (forgotten == 0) return 0;
        lastJournaled.keySet().retainAll(byId.keySet());
        List<Map.Entry<IncidentSink.Change, Incident>> lines = new ArrayList<>();
        for (Incident i : byId.values()) {
            lines.add(Map.entry(i.open() ? IncidentSink.Change.UPDATED : IncidentSink.Change.CLOSED, i));
        }
        try {
            journal.rewrite(lines);
        } catch (IOException e) {
            // the journal keeps its old lines; the next start reloads them and expires them again
            LOG.warn("cannot rewrite incident journal {}: {}", journal.file(), e.toString());
        }
        return forgotten;
    }

    public Path file() { return journal.file(); }

    @Override
    public void close() { journal.close(); }

    private static long number(String id) {
        int dash = id.lastIndexOf('-');
        try {
            return Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Incident closedAt(Incident i, long at) {
        return new Incident(i.id(), i.type(), i.tenant(), i.function(), i.openedAt(), at, i.severity(), i.confidence(),
                i.signals(), i.topSources(), i.triggers(), i.explanation());
    }

    static Incident withId(Incident i, String id) {
        return new Incident(id, i.type(), i.tenant(), i.function(), i.openedAt(), i.closedAt(), i.severity(), i.confidence(),
                i.signals(), i.topSources(), i.triggers(), i.explanation());
    }
}
