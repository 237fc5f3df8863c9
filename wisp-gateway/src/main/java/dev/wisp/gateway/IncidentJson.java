package dev.wisp.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wisp.detect.Incident;
import dev.wisp.detect.IncidentType;
import dev.wisp.detect.Signal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one JSON shape of an incident: the incidents API answers it, the incident log and webhook
 * carry it, and the server reloads its incidents from it. Times are ISO-8601 instants (closedAt
 * null while open); numbers that are not finite become null, so the JSON stays valid.
 */
public final class IncidentJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IncidentJson() {}

    public static ObjectNode toJson(Incident i) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", i.id());
        n.put("type", i.type() == null ? IncidentType.UNKNOWN.wireName() : i.type().wireName());
        n.put("state", i.open() ? "open" : "closed");
        n.put("tenant", i.tenant());
        n.put("function", i.function());
        n.put("openedAt", iso(i.openedAt()));
        n.put("closedAt", i.open() ? null : iso(i.closedAt()));
        number(n, "severity", i.severity());
        number(n, "confidence", i.confidence());
        ArrayNode signals = n.putArray("signals");
        for (Signal s : i.signals()) {
            ObjectNode sn = signals.addObject().put("detector", s.detector()).put("metric", s.metric()).put("at", iso(s.at()));
            number(sn, "score", s.score());
            number(sn, "observed", s.observed());
            number(sn, "expected", s.expected());
            sn.put("evidence", s.evidence());
        }
        i.topSources().forEach(n.putArray("topSources")::add);
        i.triggers().forEach(n.putArray("triggers")::add);
        n.put("explanation", i.explanation());
        return n;
    }

    public static Incident fromJson(JsonNode n) {
        List<Signal> signals = new ArrayList<>();
        for (JsonNode s : n.path("signals")) {
            signals.add(new Signal(text(s, "detector"), text(s, "metric"), millis(s.path("at")), s.path("score").asDouble(),
                    s.path("observed").asDouble(Double.NaN), s.path("expected").asDouble(Double.NaN), text(s, "evidence")));
        }
        return new Incident(text(n, "id"), type(text(n, "type")), text(n, "tenant"), text(n, "function"),
                millis(n.path("openedAt")), millis(n.path("closedAt")), n.path("severity").asDouble(),
                n.path("confidence").asDouble(), signals, strings(n.path("topSources")), strings(n.path("triggers")),
                text(n, "explanation"));
    }

    public static IncidentType type(String wireName) {
        if (wireName == null) return IncidentType.UNKNOWN;
        try {
            return IncidentType.valueOf(wireName.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return IncidentType.UNKNOWN;
        }
    }

    static String iso(long epochMillis) { return Instant.ofEpochMilli(epochMillis).toString(); }

    private static long millis(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return 0;
        if (v.isNumber()) return v.asLong();
        return Instant.parse(v.asText()).toEpochMilli();
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isFinite(v)) n.put(field, v);
        else n.putNull(field);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode arr) {
        List<String> out = new ArrayList<>();
        arr.forEach(v -> out.add(v.asText()));
        return out;
    }
}
