/**
 * The telemetry model of DESIGN.md §2: what the platform reports and what detection sees.
 * Detection depends on this package only, never on platform internals.
 */
package dev.wisp.telemetry.model;
