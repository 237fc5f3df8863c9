package dev.wisp.server.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.detect.Incident;
import dev.wisp.gateway.IncidentJson;

/** One incident change as one JSON object: {@code event} first, then the incident as the API shows it. */
final class IncidentLines {
    private IncidentLines() {}

    static ObjectNode of(IncidentSink.Change change, Incident i) {
        ObjectNode line = IncidentJson.toJson(i);
        ObjectNode out = line.objectNode().put("event", change.wireName());
        out.setAll(line);
        return out;
    }
}
