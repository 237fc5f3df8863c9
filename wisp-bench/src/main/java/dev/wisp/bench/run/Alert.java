package dev.wisp.bench.run;

/**
 * An incident as the scorer sees it, whoever raised it: Wisp's detector or a baseline.
 *
 * @param function the function it is about, or null when it is platform-wide
 * @param closedAt epoch ms, 0 while still open
 */
public record Alert(String id, String type, String function, long openedAt, long closedAt, String explanation) {}
