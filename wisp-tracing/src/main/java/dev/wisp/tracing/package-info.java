/**
 * Traces of invocations: {@link dev.wisp.tracing.InvocationSpans} turns an invocation record into
 * spans (one mapping for the local trace view and for export), and
 * {@link dev.wisp.tracing.OtlpTraceExporter} sends them to an OTLP/HTTP collector.
 */
package dev.wisp.tracing;
