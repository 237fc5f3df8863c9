package dev.wisp.detect;

/**
 * A signal as fusion sees it.
 *
 * @param weight how much it counts towards opening an incident (1 = enough on its own; 0 = context
 *               only: it neither opens nor keeps an incident open)
 * @param strong it may open a new incident even during the cool-down after one closed
 */
record Fired(Signal signal, double weight, boolean strong) {
    String detector() { return signal.detector(); }
}
