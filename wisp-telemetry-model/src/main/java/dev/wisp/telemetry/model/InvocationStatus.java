package dev.wisp.telemetry.model;

/** The outcome of one invocation attempt. */
public enum InvocationStatus {
    SUCCESS, ERROR, TIMEOUT, OOM, CRASH, THROTTLED, REJECTED;

    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }

    @Override public String toString() { return wireName(); }
}
