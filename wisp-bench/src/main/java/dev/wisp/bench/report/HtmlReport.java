package dev.wisp.bench.report;

import dev.wisp.bench.run.DetectorScore;
import dev.wisp.bench.run.ScenarioOutcome;
import dev.wisp.bench.run.Scorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code report.html}: the suite's scores per detector with an F1 chart, then each scenario with
 * its plots, the fate of every injection and every incident Wisp raised with its explanation.
 * One self-contained page beside its {@code plots/} folder.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static void write(List<ScenarioOutcome> outcomes, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir.resolve("plots"));
        List<String> names = outcomes.stream().map(ScenarioOutcome::name).toList();
        double[][] f1 = new double[ScenarioOutcome.DETECTORS.size()][outcomes.size()];
        DetectorScore[] totals = new DetectorScore[ScenarioOutcome.DETECTORS.size()];
        java.util.Arrays.fill(totals, DetectorScore.EMPTY);
        for (int s = 0; s < outcomes.size(); s++) {
            for (int d = 0; d < totals.length; d++) {
                DetectorScore sc = outcomes.get(s).verdicts().get(ScenarioOutcome.DETECTORS.get(d)).score();
                f1[d][s] = sc.f1();
                totals[d] = totals[d].plus(sc);
            }
        }
        if (!outcomes.isEmpty()) Charts.f1Bars(names, ScenarioOutcome.DETECTORS, f1, dir.resolve("plots/f1.png"));

        StringBuilder h = new StringBuilder(16_384);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Wisp bench report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}img{max-width:100%;display:block;margin:.4em 0}")
                .append(".ok{color:#1a7f37}.bad{color:#c62828}.legend span{padding:0 .6em;margin-right:.5em}")
                .append("</style></head><body><h1>Wisp bench report</h1>");
        h.append("<p class=\"legend\">Plots: <span style=\"background:#ffd9a8\">injected threat</span>")
                .append("<span style=\"background:#f6c3cd\">incident raised by Wisp</span></p>");
        h.append("<h2>Summary (").append(outcomes.size()).append(" scenarios)</h2>");
        scoreTable(h, totals);
        if (!outcomes.isEmpty()) h.append("<img src=\"plots/f1.png\" alt=\"F1 per scenario\">");
        for (ScenarioOutcome o : outcomes) scenario(h, o);
        h.append("</body></html>\n");
        Files.writeString(file, h);
    }

    private static void scoreTable(StringBuilder h, DetectorScore[] scores) {
        h.append("<table><tr><th>detector</th><th>precision</th><th>recall</th><th>F1</th><th>type accuracy</th>")
                .append("<th>mean delay (s)</th><th>false alarms / h</th><th>incidents</th></tr>");
        for (int d = 0; d < scores.length; d++) {
            DetectorScore s = scores[d];
            h.append("<tr><td>").append(ScenarioOutcome.DETECTORS.get(d)).append("</td>")
                    .append(td(s.precision())).append(td(s.recall())).append(td(s.f1())).append(td(s.typeAccuracy()))
                    .append("<td>").append(s.meanDelaySeconds() == null ? "–" : String.format("%.1f", s.meanDelaySeconds()))
                    .append("</td>").append(td(s.falseAlarmsPerHour())).append("<td>").append(s.incidents())
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    private static String td(double v) { return String.format("<td>%.3f</td>", v); }

    private static void scenario(StringBuilder h, ScenarioOutcome o) {
        h.append("<h2 id=\"").append(esc(o.name())).append("\">").append(esc(o.name())).append("</h2>");
        if (o.description() != null) h.append("<p>").append(esc(o.description())).append("</p>");
        h.append(String.format("<p>%s mode, seed %d: %,d invocations scored (%,d with history), simulated in %.1f s.</p>",
                o.mode(), o.seed(), o.invocations(), o.totalInvocations(), o.wallSeconds()));
        DetectorScore[] scores = ScenarioOutcome.DETECTORS.stream().map(d -> o.verdicts().get(d).score())
                .toArray(DetectorScore[]::new);
        scoreTable(h, scores);
        Scorer.Verdict wisp = o.verdicts().get("wisp");
        if (!wisp.injections().isEmpty()) {
            h.append("<table><tr><th>injection</th><th>label</th><th>detected</th><th>delay (s)</th><th>reported as</th></tr>");
            for (Scorer.InjectionOutcome i : wisp.injections()) {
                h.append("<tr><td>").append(esc(i.id())).append("</td><td>").append(esc(i.label())).append("</td><td class=\"")
                        .append(i.detected() ? "ok\">yes" : "bad\">no").append("</td><td>")
                        .append(i.delaySeconds() == null ? "–" : String.format("%.1f", i.delaySeconds())).append("</td><td>")
                        .append(i.incidentType() == null ? "–" : esc(i.incidentType())).append("</td></tr>");
            }
            h.append("</table>");
        }
        wisp.benignAlerted().forEach((id, alerted) -> h.append("<p>benign event <b>").append(esc(id)).append("</b>: ")
                .append(alerted ? "<span class=\"bad\">alerted</span>" : "<span class=\"ok\">no alert</span>").append("</p>"));
        for (String png : o.plots().values()) h.append("<img src=\"").append(esc(png)).append("\" alt=\"").append(esc(png)).append("\">");
        if (wisp.alerts().isEmpty()) {
            h.append("<p>Wisp raised no incident.</p>");
        } else {
            h.append("<table><tr><th>incident</th><th>type</th><th>function</th><th>opened (s)</th><th>matched</th><th style=\"text-align:left\">explanation</th></tr>");
            for (Scorer.ScoredAlert a : wisp.alerts()) {
                h.append("<tr><td>").append(esc(a.alert().id())).append("</td><td>").append(esc(a.alert().type()))
                        .append("</td><td>").append(a.alert().function() == null ? "(platform)" : esc(a.alert().function()))
                        .append("</td><td>").append(String.format("%.1f", (a.alert().openedAt() - o.scoredStart()) / 1000.0))
                        .append("</td><td class=\"").append(a.matched() == null ? "bad\">false alarm" : "ok\">" + esc(a.matched()))
                        .append("</td><td style=\"text-align:left\">").append(esc(a.alert().explanation())).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<p><small>scored part starts ").append(Instant.ofEpochMilli(o.scoredStart())).append("</small></p>");
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
