package io.github.clipage.prediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Accuracy of age estimates over a labelled set of images: mean absolute errors, the share within
 * five years and the errors by decade of true age.
 *
 * <p>{@link #of} contains all the arithmetic and touches neither files nor the model, so the metrics are
 * tested on hand-computed values.
 *
 * @param model the model the estimates came from
 * @param prompts the prompts the text matrix was built from
 * @param images the number of images estimated
 * @param skipped the number of files left out
 * @param ageMae mean of |age - true age| in years, where age is the most probable age (the reference's answer)
 * @param expectedAgeMae mean of |expected age - true age| in years
 * @param withinFiveYears share of images, from 0 to 1, whose most probable age is at most 5 years from the true age
 * @param decades the errors for each decade of true age that has images, youngest first
 * @param skippedFiles each file left out, with the reason
 */
public record AccuracyReport(Model model, Prompts prompts, int images, int skipped, double ageMae,
        double expectedAgeMae, double withinFiveYears, List<DecadeError> decades, List<SkippedFile> skippedFiles) {

    /** The largest error, in years, that still counts as within five years. */
    public static final double WITHIN_YEARS = 5;

    /**
     * The model behind a report.
     *
     * @param id the model id, or the folder name of a local checkpoint
     * @param revision the revision, or null for a local checkpoint or the demo model
     * @param demo whether this is the demo model, whose ages mean nothing
     */
    public record Model(String id, String revision, boolean demo) {

        /** Copies the parts of a running model's description that identify it. */
        public static Model of(ModelInfo info) {
            return new Model(info.id(), info.revision(), info.demo());
        }
    }

    /**
     * The prompts behind a report.
     *
     * @param templates the sentences with {@code {age}} where the number goes
     * @param minAge the youngest age the model can estimate
     * @param maxAge the oldest age the model can estimate
     */
    public record Prompts(List<String> templates, int minAge, int maxAge) {

        /** Copies the prompts the estimator runs with. */
        public static Prompts of(AgePrompts prompts) {
            return new Prompts(prompts.templates(), prompts.minAge(), prompts.maxAge());
        }
    }

    /**
     * One estimated image.
     *
     * @param file the file's path relative to the evaluated folder
     * @param trueAge the labelled age in years
     * @param age the most probable age
     * @param expectedAge the probability-weighted mean age
     */
    public record Sample(String file, double trueAge, int age, double expectedAge) {}

    /**
     * A file that was not estimated.
     *
     * @param file the file's path relative to the evaluated folder
     * @param reason why it was left out
     * @param detail what exactly was wrong, such as the decoder's message, or null
     */
    public record SkippedFile(String file, SkipReason reason, String detail) {}

    /** Reason a file was left out of the evaluation. */
    public enum SkipReason {
        /** The file name does not start with an age, or the labels file does not list it. */
        UNLABELLED("unlabelled"),
        /** The labels file lists a file that does not exist. */
        MISSING("missing file"),
        /** The file exists but could not be read. */
        UNREADABLE("unreadable file"),
        /** The bytes are not an image the service accepts. */
        UNDECODABLE("undecodable image");

        private final String description;

        SkipReason(String description) {
            this.description = description;
        }

        /** Returns the reason in words, as printed in the report. */
        public String description() {
            return description;
        }
    }

    /**
     * The errors for the images whose true age falls in one decade.
     *
     * @param from the first age of the decade, such as 20
     * @param to the last whole age of the decade, such as 29
     * @param images the number of images in the decade
     * @param ageMae mean of |age - true age| within the decade
     * @param expectedAgeMae mean of |expected age - true age| within the decade
     */
    public record DecadeError(int from, int to, int images, double ageMae, double expectedAgeMae) {}

    /** Copies the lists, so that a report does not change after it is made. */
    public AccuracyReport {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(prompts, "prompts");
        decades = List.copyOf(decades);
        skippedFiles = List.copyOf(skippedFiles);
    }

    /**
     * Computes the report from the estimated images and the skipped files.
     *
     * @throws IllegalArgumentException if there is no sample, since every metric would be undefined, or a true
     *     age is negative or not finite
     */
    public static AccuracyReport of(Model model, Prompts prompts, List<Sample> samples, List<SkippedFile> skipped) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("No image was estimated, so no accuracy can be computed");
        }
        for (Sample sample : samples) {
            if (!(Double.isFinite(sample.trueAge()) && sample.trueAge() >= 0)) {
                throw new IllegalArgumentException(
                        "True age of " + sample.file() + " must be a non-negative number, got " + sample.trueAge());
            }
        }

        int within = 0;
        for (Sample sample : samples) {
            if (ageError(sample) <= WITHIN_YEARS) {
                within++;
            }
        }
        return new AccuracyReport(model, prompts, samples.size(), skipped.size(), meanAgeError(samples),
                meanExpectedAgeError(samples), (double) within / samples.size(), decades(samples), skipped);
    }

    /** Returns the first age of the decade that contains {@code trueAge}, such as 10 for 10 up to 19.99. */
    static int decadeStart(double trueAge) {
        return (int) Math.floor(trueAge / 10) * 10;
    }

    private static List<DecadeError> decades(List<Sample> samples) {
        Map<Integer, List<Sample>> byDecade = new TreeMap<>();
        for (Sample sample : samples) {
            byDecade.computeIfAbsent(decadeStart(sample.trueAge()), start -> new ArrayList<>()).add(sample);
        }
        List<DecadeError> decades = new ArrayList<>(byDecade.size());
        for (Map.Entry<Integer, List<Sample>> decade : byDecade.entrySet()) {
            List<Sample> members = decade.getValue();
            int from = decade.getKey();
            decades.add(new DecadeError(from, from + 9, members.size(), meanAgeError(members),
                    meanExpectedAgeError(members)));
        }
        return decades;
    }

    private static double meanAgeError(List<Sample> samples) {
        double sum = 0;
        for (Sample sample : samples) {
            sum += ageError(sample);
        }
        return sum / samples.size();
    }

    private static double meanExpectedAgeError(List<Sample> samples) {
        double sum = 0;
        for (Sample sample : samples) {
            sum += Math.abs(sample.expectedAge() - sample.trueAge());
        }
        return sum / samples.size();
    }

    private static double ageError(Sample sample) {
        return Math.abs(sample.age() - sample.trueAge());
    }
}
