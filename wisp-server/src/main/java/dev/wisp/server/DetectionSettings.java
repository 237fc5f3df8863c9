package dev.wisp.server;

import java.net.URI;
import java.nio.file.Path;

/**
 * How live detection runs inside {@code wisp serve}.
 *
 * @param enabled    run the detection engine on the telemetry bus (it needs telemetry on)
 * @param incidentLog a JSON Lines file for a SIEM, one line per incident opened, updated or closed;
 *                   null: DATA/incidents.jsonl, the file incidents are also reloaded from
 * @param webhook    POSTed a JSON object per incident opened or closed, or null
 * @param mitigate   enforce mitigation actions; off, they are only audited (dry run)
 */
public record DetectionSettings(boolean enabled, Path incidentLog, URI webhook, boolean mitigate) {
    public static final DetectionSettings DEFAULTS = new DetectionSettings(true, null, null, false);
}
