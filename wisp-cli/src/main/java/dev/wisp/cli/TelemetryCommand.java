package dev.wisp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wisp telemetry}: query what the platform recorded, through the server's telemetry API. */
@Command(name = "telemetry", description = "Query invocations, logs, series, cost and traces.",
        subcommands = {TelemetryCommand.Invocations.class, TelemetryCommand.Request.class, TelemetryCommand.Logs.class,
                TelemetryCommand.Series.class, TelemetryCommand.Cost.class, TelemetryCommand.Trace.class,
                TelemetryExport.class, TelemetryImport.class})
final class TelemetryCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Options every query shares. */
    static final class Common {
        @Mixin Endpoint endpoint;
        @Mixin TimeRange range;
        @Option(names = "--tenant", description = "Admin keys only: one tenant's telemetry") String tenant;
        @Option(names = "--json", description = "Print the API's JSON instead of a table") boolean json;

        SignedHttp.Reply get(String what, String... params) throws IOException {
            StringBuilder q = new StringBuilder("/wisp/telemetry/").append(what).append('?').append(range.query());
            SignedHttp.param(q, "tenant", tenant);
            for (int i = 0; i + 1 < params.length; i += 2) {
                SignedHttp.param(q, params[i], params[i + 1]);
            }
            return SignedHttp.call(endpoint, "GET", q.toString(), null);
        }
    }

    static JsonNode parse(SignedHttp.Reply r) throws IOException { return JSON.readTree(r.body()); }

    static void printPretty(SignedHttp.Reply r) throws IOException {
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(parse(r)));
    }

    static String time(long epochMillis) { return Instant.ofEpochMilli(epochMillis).toString(); }

    @Command(name = "invocations", description = "Invocations, newest first.")
    static final class Invocations implements Callable<Integer> {
        @Mixin Common c;
        @Option(names = "--function") String function;
        @Option(names = "--status", description = "success, error, timeout, oom, crash, throttled, rejected") String status;
        @Option(names = "--cold", description = "true: cold starts only; false: warm only") String cold;
        @Option(names = "--limit", defaultValue = "50") int limit;

        @Override
        public Integer call() throws IOException {
            SignedHttp.Reply r = c.get("invocations", "function", function, "status", status, "cold", cold, "limit", String.valueOf(limit));
            if (!r.ok()) return r.fail();
            if (c.json) { printPretty(r); return 0; }
            System.out.printf("%-24s %-36s %-20s %-9s %-5s %9s %9s %9s%n", "COMPLETED", "REQUEST ID", "FUNCTION", "STATUS", "COLD",
                    "WAIT MS", "INIT MS", "DUR MS");
            for (JsonNode n : parse(r).path("Invocations")) {
                System.out.printf("%-24s %-36s %-20s %-9s %-5s %9.2f %9.2f %9.2f%n", time(n.path("completedAt").asLong()),
                        n.path("requestId").asText(), n.path("functionName").asText(), n.path("status").asText(),
                        n.path("coldStart").asBoolean() ? "cold" : "warm", n.path("waitMs").asDouble(),
                        n.path("initMs").asDouble(), n.path("durationMs").asDouble());
            }
            return 0;
        }
    }

    @Command(name = "request", description = "One request's whole story: record, logs, events and trace.")
    static final class Request implements Callable<Integer> {
        @Parameters(index = "0", description = "Request id") String id;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws IOException {
            SignedHttp.Reply r = SignedHttp.call(endpoint, "GET", "/wisp/telemetry/requests/" + SignedHttp.encode(id), null);
            if (!r.ok()) return r.fail();
            printPretty(r);
            return 0;
        }
    }

    @Command(name = "trace", description = "Every span of a trace (a chain of invocations).")
    static final class Trace implements Callable<Integer> {
        @Parameters(index = "0", description = "Trace id (32 hex digits)") String id;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws IOException {
            SignedHttp.Reply r = SignedHttp.call(endpoint, "GET", "/wisp/telemetry/traces/" + SignedHttp.encode(id), null);
            if (!r.ok()) return r.fail();
            printPretty(r);
            return 0;
        }
    }

    @Command(name = "logs", description = "Log lines by function or request, with a CloudWatch-style filter pattern.")
    static final class Logs implements Callable<Integer> {
        @Mixin Common c;
        @Option(names = "--function") String function;
        @Option(names = "--request-id") String requestId;
        @Option(names = "--filter", description = "Terms all required, \"a phrase\", -excluded, ?any ?of") String filter;
        @Option(names = "--limit", defaultValue = "100") int limit;

        @Override
        public Integer call() throws IOException {
            return print(c, function, requestId, filter, limit);
        }

        /** Oldest first, as a log reads. */
        static int print(Common c, String function, String requestId, String filter, int limit) throws IOException {
            SignedHttp.Reply r = c.get("logs", "function", function, "requestId", requestId, "filter", filter, "limit", String.valueOf(limit));
            if (!r.ok()) return r.fail();
            if (c.json) { printPretty(r); return 0; }
            List<JsonNode> lines = new ArrayList<>();
            parse(r).path("Logs").forEach(lines::add);
            for (JsonNode n : lines.reversed()) {
                System.out.println(time(n.path("timestamp").asLong()) + " " + n.path("functionName").asText("-") + " "
                        + n.path("requestId").asText("-") + " " + n.path("message").asText());
            }
            return 0;
        }
    }

    @Command(name = "series", description = "Per-second or per-minute series of one function (or all of a tenant's).")
    static final class Series implements Callable<Integer> {
        @Mixin Common c;
        @Option(names = "--function") String function;
        @Option(names = "--resolution", defaultValue = "1m", description = "1s or 1m") String resolution;

        @Override
        public Integer call() throws IOException {
            SignedHttp.Reply r = c.get("series", "function", function, "resolution", resolution);
            if (!r.ok()) return r.fail();
            if (c.json) { printPretty(r); return 0; }
            System.out.printf("%-24s %7s %6s %6s %6s %9s %9s %9s %9s %6s %9s %11s%n", "BUCKET", "INVOKES", "ERRORS", "THROTL",
                    "COLD", "WARM P50", "WARM P99", "COLD P50", "WAIT P95", "CONC", "CPU m", "COST USD");
            for (JsonNode n : parse(r).path("Points")) {
                System.out.printf("%-24s %7d %6d %6d %6d %9.2f %9.2f %9.2f %9.2f %6d %9.0f %11.8f%n", time(n.path("bucketStart").asLong()),
                        n.path("invocations").asLong(), n.path("errors").asLong(), n.path("throttles").asLong(),
                        n.path("coldStarts").asLong(), num(n, "warmDurationP50Ms"), num(n, "warmDurationP99Ms"),
                        num(n, "coldDurationP50Ms"), num(n, "waitP95Ms"), n.path("concurrentMax").asLong(), num(n, "cpuMillicores"), num(n, "costUsd"));
            }
            return 0;
        }

        private static double num(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
        }
    }

    @Command(name = "cost", description = "GB-seconds and money per function.")
    static final class Cost implements Callable<Integer> {
        @Mixin Common c;

        @Override
        public Integer call() throws IOException {
            SignedHttp.Reply r = c.get("cost");
            if (!r.ok()) return r.fail();
            printPretty(r);
            return 0;
        }
    }
}
