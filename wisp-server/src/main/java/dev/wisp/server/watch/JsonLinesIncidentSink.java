package dev.wisp.server.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wisp.detect.Incident;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per incident change to a file, flushed at once (incidents are rare, and a
 * SIEM tailing the file should see them now).
 */
public final class JsonLinesIncidentSink implements IncidentSink {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesIncidentSink.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private Writer out;

    public JsonLinesIncidentSink(Path file) {
        this.file = file;
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            this.out = append(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open incident log " + file, e);
        }
    }

    private static Writer append(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Replaces the file's lines with one line per given change, written to a temporary file and
     * moved over the old one, so a crash leaves either the old journal or the new one.
     */
    public synchronized void rewrite(List<Map.Entry<Change, Incident>> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Map.Entry<Change, Incident> l : lines) {
                w.write(JSON.writeValueAsString(IncidentLines.of(l.getKey(), l.getValue())));
                w.write('\n');
            }
        }
        out.close();
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out = append(file);
    }

    public Path file() { return file; }

    @Override
    public synchronized void send(Change change, Incident incident) {
        try {
            out.write(JSON.writeValueAsString(IncidentLines.of(change, incident)));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            LOG.warn("cannot append to incident log {}: {}", file, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to save
        }
    }
}
