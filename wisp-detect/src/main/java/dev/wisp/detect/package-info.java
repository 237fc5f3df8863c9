/**
 * Detection v1: streaming features per tenant and function, seasonal baselines, detectors that emit
 * {@link dev.wisp.detect.Signal}s, and fusion of signals into {@link dev.wisp.detect.Incident}s.
 * Depends only on the telemetry model ({@code dev.wisp.telemetry.model}), never on platform internals.
 */
package dev.wisp.detect;
