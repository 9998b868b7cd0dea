package io.nemotron4j.engine.model;

import java.util.Arrays;

/**
 * Keys and values of one attention layer for one sequence, in float32, laid out per KV head with positions
 * contiguous ({@code [head][position][dim]}) so that decoding reads each head's history sequentially. Capacity
 * doubles as the sequence grows, up to the context length.
 */
final class KVCache {

    private final int kvHeads;
    private final int headDim;
    private final int maxPositions;
    private float[][] keys;
    private float[][] values;
    private int capacity;

    KVCache(int kvHeads, int headDim, int maxPositions, int initialCapacity) {
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.capacity = Math.min(Math.max(1, initialCapacity), maxPositions);
        this.keys = new float[kvHeads][capacity * headDim];
        this.values = new float[kvHeads][capacity * headDim];
    }

    /** Makes room for {@code positions} positions (amortised: grows by doubling). */
    void ensureCapacity(int positions) {
        if (positions <= capacity) {
            return;
        }
        int grown = (int) Math.min(maxPositions, Math.max(positions, 2L * capacity));
        for (int h = 0; h < kvHeads; h++) {
            keys[h] = Arrays.copyOf(keys[h], grown * headDim);
            values[h] = Arrays.copyOf(values[h], grown * headDim);
        }
        capacity = grown;
    }

    /** Keys of one KV head: position p starts at {@code p * headDim}. */
    float[] keys(int head) {
        return keys[head];
    }

    float[] values(int head) {
        return values[head];
    }

    int capacity() {
        return capacity;
    }

    long bytes() {
        return 2L * kvHeads * capacity * headDim * Float.BYTES;
    }
}
