package io.github.clipage.prediction;

import ai.djl.translate.TranslateException;
import io.github.clipage.ClipAgePredictorApplication;
import io.github.clipage.image.ClipImagePreprocessor;
import io.github.clipage.image.ImageConfiguration;
import io.github.clipage.image.ImageDecoder;
import io.github.clipage.image.InvalidImageException;
import io.github.clipage.prediction.AccuracyLabels.InvalidLabelsException;
import io.github.clipage.prediction.AccuracyLabels.LabelledFolder;
import io.github.clipage.prediction.AccuracyLabels.LabelledImage;
import io.github.clipage.prediction.AccuracyReport.Sample;
import io.github.clipage.prediction.AccuracyReport.SkipReason;
import io.github.clipage.prediction.AccuracyReport.SkippedFile;
import io.github.clipage.image.DecodedImage;
import io.github.clipage.observability.ServingMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;

/**
 * The {@code evaluate} command: runs the configured model over a folder of photographs with known ages and
 * prints the mean absolute error, the share within five years and the error by decade of true age.
 *
 * <p>It reads the service's configuration sources, so {@code --age.model.id}, {@code --age.model.path},
 * {@code --age.prompts.templates[0]} and the other {@code age.*} settings choose what is measured.
 */
@Configuration(proxyBeanMethods = false)
@Profile(EvaluateCommand.PROFILE)
@ConfigurationPropertiesScan(basePackageClasses = ClipAgePredictorApplication.class)
@Import({PredictionConfiguration.class, ImageConfiguration.class})
public class EvaluateCommand {

    /** The first command-line argument that selects this command. */
    public static final String NAME = "evaluate";

    /** Exit code of a completed evaluation. */
    public static final int EXIT_OK = 0;

    /** Exit code when the model cannot be loaded or a file cannot be read or written. */
    public static final int EXIT_FAILURE = 1;

    /** Exit code of invalid arguments, an invalid labels file or a folder without a usable labelled image. */
    public static final int EXIT_USAGE = 2;

    /** Provides the estimator's meters; the command has no metrics endpoint, so they stay in memory. */
    @Bean
    public ServingMetrics servingMetrics() {
        return new ServingMetrics(new SimpleMeterRegistry());
    }

    // The service's component scan finds this class too; the profile keeps it out of the service.
    static final String PROFILE = "evaluate-command";

    static final String USAGE = """
            Usage: java -jar app.jar evaluate --folder DIR [--labels FILE.csv] [--output FILE.json] [--age.*=...]
              --folder DIR        photographs to evaluate; ages come from names such as 26_1_0_20170116171048269.jpg
              --labels FILE.csv   take the ages from a CSV file with the header file,age (paths relative to DIR)
              --output FILE.json  also write the report as JSON
              --age.model.id=ID   any service setting, such as the model (demo for the built-in test model)""";

    private static final Logger log = LoggerFactory.getLogger(EvaluateCommand.class);

    // One log line per this many images, so that a run over a large data set shows its progress.
    private static final int PROGRESS_INTERVAL = 100;

    // Images queued together; below the default queue capacity of 64, so a chunk is never rejected.
    private static final int CHUNK_SIZE = 16;

