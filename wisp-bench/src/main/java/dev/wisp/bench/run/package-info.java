/**
 * Runs scenarios, feeds the same telemetry to Wisp's detector and to the two baselines (a static
 * threshold and a rolling z-score), and scores all three against the ground truth as
 * SCHEMA.md defines it. Entry: {@link dev.wisp.bench.run.BenchRunner}.
 */
package dev.wisp.bench.run;
