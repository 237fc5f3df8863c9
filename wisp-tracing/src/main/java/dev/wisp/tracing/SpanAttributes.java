package dev.wisp.tracing;

import dev.wisp.telemetry.model.Trigger;

/**
 * Attribute names on invocation spans: the OpenTelemetry FaaS and cloud semantic conventions where
 * one exists, {@code wisp.*} for what only Wisp knows.
 *
 * <p>{@code cloud.provider} is left out on purpose: its values name real clouds (aws, gcp, ...)
 * and Wisp is none of them. The function's identity (faas.name, version, max_memory, instance) is
 * a resource attribute in the conventions, but one Wisp process runs many functions under a
 * single resource, so it is set on each span instead.
 */
public final class SpanAttributes {
    private SpanAttributes() { }

    public static final String FAAS_TRIGGER = "faas.trigger";
    public static final String FAAS_INVOCATION_ID = "faas.invocation_id";
    public static final String FAAS_NAME = "faas.name";
    public static final String FAAS_VERSION = "faas.version";
    public static final String FAAS_COLDSTART = "faas.coldstart";
    /** Bytes, not MB, as the conventions ask. */
    public static final String FAAS_MAX_MEMORY = "faas.max_memory";
    public static final String FAAS_INSTANCE = "faas.instance";
    public static final String CLOUD_ACCOUNT_ID = "cloud.account.id";
    public static final String CLOUD_REGION = "cloud.region";

    public static final String WISP_TRIGGER = "wisp.trigger";
    public static final String WISP_STATUS = "wisp.status";
    public static final String WISP_ERROR_TYPE = "wisp.error_type";
    public static final String WISP_PARENT_REQUEST_ID = "wisp.parent_request_id";
    public static final String WISP_WAIT_MS = "wisp.wait_ms";
    public static final String WISP_INIT_MS = "wisp.init_ms";
    public static final String WISP_DURATION_MS = "wisp.duration_ms";
    public static final String WISP_BILLED_MS = "wisp.billed_ms";
    public static final String WISP_MAX_MEMORY_USED_MB = "wisp.max_memory_used_mb";
    public static final String WISP_GB_SECONDS = "wisp.gb_seconds";
    public static final String WISP_COST_USD = "wisp.cost_usd";

    /** The conventions' faas.trigger values: datasource, http, pubsub, timer, other. */
    public static String faasTrigger(Trigger trigger) {
        if (trigger == null) return "other";
        return switch (trigger) {
            case HTTP -> "http";
            case EVENT, QUEUE -> "pubsub";
            case SCHEDULE -> "timer";
            // an SDK Invoke or a call from inside another function is a direct call, not one of
            // the convention's trigger kinds
            case SDK, CHAIN -> "other";
        };
    }
}
