package dev.wisp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a server's telemetry as its JSON Lines files hold it (the server may be writing as we read). */
final class TelemetryFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TelemetryFiles() {}

    /** Every complete line of {@code DATA/telemetry/FILE}; a half-written last line is skipped. */
    static List<JsonNode> read(Path data, String file) throws IOException {
        Path path = data.resolve("telemetry").resolve(file);
        if (!Files.exists(path)) return List.of();
        return Files.readAllLines(path).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }).toList();
    }
}
