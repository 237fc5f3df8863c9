package dev.wisp.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code wisp telemetry import}: loads JSON Lines written by export into the server's store (admin). */
@Command(name = "import", description = "Load a directory written by 'wisp telemetry export' into the store (admin key).")
final class TelemetryImport implements Callable<Integer> {
    @Parameters(index = "0", description = "Directory with invocations/events/resources/logs .jsonl") Path dir;
    @Mixin Endpoint endpoint;

    @Override
    public Integer call() throws Exception {
        int files = 0;
        for (String stream : TelemetryExport.STREAMS) {
            Path file = dir.resolve(stream + ".jsonl");
            if (!Files.exists(file)) continue;
            files++;
            SignedHttp.Reply r = SignedHttp.call(endpoint, "POST", "/wisp/telemetry/import?stream=" + stream, Files.readAllBytes(file));
            if (!r.ok()) return r.fail();
            System.err.printf("%-11s %s%n", stream, r.text());
        }
        if (files == 0) {
            System.err.println("wisp: no .jsonl telemetry files in " + dir);
            return 1;
        }
        return 0;
    }
}
