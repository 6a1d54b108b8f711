package io.github.clipage.prediction;

import io.github.clipage.prediction.AccuracyReport.DecadeError;
import io.github.clipage.prediction.AccuracyReport.SkippedFile;
import java.util.Locale;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes an {@link AccuracyReport} as text for people and as JSON for scripts. */
public final class AccuracyReportFormat {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private AccuracyReportFormat() {}

    /** Renders the report as lines of text: model, prompts, counts, skipped files, errors and decades. */
    public static String text(AccuracyReport report) {
        StringBuilder text = new StringBuilder();
        text.append("Model: ").append(modelLine(report.model())).append('\n');
        text.append(String.format(Locale.ROOT, "Prompts: ages %d to %d, %d template(s)%n", report.prompts().minAge(),
                report.prompts().maxAge(), report.prompts().templates().size()));
        for (String template : report.prompts().templates()) {
            text.append("  ").append(template).append('\n');
        }

        text.append(String.format(Locale.ROOT, "Images: %d estimated, %d skipped%n", report.images(), report.skipped()));
        for (SkippedFile skipped : report.skippedFiles()) {
            text.append("  skipped ").append(skipped.file()).append(": ").append(skipped.reason().description());
            if (skipped.detail() != null) {
                text.append(" (").append(skipped.detail()).append(')');
            }
            text.append('\n');
        }

        text.append(String.format(Locale.ROOT, "Mean absolute error of age: %.2f years%n", report.ageMae()));
        text.append(String.format(Locale.ROOT, "Mean absolute error of expected age: %.2f years%n",
                report.expectedAgeMae()));
        long within = Math.round(report.withinFiveYears() * report.images());
        text.append(String.format(Locale.ROOT, "Age within %.0f years: %.1f%% (%d of %d)%n", AccuracyReport.WITHIN_YEARS,
                100 * report.withinFiveYears(), within, report.images()));

        text.append("By decade of true age:\n");
        text.append(String.format(Locale.ROOT, "  %-9s %7s %9s %18s%n", "true age", "images", "MAE age",
                "MAE expected age"));
        for (DecadeError decade : report.decades()) {
            text.append(String.format(Locale.ROOT, "  %-9s %7d %9.2f %18.2f%n", decade.from() + "-" + decade.to(),
                    decade.images(), decade.ageMae(), decade.expectedAgeMae()));
        }
        return text.toString();
    }

    /** Renders the report as an indented JSON object whose fields are the record's components. */
    public static String json(AccuracyReport report) {
        return JSON.writeValueAsString(report);
    }

    private static String modelLine(AccuracyReport.Model model) {
        if (model.demo()) {
            return model.id() + " (the demo model has random weights: its ages mean nothing)";
        }
        return model.revision() == null ? model.id() : model.id() + " at revision " + model.revision();
    }
}
