package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wisp incidents}: what live detection raised, through the server's incidents API. */
@Command(name = "incidents", description = "List incidents raised by live detection (newest first), or show one.",
        subcommands = IncidentsCommand.Show.class)
final class IncidentsCommand implements Callable<Integer> {
    @Mixin Endpoint endpoint;
    @Option(names = "--state", defaultValue = "all", description = "open, closed or all. Default: ${DEFAULT-VALUE}") String state;
    @Option(names = "--function") String function;
    @Option(names = "--tenant", description = "Admin keys only: one tenant's incidents") String tenant;
    @Option(names = "--from", description = "Incidents active at or after this time (epoch ms or ISO-8601)") String from;
    @Option(names = "--to", description = "Incidents opened at or before this time (epoch ms or ISO-8601)") String to;
    @Option(names = "--json", description = "Print the API's JSON instead of a table") boolean json;

    @Override
    public Integer call() throws IOException {
        StringBuilder q = new StringBuilder("/wisp/incidents?state=").append(SignedHttp.encode(state));
        SignedHttp.param(q, "function", function);
        SignedHttp.param(q, "tenant", tenant);
        SignedHttp.param(q, "from", from);
        SignedHttp.param(q, "to", to);
        SignedHttp.Reply r = SignedHttp.call(endpoint, "GET", q.toString(), null);
        if (!r.ok()) return r.fail();
        if (json) { TelemetryCommand.printPretty(r); return 0; }
        java.util.List<JsonNode> rows = new java.util.ArrayList<>();
        TelemetryCommand.parse(r).forEach(rows::add);
        System.out.printf("%-12s %-20s %-6s %-24s %-20s %-5s %s%n", "ID", "OPENED", "STATE", "TYPE", "FUNCTION", "SEV",
                "EXPLANATION");
        for (JsonNode n : rows.reversed()) {
            System.out.printf("%-12s %-20s %-6s %-24s %-20s %5.2f %s%n", n.path("id").asText(),
                    n.path("openedAt").asText().replaceFirst("\\.\\d+Z$", "Z"), n.path("state").asText(),
                    n.path("type").asText(), n.path("function").asText("-"), n.path("severity").asDouble(),
                    firstLine(n.path("explanation").asText("")));
        }
        return 0;
    }

    static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }

    @Command(name = "show", description = "One incident in full: signals, top sources, triggers, explanation.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", description = "Incident id, e.g. inc-000001") String id;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws IOException {
            SignedHttp.Reply r = SignedHttp.call(endpoint, "GET", "/wisp/incidents/" + SignedHttp.encode(id), null);
            if (!r.ok()) return r.fail();
            TelemetryCommand.printPretty(r);
            return 0;
        }
    }
}
