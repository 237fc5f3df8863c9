package dev.wisp.common;

import java.security.SecureRandom;
import java.util.UUID;

/** Identifier generation. Request ids look like Lambda's (UUIDs); secrets come from SecureRandom. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final char[] B64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private Ids() {}

    /**
     * A random (version 4) UUID, as Lambda's request ids are. Request ids are identifiers, not
     * secrets, so they come from a thread-local generator rather than the locked SecureRandom
     * {@link UUID#randomUUID()} uses: this runs once per invocation.
     */
    public static String requestId() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long hi = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    /** A 20-character access key id in AWS's style, prefixed so Wisp keys are recognisable. */
    public static String accessKeyId() { return "AKWP" + random(UPPER_ALNUM, 16); }

    /** A 40-character secret access key. */
    public static String secretAccessKey() { return random(B64, 40); }

    /** An unguessable url-safe token, e.g. for tying a Runtime API endpoint to one instance. */
    public static String token() { return random("abcdefghijklmnopqrstuvwxyz0123456789".toCharArray(), 32); }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        return new String(out);
    }
}
