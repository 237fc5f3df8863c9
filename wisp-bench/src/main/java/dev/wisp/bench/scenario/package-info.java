/**
 * The bench scenario format of SCHEMA.md as Java values, and its strict parser: an unknown or
 * misplaced field is an error, so a typo never silently changes an experiment.
 */
package dev.wisp.bench.scenario;
