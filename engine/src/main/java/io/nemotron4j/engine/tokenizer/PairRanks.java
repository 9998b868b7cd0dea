package io.nemotron4j.engine.tokenizer;

import java.util.Arrays;

/**
 * Merge ranks keyed by the pair of symbol ids they join, in one open-addressing table of primitives: a
 * 131k-entry vocabulary comes with some 270k merges, and boxed map entries would cost several times the memory
 * and most of the load time.
 */
final class PairRanks {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int mask;

    /** A table with room for {@code expected} pairs at a load factor of at most 3/4. */
    PairRanks(int expected) {
        int capacity = 4;
        while (capacity * 3L < expected * 4L) {
            capacity <<= 1;
        }
        keys = new long[capacity];
        ranks = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** The key of the pair (left, right); ids are non-negative, so no key equals {@link #EMPTY}. */
    static long pair(int left, int right) {
        return ((long) left << 32) | right;
    }

    /** Records the rank unless the pair already has one (the first merge of a pair wins, as in llama.cpp). */
    boolean putIfAbsent(long key, int rank) {
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ranks[slot] = rank;
        return true;
    }

    /** The rank of the pair, or -1 if no merge joins it. */
    int get(long key) {
        for (int slot = slot(key); keys[slot] != EMPTY; slot = (slot + 1) & mask) {
            if (keys[slot] == key) {
                return ranks[slot];
            }
        }
        return -1;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
