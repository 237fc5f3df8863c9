package dev.wisp.invoker;

/** The pool's bookkeeping around one instance. Guarded by its {@link FunctionPool}'s lock. */
final class PooledInstance {
    enum State { INITIALIZING, IDLE, BUSY, GONE }

    final Instance instance;
    final long initStartNanos;
    final long initStartMillis;
    State state = State.INITIALIZING;
    long readyNanos;
    long readyMillis;
    long lastUsedNanos;
    int served;

    PooledInstance(Instance instance, long initStartNanos, long initStartMillis) {
        this.instance = instance;
        this.initStartNanos = initStartNanos;
        this.initStartMillis = initStartMillis;
    }
}