    /** Runs the command, printing the report to standard output, and returns the exit code. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    /** Runs the command with the given streams for the report and for error messages, and returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        LabelledFolder labelled;
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.println(USAGE);
                return EXIT_OK;
            }
            labelled = findLabelledImages(options);
        } catch (UsageException | InvalidLabelsException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        } catch (IOException e) {
            err.println("Failed to list the images: " + e);
            return EXIT_FAILURE;
        }
        if (labelled.images().isEmpty()) {
            err.println("No labelled image in " + options.folder() + " (" + labelled.skipped().size()
                    + " files skipped); name files like 26_1_0_20170116171048269.jpg or pass --labels FILE.csv");
            return EXIT_USAGE;
        }

        ConfigurableApplicationContext context;
        try {
            context = new SpringApplicationBuilder(EvaluateCommand.class)
                    .profiles(PROFILE)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .run(options.springArguments().toArray(String[]::new));
        } catch (RuntimeException e) {
            // Spring Boot has already logged the failure with its cause.
            return EXIT_FAILURE;
        }

        AccuracyReport report;
        try (context) {
            report = evaluate(labelled, context.getBean(ImageDecoder.class),
                    context.getBean(ClipImagePreprocessor.class), context.getBean(AgeEstimator.class));
        } catch (TranslateException | RuntimeException e) {
            log.error("The evaluation failed", e);
            return EXIT_FAILURE;
        }
        if (report == null) {
            err.println("No labelled image in " + options.folder() + " could be decoded; see the skipped files above");
            return EXIT_USAGE;
        }

        out.print(AccuracyReportFormat.text(report));
        if (options.output() != null) {
            try {
                Files.writeString(options.output(), AccuracyReportFormat.json(report), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("Failed to write the report to " + options.output() + ": " + e);
                return EXIT_FAILURE;
            }
        }
        return EXIT_OK;
    }

    private static LabelledFolder findLabelledImages(Options options) throws IOException {
        Set<Path> excluded = new HashSet<>();
        if (options.output() != null) {
            excluded.add(options.output());
        }
        if (options.labels() == null) {
            return AccuracyLabels.fromFileNames(options.folder(), excluded);
        }
        excluded.add(options.labels());
        return AccuracyLabels.fromCsv(options.folder(), options.labels(), excluded);
    }

    /**
     * Estimates every labelled image the way the service does and computes the report. Returns null when no
     * image could be estimated, after logging the skipped files.
     */
    private static AccuracyReport evaluate(LabelledFolder labelled, ImageDecoder decoder,
            ClipImagePreprocessor preprocessor, AgeEstimator estimator) throws TranslateException {
        List<Sample> samples = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>(labelled.skipped());
        int total = labelled.images().size();
        log.info("Estimating the ages in {} labelled images", total);

        // Images are queued in chunks so that the estimator can batch them, as it does for concurrent requests.
        List<LabelledImage> images = labelled.images();
        int done = 0;
        for (int start = 0; start < images.size(); start += CHUNK_SIZE) {
            List<LabelledImage> decodedImages = new ArrayList<>();
            List<float[]> pixelValues = new ArrayList<>();
            for (LabelledImage image : images.subList(start, Math.min(start + CHUNK_SIZE, images.size()))) {
                try {
                    DecodedImage decoded = decoder.decode(Files.readAllBytes(image.path()));
                    pixelValues.add(preprocessor.toPixelValues(decoded));
                    decodedImages.add(image);
                } catch (IOException e) {
                    skipped.add(new SkippedFile(image.file(), SkipReason.UNREADABLE, e.toString()));
                } catch (InvalidImageException e) {
                    skipped.add(new SkippedFile(image.file(), SkipReason.UNDECODABLE, e.getMessage()));
                }
            }

            List<AgeEstimate> estimates = estimator.estimateAll(pixelValues);
            for (int i = 0; i < estimates.size(); i++) {
                LabelledImage image = decodedImages.get(i);
                AgeEstimate estimate = estimates.get(i);
                samples.add(new Sample(image.file(), image.trueAge(), estimate.age(), estimate.expectedAge()));
            }

            int before = done;
            done = Math.min(start + CHUNK_SIZE, images.size());
            if (done / PROGRESS_INTERVAL > before / PROGRESS_INTERVAL) {
                log.info("Processed {} of {} labelled images", done, total);
            }
        }

        skipped.sort(Comparator.comparing(SkippedFile::file));
        if (samples.isEmpty()) {
            for (SkippedFile file : skipped) {
                log.warn("Skipped {}: {} ({})", file.file(), file.reason().description(), file.detail());
            }
            return null;
        }
        return AccuracyReport.of(AccuracyReport.Model.of(estimator.info()),
                AccuracyReport.Prompts.of(estimator.prompts()), samples, skipped);
    }

    /**
     * The command's own options, and the arguments left for Spring, such as {@code --age.model.id=demo}.
     *
     * @param folder the folder of photographs
     * @param labels the CSV labels file, or null to take the ages from file names
     * @param output where to write the JSON report, or null
     * @param help whether only the usage was requested
     * @param springArguments the remaining {@code --name=value} arguments, passed on to Spring Boot
     */
    record Options(Path folder, Path labels, Path output, boolean help, List<String> springArguments) {

        /** Parses {@code --folder}, {@code --labels} and {@code --output}, each as {@code --name value} or {@code --name=value}. */
        static Options parse(String[] args) {
            Path folder = null;
            Path labels = null;
            Path output = null;
            List<String> springArguments = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String argument = args[i];
                String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
                switch (name) {
                    case "--help", "-h" -> {
                        return new Options(null, null, null, true, List.of());
                    }
                    case "--folder", "--labels", "--output" -> {
                        String value;
                        if (argument.contains("=")) {
                            value = argument.substring(argument.indexOf('=') + 1);
                        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                            value = args[++i];
                        } else {
                            throw new UsageException("The option " + name + " needs a value");
                        }
                        if (value.isBlank()) {
                            throw new UsageException("The option " + name + " needs a value");
                        }
                        Path path = Path.of(value);
                        switch (name) {
                            case "--folder" -> folder = path;
                            case "--labels" -> labels = path;
                            default -> output = path;
                        }
                    }
                    default -> {
                        if (!argument.startsWith("--")) {
                            throw new UsageException("Unexpected argument \"" + argument
                                    + "\"; write service settings as --name=value");
                        }
                        springArguments.add(argument);
                    }
                }
            }
            check(folder, labels);
            return new Options(folder, labels, output, false, List.copyOf(springArguments));
        }

        private static void check(Path folder, Path labels) {
            if (folder == null) {
                throw new UsageException("Missing --folder: name the folder of photographs to evaluate");
            }
            if (!Files.isDirectory(folder)) {
                throw new UsageException("The folder " + folder + " does not exist or is not a directory");
            }
            if (labels != null && !Files.isRegularFile(labels)) {
                throw new UsageException("The labels file " + labels + " does not exist or is not a file");
            }
        }
    }

    /** Signals invalid command-line arguments, with a message that names the argument and what to pass instead. */
    static final class UsageException extends RuntimeException {

        UsageException(String message) {
            super(message);
        }
    }
}
