package dev.wisp.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.telemetry.JsonLinesSink.Stream;
import dev.wisp.telemetry.model.InvocationRecord;
import dev.wisp.telemetry.model.LogLine;
import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.ResourceSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads what {@link JsonLinesSink} wrote back into model objects, so stored or exported telemetry
 * can be replayed (detection offline, {@code wisp telemetry import}).
 */
public final class JsonLinesReader {
    /** Event classes by the name the sink writes in "type"; taken from the sealed set so they cannot drift. */
    private static final Map<String, Class<?>> EVENT_TYPES = Arrays.stream(PlatformEvent.class.getPermittedSubclasses())
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, c -> c));

    // enums are written with toString (lower case for Trigger and InvocationStatus); unknown fields
    // are skipped so files from a newer Wisp that adds a field still load
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.READ_ENUMS_USING_TO_STRING, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    /** A line that is not a telemetry object of its file's stream. */
    public static final class MalformedLineException extends IllegalArgumentException {
        private final transient Path file;
        private final long lineNumber;

        MalformedLineException(Path file, long lineNumber, IllegalArgumentException cause) {
            super(file + " line " + lineNumber + ": " + cause.getMessage(), cause);
            this.file = file;
            this.lineNumber = lineNumber;
        }

        public Path file() { return file; }

        public long lineNumber() { return lineNumber; }
    }

    /**
     * Reads the stream files present in {@code dir} (any subset of the four), each in file order,
     * streams in {@link Stream} order, and hands every item to {@code into}.
     *
     * @return the number of items read
     * @throws MalformedLineException naming the file and line of the first bad line
     * @throws IllegalArgumentException when {@code dir} is not a directory (a mistyped path would
     *                                  otherwise read as an empty export)
     */
    public static long read(Path dir, Consumer<Object> into) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
        JsonLinesReader reader = new JsonLinesReader();
        long count = 0;
        for (Stream stream : Stream.values()) {
            Path file = dir.resolve(stream.fileName);
            if (Files.isRegularFile(file)) count += reader.readFile(stream, file, into);
        }
        return count;
    }

    private long readFile(Stream stream, Path file, Consumer<Object> into) {
        long count = 0;
        long lineNumber = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) continue;
                Object item;
                try {
                    item = parse(stream, line);
                } catch (IllegalArgumentException e) {
                    throw new MalformedLineException(file, lineNumber, e);
                }
                into.accept(item);
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return count;
    }

    /**
     * One line of {@code stream}'s file as its model object.
     *
     * @throws IllegalArgumentException when the line is not such an object
     */
    public Object parse(Stream stream, String line) {
        try {
            Object item = switch (stream) {
                case INVOCATIONS -> mapper.readValue(line, InvocationRecord.class);
                case EVENTS -> event(line);
                case RESOURCES -> mapper.readValue(line, ResourceSample.class);
                case LOGS -> mapper.readValue(line, LogLine.class);
            };
            if (item == null) throw new IllegalArgumentException("not a JSON object");
            return item;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    private Object event(String line) throws JsonProcessingException {
        JsonNode node = mapper.readTree(line);
        if (!(node instanceof ObjectNode object)) throw new IllegalArgumentException("not a JSON object");
        JsonNode type = object.remove("type");
        if (type == null || !type.isTextual()) throw new IllegalArgumentException("event without a \"type\"");
        Class<?> kind = EVENT_TYPES.get(type.textValue());
        if (kind == null) throw new IllegalArgumentException("unknown event type \"" + type.textValue() + "\"");
        return mapper.treeToValue(object, kind);
    }
}
