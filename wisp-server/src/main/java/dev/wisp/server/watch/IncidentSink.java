package dev.wisp.server.watch;

import dev.wisp.detect.Incident;

/** Somewhere incidents go as they change. Called on the detection thread: must not block for long. */
public interface IncidentSink extends AutoCloseable {
    /** What happened to an incident; the wire name is the lower-case word. */
    enum Change {
        OPENED, UPDATED, CLOSED;

        public String wireName() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    void send(Change change, Incident incident);

    @Override
    default void close() {}
}
