package dev.wisp.metrics;

import dev.wisp.telemetry.model.PlatformEvent;
import dev.wisp.telemetry.model.PlatformEvent.BudgetCrossed;
import dev.wisp.telemetry.model.PlatformEvent.ConcurrencySample;
import dev.wisp.telemetry.model.PlatformEvent.InstanceEvent;
import dev.wisp.telemetry.model.PlatformEvent.MitigationAction;
import dev.wisp.telemetry.model.PlatformEvent.SchedulerDecision;
import dev.wisp.telemetry.model.PlatformEvent.Throttled;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** Platform events: throttles, budget crossings and mitigations counted, concurrency samples as gauges. */
final class EventMeters {
    /** Reasons, actions and periods are platform vocabulary; the cap only guards against a bug. */
    private static final int MAX_VALUES = 50;

    private final MeterRegistry registry;
    private final FunctionGauges functions;
    private final LabelGuard vocabulary = new LabelGuard(MAX_VALUES);

    EventMeters(MeterRegistry registry, FunctionGauges functions) {
        this.registry = registry;
        this.functions = functions;
    }

    void accept(PlatformEvent event) {
        switch (event) {
            case Throttled t -> counter("wisp.throttles", "Requests turned away by a limit",
                    Labels.function(t.tenant(), t.functionName()).and("reason", vocabulary.bound("reason", t.reason())));
            case BudgetCrossed b -> counter("wisp.budget.crossings", "Times a tenant's spend went past its budget",
                    Tags.of(Labels.TENANT, Labels.of(b.tenant()), "period", vocabulary.bound("period", b.period())));
            case MitigationAction m -> counter("wisp.mitigation.actions", "Mitigation and operator actions",
                    Labels.function(m.tenant(), m.functionName()).and("action", vocabulary.bound("action", m.action()),
                            "dry_run", Boolean.toString(m.dryRun())));
            case ConcurrencySample c -> functions.update(c.tenant(), c.functionName(),
                    f -> f.load(c.timestamp(), c.concurrent(), c.queued()));
            // instance counts come from the function samples; decisions are for explanations, not metrics
            case InstanceEvent i -> { }
            case SchedulerDecision d -> { }
        }
    }

    private void counter(String name, String help, Tags tags) {
        Counter.builder(name).description(help).tags(tags).register(registry).increment();
    }
}
