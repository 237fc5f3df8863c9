package dev.wisp.server.watch;

import dev.wisp.detect.Incident;
import dev.wisp.detect.Signal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do about an incident, by its type: a denial of service blocks the source key to blame for
 * the function (or, with no source clearly to blame, caps the function's concurrency); a denial of wallet caps
 * the function's concurrency; a cold-start amplification prewarms instances. Other types get no
 * action. Platform-wide incidents (no function) get none either.
 *
 * @param ttl            how long a block or cap lasts at most, even if its incident never closes
 * @param concurrencyCap concurrent executions a capped function keeps
 * @param prewarm        instances kept initialised for a cold-start amplification
 */
public record MitigationPolicy(Duration ttl, int concurrencyCap, int prewarm) {
    public static MitigationPolicy defaults() { return new MitigationPolicy(Duration.ofMinutes(15), 2, 2); }

    public enum Kind {
        BLOCK_SOURCE("block-source"), CAP_CONCURRENCY("cap-concurrency"), PREWARM("prewarm");

        public final String wireName;

        Kind(String wireName) { this.wireName = wireName; }
    }

    /** One action on one function; {@code target} is what it acts on (a source key, or the function). */
    public record Action(Kind kind, String tenant, String function, String target, int amount) {}

    public List<Action> actionsFor(Incident i) {
        if (i.function() == null || i.type() == null) return List.of();
        return switch (i.type()) {
            case DOS -> {
                String source = sourceToBlame(i);
                yield source == null ? List.of(cap(i)) : List.of(new Action(Kind.BLOCK_SOURCE, i.tenant(), i.function(), source, 0));
            }
            case DOW -> List.of(cap(i));
            case COLD_START_AMPLIFICATION -> List.of(new Action(Kind.PREWARM, i.tenant(), i.function(), i.function(), prewarm));
            default -> List.of();
        };
    }

    private Action cap(Incident i) {
        return new Action(Kind.CAP_CONCURRENCY, i.tenant(), i.function(), i.function(), concurrencyCap);
    }

    private static final Pattern NEW_SOURCE = Pattern.compile("new source (\\S+)");
    private static final Pattern SHARE = Pattern.compile("^(.+) \\((\\d+(?:\\.\\d+)?)%\\)$");
    /** A top source owning at least this share of recent traffic is the flood itself. */
    static final double DOMINANT_SHARE = 80;

    /**
     * The top sources cover the last minute or two, legitimate traffic included, so the first of
     * them may well be the function's usual caller. Blame a source the new-source detector named;
     * else the top source only when it dominates; else nobody.
     */
    static String sourceToBlame(Incident i) {
        for (Signal s : i.signals()) {
            if ("new-source".equals(s.detector()) && s.evidence() != null) {
                Matcher m = NEW_SOURCE.matcher(s.evidence());
                if (m.find()) return m.group(1);
            }
        }
        if (i.topSources().isEmpty()) return null;
        Matcher m = SHARE.matcher(i.topSources().getFirst().trim());
        if (!m.matches() || Double.parseDouble(m.group(2)) < DOMINANT_SHARE) return null;
        String key = m.group(1).trim();
        return key.isEmpty() || key.equals("-") ? null : key;
    }
}
