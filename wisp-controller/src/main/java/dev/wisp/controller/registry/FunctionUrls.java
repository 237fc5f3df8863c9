package dev.wisp.controller.registry;

import dev.wisp.common.Ids;
import dev.wisp.common.WispException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Function URL configurations, looked up by URL id on every HTTP-triggered request. */
public final class FunctionUrls {
    private final Database db;
    private final Map<String, UrlConfig> byId = new ConcurrentHashMap<>();

    public FunctionUrls(Database db) {
        this.db = db;
        db.query("SELECT config FROM function_urls", rs -> read(rs.getString(1))).forEach(c -> byId.put(c.urlId(), c));
    }

    public Optional<UrlConfig> byId(String urlId) { return Optional.ofNullable(byId.get(urlId)); }

    public Optional<UrlConfig> of(String tenant, String name, String qualifier) {
        String q = qualifier == null ? "" : qualifier;
        return byId.values().stream().filter(c -> c.tenant().equals(tenant) && c.functionName().equals(name)
                && c.qualifier().equals(q)).findFirst();
    }

    public synchronized UrlConfig create(String tenant, String name, String qualifier, String authType, long now) {
        if (of(tenant, name, qualifier).isPresent()) {
            throw WispException.conflict("Failed to create function url config for [functionArn = "
                    + Arns.function(tenant, name, qualifier) + "]. Error message: FunctionUrlConfig exists for this Lambda function");
        }
        UrlConfig c = new UrlConfig(Ids.token(), tenant, name, qualifier == null ? "" : qualifier, checkAuth(authType), now, now);
        db.update("INSERT INTO function_urls VALUES (?, ?, ?, ?, ?)", c.urlId(), tenant, name, c.qualifier(), write(c));
        byId.put(c.urlId(), c);
        return c;
    }

    public synchronized UrlConfig update(String tenant, String name, String qualifier, String authType, long now) {
        UrlConfig old = require(tenant, name, qualifier);
        UrlConfig c = new UrlConfig(old.urlId(), tenant, name, old.qualifier(),
                authType == null ? old.authType() : checkAuth(authType), old.created(), now);
        db.update("UPDATE function_urls SET config = ? WHERE url_id = ?", write(c), c.urlId());
        byId.put(c.urlId(), c);
        return c;
    }

    public synchronized void delete(String tenant, String name, String qualifier) {
        UrlConfig c = require(tenant, name, qualifier);
        db.update("DELETE FROM function_urls WHERE url_id = ?", c.urlId());
        byId.remove(c.urlId());
    }

    /** Drops every URL of a function (when the function is deleted). */
    public synchronized void deleteAll(String tenant, String name) {
        byId.values().removeIf(c -> {
            if (!c.tenant().equals(tenant) || !c.functionName().equals(name)) return false;
            db.update("DELETE FROM function_urls WHERE url_id = ?", c.urlId());
            return true;
        });
    }

    public UrlConfig require(String tenant, String name, String qualifier) {
        return of(tenant, name, qualifier).orElseThrow(() -> WispException.notFound(
                "The resource you requested does not exist. (Service: Lambda, FunctionUrlConfig for " + Arns.function(tenant, name, qualifier) + ")"));
    }

    private static String checkAuth(String authType) {
        if (!"NONE".equals(authType) && !"AWS_IAM".equals(authType)) {
            throw WispException.invalid("AuthType must be NONE or AWS_IAM");
        }
        return authType;
    }

    private static String write(UrlConfig c) { return JsonColumns.write(c); }

    private static UrlConfig read(String s) { return JsonColumns.read(s, UrlConfig.class); }
}
