package dev.wisp.bench.scenario;

import java.nio.file.Path;

/**
 * Many real functions from a trace file added as benign background (SCHEMA.md "Real traces").
 * Paths are resolved against the scenario file's folder; {@code durations} and {@code memory} may be null.
 */
public record TraceFunctions(Path file, int count, long seed, Path durations, Path memory, int minPerDay) {}
