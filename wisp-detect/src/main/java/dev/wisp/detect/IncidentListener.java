package dev.wisp.detect;

/** Told about incidents as they open, change and close. Called on the thread that drives the engine. */
public interface IncidentListener {
    void opened(Incident i);

    default void updated(Incident i) {}

    void closed(Incident i);
}
