/**
 * Detection live inside {@code wisp serve}: the engine fed from the telemetry bus, incidents kept
 * and sent to sinks (a JSON Lines file, a webhook), and mitigation actions audited and, when asked,
 * enforced through the controller.
 */
package dev.wisp.server.watch;
