package io.github.clipage.prediction;

import java.util.ArrayList;
import java.util.List;

/**
 * The sentences the image is compared with: for every age in the range, one sentence per
 * template, with the number in the template's {@code {age}} slot.
 *
 * @param templates one or more sentences with {@code {age}} where the number goes
 * @param minAge the first age
 * @param maxAge the last age
 */
public record AgePrompts(List<String> templates, int minAge, int maxAge) {

    /** The reference predictor's template. */
    public static final String REFERENCE_TEMPLATE = "this person is {age} years old";

    /** The reference predictor's prompts: one template, ages 1 to 99. */
    public static final AgePrompts REFERENCE = new AgePrompts(List.of(REFERENCE_TEMPLATE), 1, 99);

    /** Checks the templates and the range. */
    public AgePrompts {
        templates = List.copyOf(templates);
        if (templates.isEmpty()) {
            throw new IllegalArgumentException("At least one prompt template is needed");
        }
        for (String template : templates) {
            if (!template.contains("{age}")) {
                throw new IllegalArgumentException("Prompt template \"" + template + "\" has no {age} slot");
            }
        }
        if (minAge < 0 || maxAge < minAge) {
            throw new IllegalArgumentException("Invalid age range " + minAge + " to " + maxAge);
        }
    }

    /** Returns the ages in order. */
    public int[] ages() {
        int[] ages = new int[maxAge - minAge + 1];
        for (int i = 0; i < ages.length; i++) {
            ages[i] = minAge + i;
        }
        return ages;
    }

    /** Returns one sentence per age from one template, in the order of {@link #ages()}. */
    public List<String> sentences(String template) {
        List<String> sentences = new ArrayList<>();
        for (int age : ages()) {
            sentences.add(template.replace("{age}", Integer.toString(age)));
        }
        return sentences;
    }

    /** Returns one sentence per age from the first template, in the order of {@link #ages()}. */
    public List<String> sentences() {
        return sentences(templates.get(0));
    }
}
