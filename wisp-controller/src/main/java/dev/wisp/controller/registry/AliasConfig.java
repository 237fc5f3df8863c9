package dev.wisp.controller.registry;

/** An alias: a stable name that points at one published version (or $LATEST). */
public record AliasConfig(String tenant, String functionName, String name, String functionVersion,
                          String description, String revisionId) {}
