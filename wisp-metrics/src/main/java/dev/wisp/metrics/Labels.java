package dev.wisp.metrics;

import io.micrometer.core.instrument.Tags;

/** Label names and values shared by the meter classes. */
final class Labels {
    static final String TENANT = "tenant";
    static final String FUNCTION = "function";

    private Labels() {}

    /** Micrometer rejects null tag values; an empty value reads in PromQL like an absent label. */
    static String of(String value) {
        return value == null ? "" : value;
    }

    static Tags function(String tenant, String function) {
        return Tags.of(TENANT, of(tenant), FUNCTION, of(function));
    }
}
