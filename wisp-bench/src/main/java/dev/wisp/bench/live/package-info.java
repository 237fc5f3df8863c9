/**
 * Live mode of the bench: a scenario against a real Wisp server in real time. {@link dev.wisp.bench.live.LiveRun}
 * is the entry; {@code LivePlan} turns a scenario into arrivals and control steps, {@code LiveActions}
 * deploys synthetic functions and calls them through the Lambda API and function URLs, and
 * {@code TelemetryShift} moves the server's telemetry onto the scenario's clock.
 */
package dev.wisp.bench.live;
