package dev.wisp.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./wisp}. */
@Command(name = "wisp", mixinStandardHelpOptions = true, version = "wisp 0.1.0",
        description = "Self-hosted, Lambda-compatible functions that watch themselves.",
        subcommands = {ServeCommand.class, KeysCommand.class, FnCommand.class, TelemetryCommand.class, BudgetCommand.class,
                BenchCommand.class, IncidentsCommand.class, DetectCommand.class, DemoCommand.class})
public final class WispCli implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new WispCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("wisp: " + Errors.describe(e));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() { spec.commandLine().usage(System.out); }
}
