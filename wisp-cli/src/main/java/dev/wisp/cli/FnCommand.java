package dev.wisp.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LogType;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** {@code wisp fn}: deploy, list, remove, invoke and read logs of functions, through the Lambda API. */
@Command(name = "fn", description = "Manage and invoke functions.",
        subcommands = {FnCommand.Deploy.class, FnCommand.Ls.class, FnCommand.Rm.class, FnCommand.Invoke.class, FnCommand.Logs.class})
final class FnCommand {

    @Command(name = "deploy", description = "Create a function, or update its code and configuration if it exists.")
    static final class Deploy implements Callable<Integer> {
        @Parameters(index = "0", description = "Function name") String name;
        @Option(names = "--code", required = true, description = "A .zip or .jar, or a directory to zip") Path code;
        @Option(names = "--runtime", required = true, description = "java21, provided.al2023, nodejs20.x, python3.12") String runtime;
        @Option(names = "--handler", defaultValue = "", description = "e.g. app.handler, index.handler, pkg.Class::method") String handler;
        @Option(names = "--memory", defaultValue = "128") int memory;
        @Option(names = "--timeout", defaultValue = "3") int timeout;
        @Option(names = "--env", description = "KEY=VALUE, repeatable") Map<String, String> env = new LinkedHashMap<>();
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws IOException {
            SdkBytes zip = SdkBytes.fromByteArray(Files.isDirectory(code) ? zipDirectory(code) : Files.readAllBytes(code));
            try (LambdaClient lambda = endpoint.lambda()) {
                String arn;
                try {
                    lambda.getFunctionConfiguration(r -> r.functionName(name));
                    lambda.updateFunctionCode(r -> r.functionName(name).zipFile(zip));
                    arn = lambda.updateFunctionConfiguration(r -> r.functionName(name).runtime(runtime).handler(handler)
                            .memorySize(memory).timeout(timeout).environment(e -> e.variables(env))).functionArn();
                    System.out.println("updated " + arn);
                } catch (ResourceNotFoundException missing) {
                    arn = lambda.createFunction(r -> r.functionName(name).runtime(runtime).handler(handler).memorySize(memory)
                            .timeout(timeout).role("arn:aws:iam::000000000000:role/wisp").environment(e -> e.variables(env))
                            .code(c -> c.zipFile(zip))).functionArn();
                    System.out.println("created " + arn);
                }
            }
            return 0;
        }
    }

    @Command(name = "ls", description = "List functions.")
    static final class Ls implements Callable<Integer> {
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() {
            try (LambdaClient lambda = endpoint.lambda()) {
                System.out.printf("%-32s %-18s %-8s %-8s %s%n", "NAME", "RUNTIME", "MEMORY", "TIMEOUT", "LAST MODIFIED");
                lambda.listFunctionsPaginator(r -> r.maxItems(50)).functions().forEach(f ->
                        System.out.printf("%-32s %-18s %-8d %-8d %s%n", f.functionName(), f.runtimeAsString(), f.memorySize(),
                                f.timeout(), f.lastModified()));
            }
            return 0;
        }
    }

    @Command(name = "rm", description = "Delete a function.")
    static final class Rm implements Callable<Integer> {
        @Parameters(index = "0") String name;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() {
            try (LambdaClient lambda = endpoint.lambda()) {
                lambda.deleteFunction(r -> r.functionName(name));
                System.out.println("deleted " + name);
            }
            return 0;
        }
    }

    @Command(name = "invoke", description = "Invoke a function synchronously and print its response.")
    static final class Invoke implements Callable<Integer> {
        @Parameters(index = "0", description = "name, name:qualifier or ARN") String name;
        @Option(names = "--payload", defaultValue = "{}", description = "JSON event") String payload;
        @Option(names = "--tail", description = "Also print the last 4 KB of the function's log.") boolean tail;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() {
            try (LambdaClient lambda = endpoint.lambda()) {
                InvokeResponse r = lambda.invoke(b -> b.functionName(name).payload(SdkBytes.fromUtf8String(payload))
                        .logType(tail ? LogType.TAIL : LogType.NONE));
                if (tail && r.logResult() != null) {
                    System.err.print(new String(Base64.getDecoder().decode(r.logResult()), StandardCharsets.UTF_8));
                }
                System.out.println(r.payload().asUtf8String());
                if (r.functionError() != null) {
                    System.err.println("function error (" + r.functionError() + ")");
                    return 2;
                }
            }
            return 0;
        }
    }

    @Command(name = "logs", description = "Print a function's log lines (the same as 'wisp telemetry logs --function NAME').")
    static final class Logs implements Callable<Integer> {
        @Parameters(index = "0") String name;
        @Mixin TelemetryCommand.Common c;
        @Option(names = "--request-id", description = "Only lines of this invocation.") String requestId;
        @Option(names = "--filter", description = "Terms all required, \"a phrase\", -excluded, ?any ?of") String filter;
        @Option(names = "--limit", defaultValue = "100") int limit;

        @Override
        public Integer call() throws IOException {
            return TelemetryCommand.Logs.print(c, name, requestId, filter, limit);
        }
    }

    /** Zips a directory, keeping Unix modes (a custom runtime's bootstrap must stay executable). */
    static byte[] zipDirectory(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var zip = new ZipArchiveOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                var e = new ZipArchiveEntry(dir.relativize(p).toString());
                e.setUnixMode(Files.isExecutable(p) ? 0100755 : 0100644);
                zip.putArchiveEntry(e);
                Files.copy(p, zip);
                zip.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
