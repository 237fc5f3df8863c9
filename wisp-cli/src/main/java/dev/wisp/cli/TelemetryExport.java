package dev.wisp.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wisp telemetry export}: a time range as JSON Lines, one file per stream (what detection replays). */
@Command(name = "export", description = "Write telemetry of a time range to DIR as invocations/events/resources/logs .jsonl")
final class TelemetryExport implements Callable<Integer> {
    static final List<String> STREAMS = List.of("invocations", "events", "resources", "logs");

    @Parameters(index = "0", description = "Output directory (created)") Path dir;
    @Mixin Endpoint endpoint;
    @Mixin TimeRange range;
    @Option(names = "--tenant", description = "Admin keys only: one tenant's telemetry") String tenant;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dir);
        String window = range.query() + (tenant == null ? "" : "&tenant=" + SignedHttp.encode(tenant));
        for (String stream : STREAMS) {
            SignedHttp.Reply r = SignedHttp.call(endpoint, "GET", "/wisp/telemetry/export?stream=" + stream + "&" + window, null);
            if (!r.ok()) return r.fail();
            Path file = dir.resolve(stream + ".jsonl");
            Files.write(file, r.body());
            System.err.printf("%-11s %8d lines -> %s%n", stream, r.text().lines().count(), file);
        }
        return 0;
    }
}
