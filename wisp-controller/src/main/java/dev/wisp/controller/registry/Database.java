package dev.wisp.controller.registry;

import dev.wisp.common.ErrorCode;
import dev.wisp.common.WispException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The embedded H2 database under the data directory that holds the control plane's state. Writes
 * are rare (deploys, key creation) and reads are served from memory, so one connection guarded by
 * a lock is enough. WRITE_DELAY=0 hands every commit to the OS at once, so an accepted event
 * survives the server being killed.
 */
public final class Database implements AutoCloseable {
    private final Connection connection;

    public Database(Path dataDir) {
        try {
            this.connection = DriverManager.getConnection(
                    "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0", "wisp", "");
            try (var st = connection.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS functions (tenant VARCHAR NOT NULL, name VARCHAR NOT NULL,"
                        + " version VARCHAR NOT NULL, config CLOB NOT NULL, PRIMARY KEY (tenant, name, version))");
                st.execute("CREATE TABLE IF NOT EXISTS aliases (tenant VARCHAR NOT NULL, name VARCHAR NOT NULL,"
                        + " alias VARCHAR NOT NULL, config CLOB NOT NULL, PRIMARY KEY (tenant, name, alias))");
                st.execute("CREATE TABLE IF NOT EXISTS function_settings (tenant VARCHAR NOT NULL, name VARCHAR NOT NULL,"
                        + " setting VARCHAR NOT NULL, config CLOB NOT NULL, PRIMARY KEY (tenant, name, setting))");
                st.execute("CREATE TABLE IF NOT EXISTS function_urls (url_id VARCHAR PRIMARY KEY, tenant VARCHAR NOT NULL,"
                        + " name VARCHAR NOT NULL, qualifier VARCHAR NOT NULL, config CLOB NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS access_keys (access_key_id VARCHAR PRIMARY KEY, tenant VARCHAR NOT NULL,"
                        + " secret_enc VARCHAR NOT NULL, admin BOOLEAN NOT NULL, created BIGINT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS async_events (id VARCHAR PRIMARY KEY, tenant VARCHAR NOT NULL,"
                        + " config CLOB NOT NULL, payload BLOB NOT NULL, state VARCHAR NOT NULL, created BIGINT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS tenant_budgets (tenant VARCHAR PRIMARY KEY, amount_usd DOUBLE NOT NULL,"
                        + " period VARCHAR NOT NULL, crossed_period BIGINT DEFAULT 0 NOT NULL)");
            }
        } catch (SQLException e) {
            throw new WispException(ErrorCode.SERVICE, "cannot open the registry database: " + e.getMessage(), Map.of(), e);
        }
    }

    /** Runs an insert/update/delete; returns the update count. */
    public synchronized int update(String sql, Object... args) {
        try (PreparedStatement ps = prepare(sql, args)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new WispException(ErrorCode.SERVICE, "registry write failed: " + e.getMessage(), Map.of(), e);
        }
    }

    /** A row mapper for {@link #query}. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public synchronized <T> List<T> query(String sql, Row<T> row, Object... args) {
        try (PreparedStatement ps = prepare(sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) out.add(row.map(rs));
            return out;
        } catch (SQLException e) {
            throw new WispException(ErrorCode.SERVICE, "registry read failed: " + e.getMessage(), Map.of(), e);
        }
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps;
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // shutting down
        }
    }
}
