package dev.wisp.controller.registry;

import java.util.Map;

/**
 * One function version's configuration as stored. {@code $LATEST} is mutable; published versions
 * are immutable copies. Field meanings follow Lambda's FunctionConfiguration.
 *
 * @param codeSha256  base64 SHA-256 of the deployment package (Lambda's CodeSha256)
 * @param codeKey     the directory name of the unpacked code in the code store
 * @param lastModified epoch millis
 * @param tags        the function's tags; {@code wisp:network=none} cuts its instances off the network
 */
public record FunctionConfig(String tenant, String name, String version, String runtime, String handler,
                             String role, String description, int memorySize, int timeout,
                             Map<String, String> environment, String codeSha256, long codeSize, String codeKey,
                             long lastModified, String revisionId, Map<String, String> tags) {
    /** The tag that switches a function's network off. */
    public static final String NETWORK_TAG = "wisp:network";

    public static final String LATEST = "$LATEST";
    public static final int DEFAULT_MEMORY = 128;
    public static final int DEFAULT_TIMEOUT = 3;

    public FunctionConfig {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** False when the function is tagged {@code wisp:network=none}. */
    public boolean networkAccess() { return !"none".equals(tags.get(NETWORK_TAG)); }

    public FunctionConfig withVersion(String v, String newRevision) {
        return new FunctionConfig(tenant, name, v, runtime, handler, role, description, memorySize, timeout,
                environment, codeSha256, codeSize, codeKey, lastModified, newRevision, tags);
    }
}
