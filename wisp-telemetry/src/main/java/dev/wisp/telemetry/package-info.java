/** The telemetry plane's plumbing: the in-process bus and its sinks. */
package dev.wisp.telemetry;
