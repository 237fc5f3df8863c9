package dev.wisp.invoker;

/** Creates instances. Real processes in production, simulated ones in the bench. */
public interface InstanceBackend extends AutoCloseable {
    /** Starts an instance; returns at once, init continues in the background. */
    Instance start(FunctionSpec spec, String instanceId);

    @Override
    void close();
}
