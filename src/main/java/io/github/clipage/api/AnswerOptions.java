package io.github.clipage.api;

/**
 * What a response contains beyond the most probable age.
 *
 * @param top how many of the most probable ages to list
 * @param level the share of probability the interval contains
 * @param distribution whether to list every age's probability
 */
record AnswerOptions(int top, double level, boolean distribution) {

    /** Default number of listed ages. */
    static final int DEFAULT_TOP = 5;

    /** Default interval level. */
    static final double DEFAULT_LEVEL = 0.8;

    /** Checks the request parameters against the number of ages the model estimates. */
    static AnswerOptions of(Integer top, Double level, Boolean distribution, int ageCount) {
        int topValue = top == null ? DEFAULT_TOP : top;
        double levelValue = level == null ? DEFAULT_LEVEL : level;
        if (topValue < 1 || topValue > ageCount) {
            throw new InvalidRequestException("Parameter top is " + topValue + "; use 1 to " + ageCount);
        }
        if (!(levelValue >= 0.01 && levelValue <= 0.99)) {
            throw new InvalidRequestException("Parameter level is " + levelValue + "; use 0.01 to 0.99, such as 0.8");
        }
        return new AnswerOptions(topValue, levelValue, distribution != null && distribution);
    }
}
