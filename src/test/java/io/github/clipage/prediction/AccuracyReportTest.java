package io.github.clipage.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clipage.prediction.AccuracyReport.DecadeError;
import io.github.clipage.prediction.AccuracyReport.Sample;
import io.github.clipage.prediction.AccuracyReport.SkipReason;
import io.github.clipage.prediction.AccuracyReport.SkippedFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The accuracy arithmetic on hand-computed values; every number here is exact in binary floating point. */
class AccuracyReportTest {

    private static final AccuracyReport.Model MODEL = new AccuracyReport.Model("demo", null, true);
    private static final AccuracyReport.Prompts PROMPTS =
            new AccuracyReport.Prompts(List.of(AgePrompts.REFERENCE_TEMPLATE), 1, 99);

    // Errors of age: 3, 5, 11, 0. Errors of expected age: 1.5, 6, 1, 3.25.
    private static final List<Sample> SAMPLES = List.of(
            new Sample("a.jpg", 7, 10, 8.5),
            new Sample("b.jpg", 26, 31, 20),
            new Sample("c.jpg", 29, 40, 30),
            new Sample("d.jpg", 30, 30, 33.25));

    @Test
    void meanAbsoluteErrorsMatchHandComputation() {
        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, SAMPLES, List.of());

        assertThat(report.images()).isEqualTo(4);
        assertThat(report.ageMae()).isEqualTo(19.0 / 4);
        assertThat(report.expectedAgeMae()).isEqualTo(11.75 / 4);
    }

    @Test
    void errorOfExactlyFiveYearsCountsAsWithin() {
        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, SAMPLES, List.of());

        // a (3), b (exactly 5) and d (0) are within; c (11) is not.
        assertThat(report.withinFiveYears()).isEqualTo(0.75);
    }

    @Test
    void errorJustOverFiveYearsIsNotWithin() {
        List<Sample> samples = List.of(new Sample("a.jpg", 47.5, 42, 47.5), new Sample("b.jpg", 47.5, 53, 47.5));

        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, samples, List.of());

        assertThat(report.withinFiveYears()).isZero();
        assertThat(report.ageMae()).isEqualTo(5.5);
        assertThat(report.expectedAgeMae()).isZero();
    }

    @Test
    void withinShareUsesMostProbableAgeNotExpectedAge() {
        List<Sample> samples = List.of(new Sample("a.jpg", 40, 50, 40));

        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, samples, List.of());

        assertThat(report.withinFiveYears()).isZero();
    }

    @Test
    void decadesGroupByTrueAgeYoungestFirst() {
        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, SAMPLES, List.of());

        assertThat(report.decades()).containsExactly(
                new DecadeError(0, 9, 1, 3, 1.5),
                new DecadeError(20, 29, 2, 8, 3.5),
                new DecadeError(30, 39, 1, 0, 3.25));
    }

    @Test
    void decadeBoundariesBelongToTheYoungerEnd() {
        assertThat(AccuracyReport.decadeStart(0)).isZero();
        assertThat(AccuracyReport.decadeStart(9)).isZero();
        assertThat(AccuracyReport.decadeStart(9.99)).isZero();
        assertThat(AccuracyReport.decadeStart(10)).isEqualTo(10);
        assertThat(AccuracyReport.decadeStart(19.5)).isEqualTo(10);
        assertThat(AccuracyReport.decadeStart(100)).isEqualTo(100);
    }

    @Test
    void decadesWithoutImagesAreLeftOut() {
        List<Sample> samples = List.of(new Sample("a.jpg", 5, 5, 5), new Sample("b.jpg", 85, 80, 82));

        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, samples, List.of());

        assertThat(report.decades()).extracting(DecadeError::from).containsExactly(0, 80);
    }

    @Test
    void skippedFilesAreCountedButNotScored() {
        List<SkippedFile> skipped = List.of(new SkippedFile("x.txt", SkipReason.UNLABELLED, "no age"),
                new SkippedFile("1_0_0_1.jpg", SkipReason.UNDECODABLE, "not an image"));

        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, SAMPLES, skipped);

        assertThat(report.skipped()).isEqualTo(2);
        assertThat(report.skippedFiles()).isEqualTo(skipped);
        assertThat(report.ageMae()).isEqualTo(19.0 / 4);
    }

    @Test
    void noSampleIsRejected() {
        assertThatThrownBy(() -> AccuracyReport.of(MODEL, PROMPTS, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No image was estimated");
    }

    @Test
    void negativeTrueAgeIsRejected() {
        List<Sample> samples = List.of(new Sample("a.jpg", -1, 5, 5));

        assertThatThrownBy(() -> AccuracyReport.of(MODEL, PROMPTS, samples, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a.jpg");
    }

    @Test
    void textReportShowsCountsErrorsAndDecades() {
        AccuracyReport report = AccuracyReport.of(MODEL, PROMPTS, SAMPLES,
                List.of(new SkippedFile("notes.txt", SkipReason.UNLABELLED, "no age")));

        String text = AccuracyReportFormat.text(report);

        assertThat(text).contains("Model: demo (the demo model has random weights");
        assertThat(text).contains("  this person is {age} years old\n");
        assertThat(text).contains("Images: 4 estimated, 1 skipped\n");
        assertThat(text).contains("  skipped notes.txt: unlabelled (no age)\n");
        assertThat(text).contains("Mean absolute error of age: 4.75 years\n");
        assertThat(text).contains("Mean absolute error of expected age: 2.94 years\n");
        assertThat(text).contains("Age within 5 years: 75.0% (3 of 4)\n");
        assertThat(text).contains("  20-29           2      8.00               3.50\n");
    }
}
