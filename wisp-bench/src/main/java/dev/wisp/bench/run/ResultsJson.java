package dev.wisp.bench.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Writes {@code results.json} in exactly the shape SCHEMA.md (Results) specifies, plus run facts. */
public final class ResultsJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {}

    public static void write(List<ScenarioOutcome> outcomes, Path file) throws IOException {
        JSON.writeValue(file.toFile(), toJson(outcomes));
    }

    public static ObjectNode toJson(List<ScenarioOutcome> outcomes) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("scenarios");
        DetectorScore[] totals = {DetectorScore.EMPTY, DetectorScore.EMPTY, DetectorScore.EMPTY};
        for (ScenarioOutcome o : outcomes) {
            list.add(scenario(o));
            for (int d = 0; d < totals.length; d++) {
                totals[d] = totals[d].plus(o.verdicts().get(ScenarioOutcome.DETECTORS.get(d)).score());
            }
        }
        ObjectNode summary = root.putObject("summary");
        for (int d = 0; d < totals.length; d++) summary.set(ScenarioOutcome.DETECTORS.get(d), score(totals[d]));
        return root;
    }

    private static ObjectNode scenario(ScenarioOutcome o) {
        Scorer.Verdict wisp = o.verdicts().get("wisp");
        ObjectNode n = JSON.createObjectNode();
        n.put("name", o.name());
        n.put("mode", o.mode());
        n.put("seed", o.seed());
        n.put("invocations", o.invocations());
        ArrayNode inj = n.putArray("injections");
        for (Scorer.InjectionOutcome i : wisp.injections()) {
            ObjectNode x = inj.addObject();
            x.put("id", i.id());
            x.put("label", i.label());
            x.put("detected", i.detected());
            x.put("delaySeconds", i.delaySeconds());
            x.put("incidentType", i.incidentType());
            x.put("incidentId", i.incidentId());
        }
        ArrayNode benign = n.putArray("benign");
        wisp.benignAlerted().forEach((id, alerted) -> benign.addObject().put("id", id).put("alerted", alerted));
        ArrayNode incidents = n.putArray("incidents");
        for (Scorer.ScoredAlert a : wisp.alerts()) {
            ObjectNode x = incidents.addObject();
            x.put("id", a.alert().id());
            x.put("type", a.alert().type());
            x.put("function", a.alert().function());
            x.put("openedAt", Instant.ofEpochMilli(a.alert().openedAt()).toString());
            x.put("closedAt", a.alert().closedAt() == 0 ? null : Instant.ofEpochMilli(a.alert().closedAt()).toString());
            x.put("matched", a.matched());
            x.put("explanation", a.alert().explanation());
        }
        n.put("falseAlarms", wisp.score().falseAlarms());
        n.put("benignHours", round(wisp.score().benignHours()));
        ObjectNode detectors = n.putObject("detectors");
        for (String d : ScenarioOutcome.DETECTORS) detectors.set(d, score(o.verdicts().get(d).score()));
        // beyond the schema: how big and how fast the run was
        n.put("totalInvocations", o.totalInvocations());
        n.put("wallSeconds", round(o.wallSeconds()));
        return n;
    }

    static ObjectNode score(DetectorScore s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("precision", round(s.precision()));
        n.put("recall", round(s.recall()));
        n.put("f1", round(s.f1()));
        n.put("typeAccuracy", round(s.typeAccuracy()));
        n.put("meanDelaySeconds", s.meanDelaySeconds() == null ? null : round(s.meanDelaySeconds()));
        n.put("falseAlarmsPerHour", round(s.falseAlarmsPerHour()));
        n.put("incidents", s.incidents());
        n.put("falseAlarms", s.falseAlarms());
        return n;
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
