package dev.wisp.gateway;

import dev.wisp.common.Clock;
import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import dev.wisp.gateway.auth.AccessKeyStore;
import dev.wisp.gateway.auth.Principal;
import dev.wisp.gateway.auth.SigV4Verifier;
import dev.wisp.http.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;

/** Turns a request into the principal it is signed by (or the local one when auth is off). */
final class Principals {
    static final Principal LOCAL = new Principal("default", "local", true);

    private final AccessKeyStore keys;
    private final SigV4Verifier verifier;
    private final boolean insecureLocal;

    Principals(AccessKeyStore keys, Clock clock, boolean insecureLocal) {
        this.keys = keys;
        this.verifier = new SigV4Verifier(keys::secretFor, clock);
        this.insecureLocal = insecureLocal;
    }

    Principal authenticate(Exchange ex, byte[] body) {
        if (insecureLocal) return LOCAL;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField f : ex.headers()) {
            headers.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
        }
        SigV4Verifier.Verified v = verifier.verify(new SigV4Verifier.SignedRequest(ex.method(), ex.rawPath(), ex.rawQuery(),
                headers, body == null ? new byte[0] : body));
        return keys.principal(v.accessKeyId()).orElseThrow(() -> new WispException(ErrorCode.UNRECOGNIZED_CLIENT,
                "The security token included in the request is invalid."));
    }
}
