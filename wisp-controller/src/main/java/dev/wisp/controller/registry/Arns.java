package dev.wisp.controller.registry;

/**
 * ARNs in Lambda's shape. Each tenant has a stable 12-digit account id derived from its name, so
 * ARNs look like AWS's and differ between tenants.
 */
public final class Arns {
    public static final String REGION = "us-east-1";

    private Arns() {}

    private static final java.util.Map<String, String> ACCOUNTS = new java.util.concurrent.ConcurrentHashMap<>();

    public static String accountId(String tenant) {
        return ACCOUNTS.computeIfAbsent(tenant, Arns::derive);
    }

    private static String derive(String tenant) {
        long h = 1125899906842597L;
        for (char c : tenant.toCharArray()) h = 31 * h + c;
        return String.format("%012d", Math.floorMod(h, 1_000_000_000_000L));
    }

    public static String function(String tenant, String name, String qualifier) {
        String base = "arn:aws:lambda:" + REGION + ":" + accountId(tenant) + ":function:" + name;
        return qualifier == null || qualifier.isEmpty() ? base : base + ":" + qualifier;
    }
}
