package dev.wisp.cli;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code wisp budget}: a tenant's spending limit; crossing it raises a BudgetCrossed platform event. */
@Command(name = "budget", description = "Set, show or remove a tenant's budget.",
        subcommands = {BudgetCommand.Set.class, BudgetCommand.Get.class, BudgetCommand.Rm.class})
final class BudgetCommand {
    static String path(String tenant) { return "/wisp/budgets/" + SignedHttp.encode(tenant); }

    @Command(name = "set", description = "Set a tenant's budget (a tenant key may set its own).")
    static final class Set implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--amount-usd", required = true) double amount;
        @Option(names = "--period", defaultValue = "MONTH", description = "DAY or MONTH (UTC calendar). Default: ${DEFAULT-VALUE}") String period;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws Exception {
            String body = "{\"AmountUsd\":" + amount + ",\"Period\":\"" + period.toUpperCase(Locale.ROOT).replace("\"", "") + "\"}";
            SignedHttp.Reply r = SignedHttp.call(endpoint, "PUT", path(tenant), body.getBytes(StandardCharsets.UTF_8));
            if (!r.ok()) return r.fail();
            System.out.println(r.text());
            return 0;
        }
    }

    @Command(name = "get", description = "Show a tenant's budget and its spend in the current period.")
    static final class Get implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws Exception {
            SignedHttp.Reply r = SignedHttp.call(endpoint, "GET", path(tenant), null);
            if (!r.ok()) return r.fail();
            System.out.println(r.text());
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove a tenant's budget.")
    static final class Rm implements Callable<Integer> {
        @Option(names = "--tenant", required = true) String tenant;
        @Mixin Endpoint endpoint;

        @Override
        public Integer call() throws Exception {
            SignedHttp.Reply r = SignedHttp.call(endpoint, "DELETE", path(tenant), null);
            return r.ok() ? 0 : r.fail();
        }
    }
}
