package dev.wisp.telemetry.model;

/** How an invocation entered the platform. Serialised in lower case. */
public enum Trigger {
    SDK, HTTP, EVENT, SCHEDULE, QUEUE, CHAIN;

    public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }

    @Override public String toString() { return wireName(); }
}
