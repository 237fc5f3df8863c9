package dev.wisp.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;

/**
 * Appends telemetry as JSON Lines, one file per stream, under a directory. Subscribed to the bus,
 * so it runs on the bus's drain thread and never on the invoke path.
 */
public final class JsonLinesSink implements AutoCloseable {
    /** The four streams of the telemetry model and their file names. */
    public enum Stream {
        INVOCATIONS("invocations.jsonl"), EVENTS("events.jsonl"), RESOURCES("resources.jsonl"), LOGS("logs.jsonl");

        public final String fileName;

        Stream(String fileName) { this.fileName = fileName; }

        public static Stream of(Object item) {
            return switch (item) {
                case InvocationRecord r -> INVOCATIONS;
                case PlatformEvent e -> EVENTS;
                case ResourceSample s -> RESOURCES;
                case LogLine l -> LOGS;
                default -> null;
            };
        }
    }

    // Blackbird replaces reflective record accessors with generated lambdas: this runs for every record
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.module.blackbird.BlackbirdModule())
            .configure(SerializationFeature.WRITE_ENUMS_USING_TO_STRING, true);
    private final Map<Stream, BufferedWriter> writers = new EnumMap<>(Stream.class);
    private final Path dir;

    public JsonLinesSink(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean accepts(Object item) { return Stream.of(item) != null; }

    public synchronized void write(Object item) {
        Stream stream = Stream.of(item);
        if (stream == null) return;
        try {
            BufferedWriter w = writers.get(stream);
            if (w == null) {
                w = Files.newBufferedWriter(dir.resolve(stream.fileName), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                writers.put(stream, w);
            }
            if (item instanceof PlatformEvent e) {
                // the event's kind leads the object, so a reader can dispatch on it
                String json = mapper.writeValueAsString(e);
                w.write("{\"type\":\"");
                w.write(e.getClass().getSimpleName());
                w.write(json.length() > 2 ? "\"," : "\"");
                w.write(json, 1, json.length() - 1);
            } else {
                w.write(mapper.writeValueAsString(item));
            }
            w.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pushes buffered lines to the files (the bus calls this when it has caught up). */
    public synchronized void flush() {
        for (BufferedWriter w : writers.values()) {
            try {
                w.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        for (BufferedWriter w : writers.values()) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing on shutdown; nothing more to do
            }
        }
        writers.clear();
    }
}
