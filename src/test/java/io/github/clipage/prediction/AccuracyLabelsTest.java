package io.github.clipage.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.clipage.prediction.AccuracyLabels.InvalidLabelsException;
import io.github.clipage.prediction.AccuracyLabels.LabelledFolder;
import io.github.clipage.prediction.AccuracyLabels.LabelledImage;
import io.github.clipage.prediction.AccuracyReport.SkipReason;
import io.github.clipage.prediction.AccuracyReport.SkippedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels from UTKFace-style file names and from CSV files. */
class AccuracyLabelsTest {

    private static final Path UTKFACE = Path.of("src/test/resources/labelled/utkface");
    private static final Path CSV_FOLDER = Path.of("src/test/resources/labelled/csv");

    @TempDir
    Path temp;

    @Test
    void ageIsReadFromUtkFaceNames() {
        assertThat(AccuracyLabels.ageFromFileName("26_1_0_20170116171048269.jpg")).hasValue(26);
        assertThat(AccuracyLabels.ageFromFileName("26_1_0_20170116171048269.jpg.chip.jpg")).hasValue(26);
        assertThat(AccuracyLabels.ageFromFileName("1_0_0_20161219140623097.jpg")).hasValue(1);
        assertThat(AccuracyLabels.ageFromFileName("116_1_0_20170120134921760.jpg")).hasValue(116);
        assertThat(AccuracyLabels.ageFromFileName("7_.png")).hasValue(7);
    }

    @Test
    void namesWithoutLeadingAgeHaveNoLabel() {
        assertThat(AccuracyLabels.ageFromFileName("astronaut.jpg")).isEqualTo(OptionalInt.empty());
        assertThat(AccuracyLabels.ageFromFileName("26.jpg")).isEqualTo(OptionalInt.empty());
        assertThat(AccuracyLabels.ageFromFileName("x26_1_0_1.jpg")).isEqualTo(OptionalInt.empty());
        assertThat(AccuracyLabels.ageFromFileName("1000_1_0_1.jpg")).isEqualTo(OptionalInt.empty());
        assertThat(AccuracyLabels.ageFromFileName("_1_0_1.jpg")).isEqualTo(OptionalInt.empty());
    }

    @Test
    void fixtureFolderIsLabelledByNames() throws Exception {
        LabelledFolder labelled = AccuracyLabels.fromFileNames(UTKFACE, Set.of());

        assertThat(labelled.images()).extracting(LabelledImage::file).containsExactly(
                "26_1_0_20170116171048269.jpg",
                "29_1_1_20170117192341235.jpg",
                "34_0_1_20170113134010912.jpg",
                "45_1_2_20170104000000000.jpg",
                "58_1_3_20170119180437581.jpg.chip.jpg",
                "7_0_0_20170110215648859.jpg.chip.jpg",
                "81_0_0_20170111210000001.png");
        assertThat(labelled.images()).extracting(LabelledImage::trueAge).containsExactly(26.0, 29.0, 34.0, 45.0, 58.0,
                7.0, 81.0);
        assertThat(labelled.skipped()).containsExactly(new SkippedFile("astronaut.jpg", SkipReason.UNLABELLED,
                "the name does not start with an age followed by _"));
    }

    @Test
    void excludedFilesAreNeitherLabelledNorSkipped() throws Exception {
        LabelledFolder labelled = AccuracyLabels.fromFileNames(UTKFACE,
                Set.of(UTKFACE.resolve("astronaut.jpg"), UTKFACE.resolve("26_1_0_20170116171048269.jpg")));

        assertThat(labelled.images()).hasSize(6);
        assertThat(labelled.skipped()).isEmpty();
    }

    @Test
    void csvSkipsMissingAndUnlistedFiles() throws Exception {
        Path labels = CSV_FOLDER.resolve("ages.csv");

        LabelledFolder labelled = AccuracyLabels.fromCsv(CSV_FOLDER, labels, Set.of(labels));

        assertThat(labelled.images()).extracting(LabelledImage::file)
                .containsExactly("anna.jpg", "ben.png", "nested/carla.jpg", "broken.jpg");
        assertThat(labelled.images()).extracting(LabelledImage::trueAge).containsExactly(12.0, 47.5, 63.0, 20.0);
        assertThat(labelled.skipped()).extracting(SkippedFile::file, SkippedFile::reason).containsExactly(
                tuple("gone.jpg", SkipReason.MISSING),
                tuple("extra.jpg", SkipReason.UNLABELLED));
    }

    @Test
    void csvColumnsInAnyOrder() throws Exception {
        Files.writeString(temp.resolve("a.jpg"), "x");
        Path labels = temp.resolve("labels.csv");
        Files.writeString(labels, "\uFEFFAge, gender ,File\n31,f,a.jpg\n\n");

        LabelledFolder labelled = AccuracyLabels.fromCsv(temp, labels, Set.of(labels));

        assertThat(labelled.images()).containsExactly(new LabelledImage(temp.resolve("a.jpg").toAbsolutePath(),
                "a.jpg", 31));
        assertThat(labelled.skipped()).isEmpty();
    }

    @Test
    void csvHeaderWithoutAgeColumnIsInvalid() throws Exception {
        Path labels = writeLabels("file,years\na.jpg,3\n");

        assertThatThrownBy(() -> AccuracyLabels.fromCsv(temp, labels, Set.of()))
                .isInstanceOf(InvalidLabelsException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("file and age");
    }

    @Test
    void csvAgeThatIsNotNumberIsInvalid() throws Exception {
        Path labels = writeLabels("file,age\na.jpg,3\nb.jpg,thirty\n");

        assertThatThrownBy(() -> AccuracyLabels.fromCsv(temp, labels, Set.of()))
                .isInstanceOf(InvalidLabelsException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("\"thirty\" is not a number");
    }

    @Test
    void csvNegativeAgeIsInvalid() throws Exception {
        Path labels = writeLabels("file,age\na.jpg,-2\n");

        assertThatThrownBy(() -> AccuracyLabels.fromCsv(temp, labels, Set.of()))
                .isInstanceOf(InvalidLabelsException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("non-negative");
    }

    @Test
    void csvFileListedTwiceIsInvalid() throws Exception {
        Path labels = writeLabels("file,age\na.jpg,3\n./a.jpg,4\n");

        assertThatThrownBy(() -> AccuracyLabels.fromCsv(temp, labels, Set.of()))
                .isInstanceOf(InvalidLabelsException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("listed twice");
    }

    @Test
    void emptyCsvIsInvalid() throws Exception {
        Path labels = writeLabels("\n\n");

        assertThatThrownBy(() -> AccuracyLabels.fromCsv(temp, labels, Set.of()))
                .isInstanceOf(InvalidLabelsException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void quotedCsvFieldsKeepCommasAndQuotes() {
        assertThat(AccuracyLabels.splitCsvLine("\"a, b.jpg\",3")).containsExactly("a, b.jpg", "3");
        assertThat(AccuracyLabels.splitCsvLine("\"say \"\"hi\"\".jpg\",4")).containsExactly("say \"hi\".jpg", "4");
        assertThat(AccuracyLabels.splitCsvLine("a.jpg,,")).containsExactly("a.jpg", "", "");
    }

    private Path writeLabels(String content) throws Exception {
        Path labels = temp.resolve("labels.csv");
        Files.writeString(labels, content);
        return labels;
    }
}
