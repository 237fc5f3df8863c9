package dev.wisp.bench.sim;

import java.util.SplittableRandom;
import java.util.UUID;

/** Request, trace and span ids in Lambda's and W3C's shapes, from the simulation's seed (never from real randomness). */
final class SimIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private final SplittableRandom random;

    SimIds(SplittableRandom random) {
        this.random = random;
    }

    /** A version-4 UUID, as Lambda's request ids are. */
    String requestId() {
        long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** 32 hex digits. */
    String traceId() {
        char[] c = new char[32];
        fill(c, 0, random.nextLong() | Long.MIN_VALUE);
        fill(c, 16, random.nextLong());
        return new String(c);
    }

    /** 16 hex digits, never all zero. */
    String spanId() {
        char[] c = new char[16];
        fill(c, 0, random.nextLong() | 1L);
        return new String(c);
    }

    private static void fill(char[] c, int from, long v) {
        for (int i = 15; i >= 0; i--) {
            c[from + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }
}
