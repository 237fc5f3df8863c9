package dev.wisp.cli;

import dev.wisp.invoker.InvokerConfig;
import dev.wisp.server.ServerConfig;
import dev.wisp.server.WispServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import dev.wisp.server.DetectionSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import dev.wisp.server.TelemetrySettings;
import dev.wisp.telemetry.model.PriceTable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

/** {@code wisp serve}: the whole platform in this process until interrupted. */
@Command(name = "serve", description = "Run the Wisp platform on 127.0.0.1:PORT with state under DIR.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9000", description = "API port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data", defaultValue = "data", description = "Data directory. Default: ${DEFAULT-VALUE}")
    Path data;

    @Option(names = "--insecure-local", description = "Turn authentication off: every request is tenant 'default'. Demos only.")
    boolean insecureLocal;

    @Option(names = "--keep-alive", defaultValue = "PT10M", description = "Idle time before an instance is evicted (ISO-8601). Default: ${DEFAULT-VALUE}")
    Duration keepAlive;

    @Option(names = "--max-instances-per-function", defaultValue = "32")
    int maxPerFunction;

    @Option(names = "--max-instances", defaultValue = "64", description = "Instances on this host across all functions.")
    int maxHost;

    @Option(names = "--tenant-concurrency", defaultValue = "1000")
    int tenantConcurrency;

    @Option(names = "--prewarm", defaultValue = "4", description = "Stem cells (prewarmed generic runtimes) kept at most; 0 turns prewarming off. Default: ${DEFAULT-VALUE}")
    int prewarm;

    @Option(names = "--isolation", defaultValue = "AUTO", description = "AUTO, NAMESPACES, NAMESPACES_SCRIPT or PROCESS")
    InvokerConfig.Isolation isolation;

    @Option(names = "--telemetry", defaultValue = "on", description = "on, or off to publish telemetry to no one (measures what it costs). Default: ${DEFAULT-VALUE}")
    String telemetry;

    @Option(names = "--retention", defaultValue = "P7D", description = "How long telemetry is kept (ISO-8601). Default: ${DEFAULT-VALUE}")
    Duration retention;

    @Option(names = "--price-per-request", description = "USD per invocation. Default: AWS Lambda's list price, 0.0000002")
    Double pricePerRequest;

    @Option(names = "--price-per-gb-second", description = "USD per GB-second. Default: AWS Lambda's x86 list price, 0.0000166667")
    Double pricePerGbSecond;

    @Option(names = "--otlp-endpoint", description = "Export a span per invocation to this OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces")
    String otlpEndpoint;

    @Option(names = "--detection", defaultValue = "on", description = "on, or off to run no live detection (needs --telemetry on). Default: ${DEFAULT-VALUE}")
    String detection;

    @Option(names = "--incident-log", description = "JSON Lines file a SIEM can ingest: one line per incident opened, updated or closed. Default: DATA/incidents.jsonl")
    Path incidentLog;

    @Option(names = "--incident-webhook", description = "POST a JSON object to this URL per incident opened or closed")
    URI incidentWebhook;

    @Option(names = "--mitigate", description = "Enforce mitigation actions (block a flooding source, cap concurrency, prewarm). Without it they are only audited (dry run).")
    boolean mitigate;

    private DetectionSettings detectionSettings() {
        if (incidentWebhook != null && !List.of("http", "https").contains(String.valueOf(incidentWebhook.getScheme()))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--incident-webhook must be an http(s) URL");
        }
        return new DetectionSettings(onOff("--detection", detection), incidentLog, incidentWebhook, mitigate);
    }

    private TelemetrySettings telemetrySettings() {
        PriceTable d = PriceTable.DEFAULT;
        PriceTable prices = new PriceTable(pricePerRequest == null ? d.perRequestUsd() : pricePerRequest,
                pricePerGbSecond == null ? d.perGbSecondUsd() : pricePerGbSecond);
        return new TelemetrySettings(onOff("--telemetry", telemetry), retention, prices, otlpEndpoint);
    }

    /** An on/off switch's value; anything else is a usage error naming the option. */
    private boolean onOff(String option, String value) {
        if (!value.equals("on") && !value.equals("off")) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be on or off, not " + value);
        }
        return value.equals("on");
    }

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig base = ServerConfig.defaults(data, port);
        ServerConfig config = new ServerConfig(base.host(), port, data, insecureLocal, keepAlive, maxPerFunction, maxHost,
                tenantConcurrency, base.asyncBackoff(), isolation, prewarm, telemetrySettings(), detectionSettings());
        WispServer server = new WispServer(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stop.countDown();
        }, "wisp-shutdown"));
        server.firstAdminKey().ifPresent(k -> System.out.println("admin key: " + k.accessKeyId() + " " + k.secretAccessKey()));
        if (insecureLocal) {
            System.out.println("WARNING: --insecure-local: authentication is OFF; anyone who can reach the port acts as tenant 'default'");
        }
        System.out.println("instances: " + server.isolation());
        System.out.println("data: " + data.toAbsolutePath());
        System.out.println("telemetry: " + (config.telemetry().enabled() ? "on" : "OFF") + ", metrics at /metrics with the bearer token in "
                + config.dataDir().resolve("metrics.token"));
        if (config.telemetry().enabled() && config.detection().enabled()) {
            System.out.println("detection: on, incidents at /wisp/incidents, mitigation " + (mitigate ? "ENFORCED" : "dry run (audit only)"));
        }
        System.out.println("listening on http://127.0.0.1:" + server.port());
        System.out.flush();
        stop.await();
        return 0;
    }
}
