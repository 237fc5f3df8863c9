/**
 * Sim mode: a discrete-event simulation of one Wisp host on a virtual clock. It runs the real
 * invoker policy ({@code InstancePool}, {@code FunctionPool}, {@code ScalingPolicy}) and the
 * controller's {@code ConcurrencyLimiter} on simulated instances, and emits the telemetry the live
 * server emits, so detection cannot tell the two worlds apart by shape.
 */
package dev.wisp.bench.sim;
