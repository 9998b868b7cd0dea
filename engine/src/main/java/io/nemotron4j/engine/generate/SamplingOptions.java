package io.nemotron4j.engine.generate;

/**
 * How the next token is chosen from the logits. Temperature 0 is greedy (the other knobs but the penalties are
 * then moot); a value of 0 for topK, 1 for topP and 0 for minP switches that filter off.
 *
 * @param temperature softmax temperature; 0 for greedy
 * @param topK keep only the k most likely tokens; 0 keeps all
 * @param topP keep the smallest set of tokens whose probabilities reach p; 1 keeps all
 * @param minP drop tokens less likely than minP times the most likely one; 0 keeps all
 * @param repetitionPenalty divide positive (multiply negative) logits of recent tokens by this; 1 is off
 * @param presencePenalty subtract this from the logit of every recent token; 0 is off
 * @param frequencyPenalty subtract this times the token's recent count; 0 is off
 * @param penaltyWindow how many of the latest tokens (prompt included) the penalties look at
 * @param seed random seed: the same seed, model and input give the same output
 */
public record SamplingOptions(
        float temperature,
        int topK,
        float topP,
        float minP,
        float repetitionPenalty,
        float presencePenalty,
        float frequencyPenalty,
        int penaltyWindow,
        long seed) {

    public SamplingOptions {
        check(temperature >= 0 && Float.isFinite(temperature), "temperature must be 0 or more, got " + temperature);
        check(topK >= 0, "topK must be 0 (off) or more, got " + topK);
        check(topP > 0 && topP <= 1, "topP must be in (0, 1], got " + topP);
        check(minP >= 0 && minP < 1, "minP must be in [0, 1), got " + minP);
        check(repetitionPenalty > 0 && Float.isFinite(repetitionPenalty),
                "repetitionPenalty must be positive, got " + repetitionPenalty);
        check(Float.isFinite(presencePenalty), "presencePenalty must be finite");
        check(Float.isFinite(frequencyPenalty), "frequencyPenalty must be finite");
        check(penaltyWindow >= 0, "penaltyWindow must be 0 or more, got " + penaltyWindow);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Always the most likely token. */
    public static SamplingOptions greedy() {
        return new SamplingOptions(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, 0L);
    }

    /** NVIDIA's recommendation for reasoning on: temperature 0.6, top-p 0.95. */
    public static SamplingOptions reasoningDefaults(long seed) {
        return new SamplingOptions(0.6f, 0, 0.95f, 0f, 1f, 0f, 0f, 64, seed);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    public SamplingOptions withTemperature(float t) {
        return new SamplingOptions(t, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyWindow, seed);
    }

    public SamplingOptions withTopK(int k) {
        return new SamplingOptions(temperature, k, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyWindow, seed);
    }

    public SamplingOptions withTopP(float p) {
        return new SamplingOptions(temperature, topK, p, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyWindow, seed);
    }

    public SamplingOptions withMinP(float p) {
        return new SamplingOptions(temperature, topK, topP, p, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyWindow, seed);
    }

    public SamplingOptions withPenalties(float repetition, float presence, float frequency) {
        return new SamplingOptions(temperature, topK, topP, minP, repetition, presence, frequency, penaltyWindow, seed);
    }

    public SamplingOptions withSeed(long s) {
        return new SamplingOptions(temperature, topK, topP, minP, repetitionPenalty, presencePenalty, frequencyPenalty, penaltyWindow, s);
    }
}
