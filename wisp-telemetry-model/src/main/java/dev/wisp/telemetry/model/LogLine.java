package dev.wisp.telemetry.model;

/**
 * One line of text: a function's stdout/stderr (with the request it belongs to) or a platform
 * component's log line.
 *
 * @param source    FUNCTION or PLATFORM
 * @param component for platform lines: gateway, controller, invoker; for functions: the instance id
 * @param requestId the invocation the line was written during, or null
 */
public record LogLine(long timestamp, Source source, String tenant, String functionName,
                      String component, String level, String requestId, String message) {
    public enum Source { FUNCTION, PLATFORM }
}
