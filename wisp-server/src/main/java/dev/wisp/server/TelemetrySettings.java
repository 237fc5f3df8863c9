package dev.wisp.server;

import dev.wisp.telemetry.model.PriceTable;
import java.time.Duration;

/**
 * How the watching plane runs.
 *
 * @param enabled      false publishes into a bus nobody reads (to measure what telemetry costs)
 * @param retention    how long the store keeps telemetry
 * @param prices       the price table invocation cost is computed at
 * @param otlpEndpoint an OTLP/HTTP traces endpoint (e.g. http://127.0.0.1:4318/v1/traces), or null
 */
public record TelemetrySettings(boolean enabled, Duration retention, PriceTable prices, String otlpEndpoint) {
    public static final TelemetrySettings DEFAULTS = new TelemetrySettings(true, Duration.ofDays(7), PriceTable.DEFAULT, null);
}
