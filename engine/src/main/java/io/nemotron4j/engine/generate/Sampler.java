package io.nemotron4j.engine.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses next tokens for one sequence: penalties over a window of recent tokens, then greedy or
 * temperature / top-k / top-p / min-p sampling with a seeded generator.
 *
 * <p>It never sorts the vocabulary: a token whose probability is below {@code (1 − topP)/(V − 1)} cannot be in the
 * nucleus (all such tokens together hold less than {@code 1 − topP}), and one below {@code minP·pmax} is dropped
 * anyway, so only the few tokens above both bounds are ordered; top-k alone selects with a k-sized heap. All
 * buffers are allocated once per sequence, none per token.
 */
public final class Sampler implements TokenChooser {

    private final SamplingOptions options;
    private final int vocab;
    private final float[] weights;
    private final long[] keys;
    private final int[] window;
    private final int[] counts;
    private final int[] appliedAt;
    private final SplittableRandom random;
    private int windowSize;
    private int windowHead;
    private int step;

    /** A sampler for a vocabulary of {@code vocab} tokens. */
    public Sampler(SamplingOptions options, int vocab) {
        this.options = options;
        this.vocab = vocab;
        this.weights = new float[vocab];
        this.keys = new long[vocab];
        this.window = new int[Math.max(1, options.penaltyWindow())];
        this.counts = new int[vocab];
        this.appliedAt = new int[vocab];
        this.random = new SplittableRandom(options.seed());
    }

    public SamplingOptions options() {
        return options;
    }

    /** Records a token (prompt or generated) for the penalties. */
    @Override
    public void accept(int token) {
        if (options.penaltyWindow() == 0) {
            return;
        }
        if (windowSize == window.length) {
            counts[window[windowHead]]--;
        } else {
            windowSize++;
        }
        window[windowHead] = token;
        counts[token]++;
        windowHead = (windowHead + 1) % window.length;
    }

    @Override
    public int choose(float[] logits) {
        return sample(logits);
    }

    /** Picks the next token. The logits are modified in place (penalties applied). */
    public int sample(float[] logits) {
        applyPenalties(logits);
        if (options.isGreedy()) {
            return argmax(logits);
        }
        float max = logits[argmax(logits)];
        float invT = 1f / options.temperature();
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            float w = (float) Math.exp((logits[i] - max) * invT);
            weights[i] = w;
            total += w;
        }
        // The most likely token has weight exactly 1, so min-p's bound is minP itself.
        double floor = Math.max(options.minP(), options.topP() < 1f ? (1.0 - options.topP()) / (vocab - 1) * total : 0.0);
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            if (weights[i] >= floor) {
                keys[n++] = key(weights[i], i);
            }
        }
        if (options.topK() > 0 && n > options.topK()) {
            n = keepLargest(n, options.topK());
        }
        boolean ordered = options.topP() < 1f;
        if (ordered) {
            Arrays.sort(keys, 0, n);
        }
        double kept = 0;
        for (int j = 0; j < n; j++) {
            kept += weights[index(keys[j])];
        }
        int start = 0;
        if (ordered) {
            // Walk from the most likely down until the nucleus holds topP of the kept mass.
            double target = options.topP() * kept;
            double sum = 0;
            int j = n - 1;
            while (j > 0 && (sum += weights[index(keys[j])]) < target) {
                j--;
            }
            start = j;
            kept = 0;
            for (int k = start; k < n; k++) {
                kept += weights[index(keys[k])];
            }
        }
        double u = random.nextDouble() * kept;
        for (int j = n - 1; j >= start; j--) {
            int token = index(keys[j]);
            u -= weights[token];
            if (u < 0) {
                return token;
            }
        }
        return index(keys[start]);
    }

    private void applyPenalties(float[] logits) {
        if (windowSize == 0 || (options.repetitionPenalty() == 1f && options.presencePenalty() == 0f
                && options.frequencyPenalty() == 0f)) {
            return;
        }
        step++;
        for (int j = 0; j < windowSize; j++) {
            int t = window[j];
            if (appliedAt[t] == step) {
                continue;
            }
            appliedAt[t] = step;
            float l = logits[t];
            l = l > 0 ? l / options.repetitionPenalty() : l * options.repetitionPenalty();
            logits[t] = l - options.presencePenalty() - options.frequencyPenalty() * counts[t];
        }
    }

    /** Moves the k largest of the first n keys to the front, via a min-heap of size k; returns k. */
    private int keepLargest(int n, int k) {
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(i, k);
        }
        for (int i = k; i < n; i++) {
            if (keys[i] > keys[0]) {
                keys[0] = keys[i];
                siftDown(0, k);
            }
        }
        return k;
    }

    private void siftDown(int i, int size) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int smallest = l + 1 < size && keys[l + 1] < keys[l] ? l + 1 : l;
            if (keys[i] <= keys[smallest]) {
                return;
            }
            long tmp = keys[i];
            keys[i] = keys[smallest];
            keys[smallest] = tmp;
            i = smallest;
        }
    }

    /** Orders by weight, then by lower id first on ties: positive floats compare like their bit patterns. */
    private static long key(float weight, int index) {
        return ((long) Float.floatToRawIntBits(weight) << 32) | (0xFFFF_FFFFL - index);
    }

    private static int index(long key) {
        return (int) (0xFFFF_FFFFL - (key & 0xFFFF_FFFFL));
    }

    /** Index of the largest logit, the lowest index on ties. */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
