package dev.wisp.server.watch;

import dev.wisp.controller.Dispatcher;
import dev.wisp.controller.MitigationGuard;
import dev.wisp.controller.registry.FunctionRegistry;
import dev.wisp.invoker.InstancePool;

/**
 * Enforcement through the controller: blocks and caps go to the {@link MitigationGuard} the
 * dispatcher consults on every invocation (a blocked source gets 429 TooManyRequestsException with
 * Reason SourceBlockedByMitigation; a capped function 429 with the reserved-concurrency reason);
 * prewarming provisions instances of the function's latest version, and undoing it goes back to no
 * provisioned instances for that version.
 */
public final class ControllerEnforcer implements Enforcer {
    private final MitigationGuard guard;
    private final FunctionRegistry registry;
    private final Dispatcher dispatcher;
    private final InstancePool pool;

    public ControllerEnforcer(MitigationGuard guard, FunctionRegistry registry, Dispatcher dispatcher, InstancePool pool) {
        this.guard = guard;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.pool = pool;
    }

    @Override
    public void apply(MitigationPolicy.Action a, long untilMillis) {
        switch (a.kind()) {
            case BLOCK_SOURCE -> guard.block(a.tenant(), a.function(), a.target(), untilMillis);
            case CAP_CONCURRENCY -> guard.cap(a.tenant(), a.function(), a.amount(), untilMillis);
            case PREWARM -> pool.provision(dispatcher.specOf(registry.resolve(a.tenant(), a.function(), null)), a.amount());
        }
    }

    @Override
    public void undo(MitigationPolicy.Action a) {
        switch (a.kind()) {
            case BLOCK_SOURCE -> guard.unblock(a.tenant(), a.function(), a.target());
            case CAP_CONCURRENCY -> guard.uncap(a.tenant(), a.function());
            case PREWARM -> registry.latest(a.tenant(), a.function())
                    .ifPresent(f -> pool.provision(dispatcher.specOf(f), 0));
        }
    }
}
