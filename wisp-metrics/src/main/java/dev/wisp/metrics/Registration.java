package dev.wisp.metrics;

/** A meter registered from outside; closing it removes the meter from the scrape. */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    @Override
    void close();
}
