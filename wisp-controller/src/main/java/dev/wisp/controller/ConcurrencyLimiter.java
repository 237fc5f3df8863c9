package dev.wisp.controller;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lambda's concurrency model: a function with reserved concurrency may run that many at once and
 * no more; all other functions of a tenant share what the tenant's limit leaves unreserved.
 */
public final class ConcurrencyLimiter {
    private final int tenantLimit;
    private final Map<String, AtomicInteger> perFunction = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unreservedPerTenant = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> reservedTotalPerTenant = new ConcurrentHashMap<>();
    /** Invocations started under a mitigation's concurrency cap, per function. */
    private final Map<String, AtomicInteger> cappedPerFunction = new ConcurrentHashMap<>();

    /** A granted slot; release it exactly once when the invocation ends. */
    public interface Permit {
        void release();
    }

    /** Why a request was turned away; the names are Lambda's TooManyRequestsException reasons. */
    public enum Denial { ReservedFunctionConcurrentInvocationLimitExceeded, ConcurrentInvocationLimitExceeded }

    public ConcurrencyLimiter(int tenantLimit) {
        this.tenantLimit = tenantLimit;
    }

    public int tenantLimit() { return tenantLimit; }

    /** Keeps the tenant's reserved total current, so unreserved capacity shrinks as reservations grow. */
    public void setReservedTotal(String tenant, int total) {
        reservedTotalPerTenant.computeIfAbsent(tenant, t -> new AtomicInteger()).set(total);
    }

    /**
     * @param reserved the function's reserved concurrency, or null when it has none
     * @return a permit, or the reason for refusing
     */
    public Object tryAcquire(String tenant, String function, Integer reserved) {
        String key = tenant + "/" + function;
        if (reserved != null) {
            AtomicInteger active = perFunction.computeIfAbsent(key, k -> new AtomicInteger());
            if (!tryIncrement(active, reserved)) return Denial.ReservedFunctionConcurrentInvocationLimitExceeded;
            return permit(active);
        }
        AtomicInteger shared = unreservedPerTenant.computeIfAbsent(tenant, t -> new AtomicInteger());
        int reservedTotal = reservedTotalPerTenant.getOrDefault(tenant, new AtomicInteger()).get();
        if (!tryIncrement(shared, Math.max(0, tenantLimit - reservedTotal))) return Denial.ConcurrentInvocationLimitExceeded;
        return permit(shared);
    }

    /**
     * As {@link #tryAcquire(String, String, Integer)}, under a mitigation's concurrency cap as well
     * (null: none). The cap is counted on top of the usual limits, so a capped function still uses
     * its tenant's pool; refusals look like a reserved-concurrency limit, as the caller sees one.
     */
    public Object tryAcquire(String tenant, String function, Integer reserved, Integer cap) {
        if (cap == null) return tryAcquire(tenant, function, reserved);
        AtomicInteger capped = cappedPerFunction.computeIfAbsent(tenant + "/" + function, k -> new AtomicInteger());
        if (!tryIncrement(capped, cap)) return Denial.ReservedFunctionConcurrentInvocationLimitExceeded;
        Object inner = tryAcquire(tenant, function, reserved);
        if (inner instanceof Denial) {
            capped.decrementAndGet();
            return inner;
        }
        Permit limit = (Permit) inner;
        Permit cappedSlot = permit(capped);
        return (Permit) () -> {
            limit.release();
            cappedSlot.release();
        };
    }

    /** A permit that gives its slot back once, however often it is released. */
    private static Permit permit(AtomicInteger counter) {
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) counter.decrementAndGet();
        };
    }

    private static boolean tryIncrement(AtomicInteger counter, int limit) {
        while (true) {
            int n = counter.get();
            if (n >= limit) return false;
            if (counter.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Current concurrent executions of a tenant (reserved and unreserved). */
    public int active(String tenant) {
        int sum = unreservedPerTenant.getOrDefault(tenant, new AtomicInteger()).get();
        String prefix = tenant + "/";
        for (var e : perFunction.entrySet()) {
            if (e.getKey().startsWith(prefix)) sum += e.getValue().get();
        }
        return sum;
    }
}
