package io.github.clipage.prediction;

import java.util.ArrayList;
import java.util.List;

/**
 * The sentences the image is compared with: one per age, from a template with an {@code {age}} slot.
 *
 * @param template the sentence with {@code {age}} where the number goes
 * @param minAge the first age
 * @param maxAge the last age
 */
public record AgePrompts(String template, int minAge, int maxAge) {

    /** The reference predictor's template. */
    public static final String REFERENCE_TEMPLATE = "this person is {age} years old";

    /** The reference predictor's prompts: ages 1 to 99. */
    public static final AgePrompts REFERENCE = new AgePrompts(REFERENCE_TEMPLATE, 1, 99);

    /** Checks the template and the range. */
    public AgePrompts {
        if (!template.contains("{age}")) {
            throw new IllegalArgumentException("Prompt template \"" + template + "\" has no {age} slot");
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

    /** Returns one sentence per age, in the order of {@link #ages()}. */
    public List<String> sentences() {
        List<String> sentences = new ArrayList<>();
        for (int age : ages()) {
            sentences.add(template.replace("{age}", Integer.toString(age)));
        }
        return sentences;
    }
}
