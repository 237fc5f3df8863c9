package dev.wisp.controller.registry;

/**
 * A function URL: an HTTP endpoint that invokes one function version or alias.
 *
 * @param urlId    the unguessable id in the URL path, unique across tenants
 * @param qualifier "" for $LATEST, else a version or alias
 * @param authType NONE (public) or AWS_IAM (SigV4-signed by a key of the same tenant)
 */
public record UrlConfig(String urlId, String tenant, String functionName, String qualifier, String authType,
                        long created, long lastModified) {}
