package dev.wisp.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A WHERE clause with its parameters. Every query starts from {@link #of}, which always applies
 * the tenant, so no query can forget it: a null tenant (an admin) is the only way to see all.
 */
final class Where {
    private final List<String> predicates = new ArrayList<>();
    private final List<Object> params = new ArrayList<>();

    private Where() {}

    /** Rows of {@code tenant} (null: every tenant) with {@code from <= timeColumn < to}. */
    static Where of(String tenant, String timeColumn, long from, long to) {
        return new Where().and(timeColumn + " >= ?", from).and(timeColumn + " < ?", to).eq("tenant", tenant);
    }

    /** {@code column = value}, or nothing when value is null (no filter asked). */
    Where eq(String column, Object value) {
        return value == null ? this : and(column + " = ?", value);
    }

    Where and(String predicate, Object... values) {
        predicates.add(predicate);
        params.addAll(List.of(values));
        return this;
    }

    String sql() {
        return predicates.isEmpty() ? "" : " WHERE " + String.join(" AND ", predicates);
    }

    /** Binds the parameters from index {@code first}; returns the next free index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int i = first;
        for (Object p : params) ps.setObject(i++, p);
        return i;
    }
}
