package dev.wisp.server.watch;

/** Puts mitigation actions into force in the platform, and takes them back. */
public interface Enforcer {
    void apply(MitigationPolicy.Action action, long untilMillis);

    void undo(MitigationPolicy.Action action);
}
