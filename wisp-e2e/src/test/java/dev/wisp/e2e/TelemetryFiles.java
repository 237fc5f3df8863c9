package dev.wisp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.SdkHttpMethod;

/** A server's telemetry as `wisp telemetry export` gets it: one stream as JSON Lines, through the API. */
final class TelemetryFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TelemetryFiles() {}

    /** Every object of {@code stream} (invocations, events, resources, logs) the store holds so far. */
    static List<JsonNode> read(WispProcess wisp, String stream) throws Exception {
        HttpResponse<String> r = HttpSigned.raw(wisp, wisp.adminKey(), SdkHttpMethod.GET,
                "/wisp/telemetry/export?from=0&stream=" + stream, "");
        if (r.statusCode() != 200) throw new AssertionError("export " + stream + " -> " + r.statusCode() + " " + r.body());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("export " + stream + " wrote a line that is not JSON: " + line, e);
            }
        }
        return out;
    }
}
