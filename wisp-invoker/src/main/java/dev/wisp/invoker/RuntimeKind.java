package dev.wisp.invoker;

import dev.wisp.common.WispException;
import java.util.Locale;

/** The runtime families Wisp can start. Lambda's runtime identifiers map onto them. */
public enum RuntimeKind {
    JAVA, PROVIDED, NODEJS, PYTHON;

    /** Maps a Lambda runtime name (java21, provided.al2023, nodejs20.x, python3.12, ...). */
    public static RuntimeKind fromLambdaName(String runtime) {
        if (runtime == null || runtime.isBlank()) {
            throw WispException.invalid("Runtime is required for Zip package type");
        }
        String r = runtime.toLowerCase(Locale.ROOT);
        if (r.startsWith("java")) return JAVA;
        if (r.startsWith("provided")) return PROVIDED;
        if (r.startsWith("nodejs")) return NODEJS;
        if (r.startsWith("python3")) return PYTHON;
        throw WispException.invalid("Value " + runtime + " at 'runtime' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [java21, provided, provided.al2023, nodejs, nodejs20.x, python3, python3.12]");
    }
}
