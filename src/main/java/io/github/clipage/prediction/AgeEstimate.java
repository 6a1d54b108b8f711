package io.github.clipage.prediction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The model's estimate for one image: a probability for every age.
 *
 * @param age the age whose prompt is most probable, as the reference predictor returns it
 * @param probability the probability of that age
 * @param ages the ages, in increasing order, matching {@code probabilities}
 * @param probabilities one probability per age, summing to 1
 */
public record AgeEstimate(int age, double probability, int[] ages, float[] probabilities) {

    /**
     * One age and its probability.
     *
     * @param age the age in years
     * @param probability its probability
     */
    public record AgeProbability(int age, double probability) {}

    /**
     * An interval of ages that contains a given share of the probability.
     *
     * @param level the share of probability the interval is built for, such as 0.8
     * @param low the first age in the interval
     * @param high the last age in the interval
     */
    public record Interval(double level, int low, int high) {}

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

    /** Returns the probability-weighted mean age. */
    public double expectedAge() {
        double sum = 0;
        double total = 0;
        for (int i = 0; i < ages.length; i++) {
            sum += ages[i] * (double) probabilities[i];
            total += probabilities[i];
        }
        return sum / total;
    }

    /**
     * Returns the central interval that contains {@code level} of the probability: from the first
     * age where the cumulative probability reaches {@code (1 - level) / 2} to the first where it
     * reaches {@code (1 + level) / 2}.
     */
    public Interval interval(double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("Interval level must be between 0 and 1, not " + level);
        }
        double total = 0;
        for (float probability : probabilities) {
            total += probability;
        }
        double lowTarget = total * (1 - level) / 2;
        double highTarget = total * (1 + level) / 2;

        int low = ages[ages.length - 1];
        int high = ages[ages.length - 1];
        boolean lowFound = false;
        double cumulative = 0;
        for (int i = 0; i < ages.length; i++) {
            cumulative += probabilities[i];
            if (!lowFound && cumulative >= lowTarget) {
                low = ages[i];
                lowFound = true;
            }
            if (cumulative >= highTarget) {
                high = ages[i];
                break;
            }
        }
        return new Interval(level, low, high);
    }

    /** Returns the {@code k} most probable ages, most probable first; ties go to the younger age. */
    public List<AgeProbability> top(int k) {
        List<AgeProbability> all = distribution();
        all.sort(Comparator.comparingDouble(AgeProbability::probability).reversed()
                .thenComparingInt(AgeProbability::age));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** Returns every age with its probability, in increasing order of age. */
    public List<AgeProbability> distribution() {
        List<AgeProbability> all = new ArrayList<>(ages.length);
        for (int i = 0; i < ages.length; i++) {
            all.add(new AgeProbability(ages[i], probabilities[i]));
        }
        return all;
    }
}
