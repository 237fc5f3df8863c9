package dev.wisp.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.detect.Incident;
import dev.wisp.gateway.auth.Principal;
import dev.wisp.http.Exchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /wisp/incidents} and {@code GET /wisp/incidents/{id}}. A tenant's key sees only its
 * tenant's incidents; platform-wide ones (no tenant) and all tenants' are for admin keys, which may
 * narrow to one tenant with {@code tenant=}.
 */
final class IncidentsApi {
    private final ObjectMapper json = new ObjectMapper();
    private final Supplier<List<Incident>> incidents;

    IncidentsApi(Supplier<List<Incident>> incidents) {
        this.incidents = incidents;
    }

    /** {@code seg} is the path: ["wisp", "incidents", id?]. */
    void serve(Exchange ex, Principal who, String[] seg, Map<String, String> q) throws IOException {
        if (!ex.method().equals("GET")) {
            throw new WispException(ErrorCode.METHOD_NOT_ALLOWED, ex.method() + " is not allowed on " + ex.rawPath());
        }
        if (seg.length == 3) {
            Incident i = incidents.get().stream().filter(x -> x.id().equals(seg[2]) && visible(who, x)).findFirst()
                    .orElseThrow(() -> new WispException(ErrorCode.RESOURCE_NOT_FOUND, "No incident " + seg[2]));
            ex.sendJson(200, json.writeValueAsString(IncidentJson.toJson(i)));
            return;
        }
        if (seg.length != 2) throw new WispException(ErrorCode.NOT_FOUND_ROUTE, "Use /wisp/incidents or /wisp/incidents/{id}");
        String tenant = q.get("tenant");
        if (tenant != null && !tenant.isEmpty() && !who.admin() && !tenant.equals(who.tenant())) {
            throw new WispException(ErrorCode.ACCESS_DENIED, "A tenant key may only read its own incidents");
        }
        String state = q.getOrDefault("state", "all");
        if (!List.of("open", "closed", "all").contains(state)) throw WispException.invalid("state must be open, closed or all");
        long from = TelemetryApi.time(q.get("from"), Long.MIN_VALUE, "from");
        long to = TelemetryApi.time(q.get("to"), Long.MAX_VALUE, "to");
        String function = q.get("function");
        ArrayNode out = json.createArrayNode();
        for (Incident i : incidents.get()) {
            if (!visible(who, i)) continue;
            if (tenant != null && !tenant.isEmpty() && !tenant.equals(i.tenant())) continue;
            if (function != null && !function.isEmpty() && !function.equals(i.function())) continue;
            if (state.equals("open") && !i.open() || state.equals("closed") && i.open()) continue;
            // active at some time in [from, to]
            if (i.openedAt() > to || !i.open() && i.closedAt() < from) continue;
            out.add(IncidentJson.toJson(i));
        }
        ex.sendJson(200, json.writeValueAsString(out));
    }

    private static boolean visible(Principal who, Incident i) {
        return who.admin() || who.tenant().equals(i.tenant());
    }
}
