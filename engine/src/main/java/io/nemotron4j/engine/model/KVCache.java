package io.nemotron4j.engine.model;

import java.util.Arrays;

/**
 * Keys and values of one attention layer for one sequence, in float32, laid out per KV head with positions
 * contiguous ({@code [head][position][dim]}) so that decoding reads each head's history sequentially. Capacity
 * doubles as the sequence grows, up to the context length.
 */
final class KVCache {

    /** Positions a new cache has room for before it first grows. */
    static final int INITIAL_CAPACITY = 256;

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

    /**
     * The capacity a cache has once it holds {@code positions}: {@link #INITIAL_CAPACITY} doubled as often as
     * needed, at most {@code maxPositions}. Growth follows the same rule whatever steps the positions came in, so
     * admission can reserve exactly this.
     */
    static int capacityFor(int positions, int maxPositions) {
        return grow(Math.min(INITIAL_CAPACITY, maxPositions), positions, maxPositions);
    }

    private static int grow(int capacity, int positions, int maxPositions) {
        long grown = capacity;
        while (grown < positions) {
            grown = Math.min(maxPositions, 2 * grown);
        }
        return (int) grown;
    }

    /** Makes room for {@code positions} positions (amortised: grows by doubling). */
    void ensureCapacity(int positions) {
        if (positions <= capacity) {
            return;
        }
        int grown = grow(capacity, positions, maxPositions);
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

    /** Makes this cache hold the first {@code positions} positions of {@code other}. */
    void copyFrom(KVCache other, int positions) {
        ensureCapacity(positions);
        for (int h = 0; h < kvHeads; h++) {
            System.arraycopy(other.keys[h], 0, keys[h], 0, positions * headDim);
            System.arraycopy(other.values[h], 0, values[h], 0, positions * headDim);
        }
    }

    int capacity() {
        return capacity;
    }

    long bytes() {
        return 2L * kvHeads * capacity * headDim * Float.BYTES;
    }
}
