package dev.wisp.gateway;

import dev.wisp.common.WispException;
import dev.wisp.controller.registry.Arns;

/**
 * A function as a caller names it in a path: {@code name}, {@code name:qualifier}, or a full or
 * partial ARN. An ARN of another account never resolves, so tenants cannot reach each other.
 */
record FunctionRef(String name, String qualifier) {
    private static final java.util.regex.Pattern PARTIAL_ARN = java.util.regex.Pattern.compile("[0-9]{12}:function:.*");

    static FunctionRef parse(String raw, String tenant, String queryQualifier) {
        String s = raw;
        String account = null;
        if (s.startsWith("arn:")) {
            String[] p = s.split(":");
            // arn:aws:lambda:region:account:function:name[:qualifier]
            if (p.length < 7 || !p[2].equals("lambda") || !p[5].equals("function")) {
                throw WispException.invalid("Invalid function ARN: " + raw);
            }
            account = p[4];
            s = p.length > 7 ? p[6] + ":" + p[7] : p[6];
        } else if (PARTIAL_ARN.matcher(s).matches()) {
            account = s.substring(0, 12);
            s = s.substring(22);
        }
        String name = s;
        String qualifier = null;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            name = s.substring(0, colon);
            qualifier = s.substring(colon + 1);
        }
        if (queryQualifier != null && !queryQualifier.isEmpty()) {
            if (qualifier != null && !qualifier.equals(queryQualifier)) {
                throw WispException.invalid("The derived qualifier from the function name does not match the specified qualifier.");
            }
            qualifier = queryQualifier;
        }
        if (account != null && !account.equals(Arns.accountId(tenant))) {
            throw WispException.notFound("Function not found: " + raw);
        }
        return new FunctionRef(name, qualifier);
    }
}
