package dev.wisp.store;

/** The bucket width of a series. */
public enum Resolution {
    SECOND(1_000), MINUTE(60_000);

    public final long millis;

    Resolution(long millis) { this.millis = millis; }
}
