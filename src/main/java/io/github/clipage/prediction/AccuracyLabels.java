package io.github.clipage.prediction;

import io.github.clipage.prediction.AccuracyReport.SkipReason;
import io.github.clipage.prediction.AccuracyReport.SkippedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the labelled images of a folder, with true ages taken either from file names in the UTKFace
 * pattern {@code {age}_{gender}_{race}_{timestamp}.jpg} or from a CSV file with the columns {@code file}
 * and {@code age}.
 */
public final class AccuracyLabels {

    // UTKFace names start with the age and an underscore. The rest varies, such as ".jpg.chip.jpg" in the aligned set.
    private static final Pattern AGE_PREFIX = Pattern.compile("^(\\d{1,3})_");

    /**
     * One image with its true age.
     *
     * @param path where the file is
     * @param file the path as reported: relative to the folder, or as written in the labels file
     * @param trueAge the labelled age in years
     */
    public record LabelledImage(Path path, String file, double trueAge) {}

    /**
     * The labelled images of a folder and the files that have no label.
     *
     * @param images the images to estimate, in the order of their paths or of the labels file's rows
     * @param skipped files of the folder that have no label, and listed files that do not exist
     */
    public record LabelledFolder(List<LabelledImage> images, List<SkippedFile> skipped) {}

    /** Signals a labels file that cannot be used, with the line at fault. */
    public static final class InvalidLabelsException extends RuntimeException {

        /** Creates the exception with a message that names the file, the line and what is wrong. */
        public InvalidLabelsException(String message) {
            super(message);
        }
    }

    private AccuracyLabels() {}

    /**
     * Labels every file under {@code folder} by its name, and skips the names that do not start with an age.
     *
     * @param excluded files to leave out silently, such as the report being written into the folder
     */
    public static LabelledFolder fromFileNames(Path folder, Set<Path> excluded) throws IOException {
        List<LabelledImage> images = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        for (Path path : listFiles(folder, excluded)) {
            String file = relativeName(folder, path);
            OptionalInt age = ageFromFileName(path.getFileName().toString());
            if (age.isPresent()) {
                images.add(new LabelledImage(path, file, age.getAsInt()));
            } else {
                skipped.add(new SkippedFile(file, SkipReason.UNLABELLED,
                        "the name does not start with an age followed by _"));
            }
        }
        return new LabelledFolder(images, skipped);
    }

    /**
     * Labels the files listed in a CSV file whose header names the columns {@code file} (a path relative to
     * {@code folder}) and {@code age} (years, a non-negative number). Files of the folder that the CSV does
     * not list are skipped as unlabelled; listed files that do not exist are skipped as missing.
     *
     * @param excluded files to leave out silently, such as the labels file itself
     * @throws InvalidLabelsException if the header lacks a column, a row has no file or an invalid age, or a
     *     file is listed twice
     */
    public static LabelledFolder fromCsv(Path folder, Path labels, Set<Path> excluded) throws IOException {
        Map<Path, LabelledImage> listed = readCsv(folder, labels);

        List<LabelledImage> images = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        for (LabelledImage image : listed.values()) {
            if (Files.isRegularFile(image.path())) {
                images.add(image);
            } else {
                skipped.add(new SkippedFile(image.file(), SkipReason.MISSING, "listed in " + labels.getFileName()
                        + " but not found at " + image.path()));
            }
        }
        for (Path path : listFiles(folder, excluded)) {
            if (!listed.containsKey(normalized(path))) {
                skipped.add(new SkippedFile(relativeName(folder, path), SkipReason.UNLABELLED,
                        "not listed in " + labels.getFileName()));
            }
        }
        return new LabelledFolder(images, skipped);
    }

    /** Returns the age that starts a UTKFace-style name, such as 26 for {@code 26_1_0_20170116171048269.jpg}. */
    public static OptionalInt ageFromFileName(String name) {
        Matcher matcher = AGE_PREFIX.matcher(name);
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    private static Map<Path, LabelledImage> readCsv(Path folder, Path labels) throws IOException {
        List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
        int headerIndex = firstNonBlank(lines);
        if (headerIndex < 0) {
            throw new InvalidLabelsException(labels + " is empty; it needs a header line \"file,age\"");
        }
        List<String> header = splitCsvLine(stripByteOrderMark(lines.get(headerIndex)));
        int fileColumn = columnIndex(header, "file");
        int ageColumn = columnIndex(header, "age");
        if (fileColumn < 0 || ageColumn < 0) {
            throw new InvalidLabelsException(labels + " line " + (headerIndex + 1)
                    + ": the header must name the columns file and age, got \"" + lines.get(headerIndex) + "\"");
        }

        Map<Path, LabelledImage> listed = new LinkedHashMap<>();
        for (int i = headerIndex + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String where = labels + " line " + (i + 1);
            List<String> fields = splitCsvLine(lines.get(i));
            if (fields.size() <= Math.max(fileColumn, ageColumn)) {
                throw new InvalidLabelsException(where + ": expected " + header.size() + " columns, got " + fields.size());
            }
            String file = fields.get(fileColumn).trim();
            if (file.isEmpty()) {
                throw new InvalidLabelsException(where + ": the file column is empty");
            }
            double age = parseAge(fields.get(ageColumn).trim(), where);
            Path path = normalized(folder.resolve(file));
            if (listed.put(path, new LabelledImage(path, file, age)) != null) {
                throw new InvalidLabelsException(where + ": " + file + " is listed twice");
            }
        }
        return listed;
    }

    private static double parseAge(String text, String where) {
        double age;
        try {
            age = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new InvalidLabelsException(where + ": the age \"" + text + "\" is not a number");
        }
        if (!(Double.isFinite(age) && age >= 0)) {
            throw new InvalidLabelsException(where + ": the age must be a non-negative number, got " + text);
        }
        return age;
    }

    /** Splits one CSV line. Double quotes enclose fields that contain commas, and "" inside them is a quote. */
    static List<String> splitCsvLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static int columnIndex(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!stripByteOrderMark(lines.get(i)).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    // Spreadsheet programs often save UTF-8 CSV files with a byte order mark.
    private static String stripByteOrderMark(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static List<Path> listFiles(Path folder, Set<Path> excluded) throws IOException {
        Set<Path> leftOut = new HashSet<>();
        for (Path path : excluded) {
            leftOut.add(normalized(path));
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> !leftOut.contains(normalized(path)))
                    .sorted(Comparator.comparing(path -> relativeName(folder, path)))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String relativeName(Path folder, Path path) {
        return folder.relativize(path).toString().replace('\\', '/');
    }

    private static Path normalized(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
