package dev.wisp.server.watch;

import dev.wisp.common.Clock;
import dev.wisp.detect.Incident;
import dev.wisp.telemetry.model.PlatformEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on incidents by the {@link MitigationPolicy}: every action, enforced or dry run, is audited as
 * a {@link PlatformEvent.MitigationAction} on the bus, and undone (and audited again, as
 * {@code undo-<action>}) when its incident closes. Runs on the detection thread.
 */
public final class Mitigator {
    private static final Logger LOG = LoggerFactory.getLogger(Mitigator.class);

    private final MitigationPolicy policy;
    private final Enforcer enforcer;
    private final Consumer<Object> audit;
    private final Clock clock;
    private final Map<String, List<MitigationPolicy.Action>> active = new HashMap<>();

    /** @param enforcer null for a dry run: actions are audited, nothing is changed */
    public Mitigator(MitigationPolicy policy, Enforcer enforcer, Consumer<Object> audit, Clock clock) {
        this.policy = policy;
        this.enforcer = enforcer;
        this.audit = audit;
        this.clock = clock;
    }

    public boolean dryRun() { return enforcer == null; }

    public void opened(Incident i) {
        List<MitigationPolicy.Action> actions = policy.actionsFor(i);
        if (actions.isEmpty()) return;
        long now = clock.wallMillis();
        for (MitigationPolicy.Action a : actions) {
            if (enforcer != null) {
                try {
                    enforcer.apply(a, now + policy.ttl().toMillis());
                } catch (RuntimeException e) {
                    LOG.warn("mitigation {} on {}/{} failed: {}", a.kind().wireName, a.tenant(), a.function(), e.toString());
                    continue;
                }
            }
            audit.accept(new PlatformEvent.MitigationAction(now, a.tenant(), a.function(), a.kind().wireName, a.target(),
                    dryRun(), reason(i)));
        }
        active.put(i.id(), actions);
    }

    public void closed(Incident i) {
        List<MitigationPolicy.Action> actions = active.remove(i.id());
        if (actions == null) return;
        long now = clock.wallMillis();
        for (MitigationPolicy.Action a : actions) {
            if (enforcer != null) {
                try {
                    enforcer.undo(a);
                } catch (RuntimeException e) {
                    LOG.warn("undoing mitigation {} on {}/{} failed: {}", a.kind().wireName, a.tenant(), a.function(), e.toString());
                }
            }
            audit.accept(new PlatformEvent.MitigationAction(now, a.tenant(), a.function(), "undo-" + a.kind().wireName,
                    a.target(), dryRun(), "incident " + i.id() + " closed"));
        }
    }

    private static String reason(Incident i) {
        String first = i.explanation() == null ? "" : i.explanation().lines().findFirst().orElse("");
        return "incident " + i.id() + " (" + i.type().wireName() + "): " + first;
    }
}
