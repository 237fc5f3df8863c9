package dev.wisp.bench.sim;

import dev.wisp.invoker.FunctionSpec;
import dev.wisp.invoker.Instance;
import dev.wisp.invoker.InstanceBackend;
import java.util.ArrayList;
import java.util.List;

/** Starts simulated instances; keeps the live ones for the once-a-second resource samples. */
final class SimBackend implements InstanceBackend {
    private final SimPlatform platform;
    final List<SimInstance> live = new ArrayList<>();

    SimBackend(SimPlatform platform) {
        this.platform = platform;
    }

    @Override
    public Instance start(FunctionSpec spec, String instanceId) {
        SimInstance i = platform.newInstance(spec, instanceId);
        i.liveIndex = live.size();
        live.add(i);
        return i;
    }

    /** Removes an instance in O(1); the order of the rest changes, deterministically. */
    void gone(SimInstance i) {
        int k = i.liveIndex;
        if (k < 0) return;
        SimInstance last = live.removeLast();
        if (last != i) {
            live.set(k, last);
            last.liveIndex = k;
        }
        i.liveIndex = -1;
    }

    @Override
    public void close() { }
}
