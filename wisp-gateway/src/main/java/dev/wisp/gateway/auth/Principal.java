package dev.wisp.gateway.auth;

/** Who a request is from: the tenant whose functions it may see, and whether it may manage keys. */
public record Principal(String tenant, String accessKeyId, boolean admin) {}
