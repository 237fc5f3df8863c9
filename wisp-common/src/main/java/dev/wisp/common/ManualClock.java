package dev.wisp.common;

import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves only when told to: for the simulator and deterministic tests. */
public final class ManualClock implements Clock {
    private final AtomicLong nanos;
    private final long wallOriginMillis;

    public ManualClock(long wallOriginMillis) {
        this.wallOriginMillis = wallOriginMillis;
        this.nanos = new AtomicLong();
    }

    @Override public long wallMillis() { return wallOriginMillis + nanos.get() / 1_000_000L; }

    @Override public long monoNanos() { return nanos.get(); }

    public void advanceMillis(long millis) { nanos.addAndGet(millis * 1_000_000L); }

    public void advanceNanos(long n) { nanos.addAndGet(n); }
}
