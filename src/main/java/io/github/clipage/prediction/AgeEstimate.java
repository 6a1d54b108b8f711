package io.github.clipage.prediction;

/**
 * The model's answer for one image.
 *
 * @param age the age whose prompt is most probable, as the reference predictor answers
 * @param probability the probability of that age
 * @param ages the ages, in the order of {@code probabilities}
 * @param probabilities one probability per age, summing to 1
 */
public record AgeEstimate(int age, double probability, int[] ages, float[] probabilities) {

    /** Picks the most probable age; on a tie, the first, as {@code argmax} does. */
    public static AgeEstimate fromProbabilities(int[] ages, float[] probabilities) {
        if (ages.length != probabilities.length || ages.length == 0) {
            throw new IllegalArgumentException(
                    ages.length + " ages do not match " + probabilities.length + " probabilities");
        }
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return new AgeEstimate(ages[best], probabilities[best], ages, probabilities);
    }
}
