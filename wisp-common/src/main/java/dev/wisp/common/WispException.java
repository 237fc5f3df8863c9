package dev.wisp.common;

import java.util.Map;

/**
 * The one unchecked root of Wisp's errors. The gateway maps it to AWS error JSON in one place;
 * {@code extra} carries additional fields an error type defines (e.g. {@code Reason} on throttles).
 */
public class WispException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> extra;

    public WispException(ErrorCode code, String message) {
        this(code, message, Map.of(), null);
    }

    public WispException(ErrorCode code, String message, Map<String, Object> extra, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.extra = Map.copyOf(extra);
    }

    public ErrorCode code() { return code; }

    public Map<String, Object> extra() { return extra; }

    public static WispException notFound(String message) {
        return new WispException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }

    public static WispException invalid(String message) {
        return new WispException(ErrorCode.INVALID_PARAMETER, message);
    }

    public static WispException conflict(String message) {
        return new WispException(ErrorCode.RESOURCE_CONFLICT, message);
    }
}
