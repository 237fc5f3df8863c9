package dev.wisp.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MitigationGuardTest {
    @Test
    void aBlockHoldsForItsSourceAndFunctionUntilUndoneOrExpired() {
        MitigationGuard g = new MitigationGuard();
        g.block("acme", "thumb", "attacker", 2_000);
        assertTrue(g.isBlocked("acme", "thumb", "attacker", 1_000));
        assertFalse(g.isBlocked("acme", "thumb", "app", 1_000), "other sources still call");
        assertFalse(g.isBlocked("acme", "other", "attacker", 1_000), "other functions are not blocked");
        assertFalse(g.isBlocked("beta", "thumb", "attacker", 1_000), "nor other tenants' functions");
        assertFalse(g.isBlocked("acme", "thumb", "attacker", 2_000), "expired");
        g.block("acme", "thumb", "attacker", 9_000);
        g.unblock("acme", "thumb", "attacker");
        assertFalse(g.isBlocked("acme", "thumb", "attacker", 1_000), "undone");
    }

    @Test
    void aCapLimitsConcurrencyOnTopOfTheUsualLimits() {
        MitigationGuard g = new MitigationGuard();
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(10);
        g.cap("acme", "f", 2, 5_000);
        Integer cap = g.capOf("acme", "f", 1_000);
        assertEquals(2, cap);
        var p1 = assertInstanceOf(ConcurrencyLimiter.Permit.class, limiter.tryAcquire("acme", "f", null, cap));
        assertInstanceOf(ConcurrencyLimiter.Permit.class, limiter.tryAcquire("acme", "f", null, cap));
        assertEquals(ConcurrencyLimiter.Denial.ReservedFunctionConcurrentInvocationLimitExceeded, limiter.tryAcquire("acme", "f", null, cap));
        assertEquals(2, limiter.active("acme"), "capped invocations still count against the tenant");
        p1.release();
        p1.release(); // once only
        assertInstanceOf(ConcurrencyLimiter.Permit.class, limiter.tryAcquire("acme", "f", null, cap));
        assertEquals(ConcurrencyLimiter.Denial.ReservedFunctionConcurrentInvocationLimitExceeded, limiter.tryAcquire("acme", "f", null, cap));
        g.uncap("acme", "f");
        assertNull(g.capOf("acme", "f", 1_000));
        g.cap("acme", "f", 2, 5_000);
        assertNull(g.capOf("acme", "f", 5_000), "expired");
    }
}
