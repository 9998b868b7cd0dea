package io.nemotron4j.engine.model;

import java.util.Arrays;

/**
 * Everything one sequence carries between forward passes: for each Mamba-2 layer the conv window (the last K-1
 * inputs of every conv channel, oldest first) and the SSM state {@code [head][headDim][state]}, for each attention
 * layer its KV cache, and the position of the next token. Mamba states cannot be rewound, so a sequence only ever
 * grows; {@link #reset()} starts it afresh.
 */
public final class SequenceState {

    private final NemotronHConfig config;
    private final float[][] conv;
    private final float[][] ssm;
    private final KVCache[] kv;
    private int position;

    SequenceState(NemotronHConfig config) {
        this.config = config;
        int layers = config.layerCount();
        conv = new float[layers][];
        ssm = new float[layers][];
        kv = new KVCache[layers];
        for (int l = 0; l < layers; l++) {
            switch (config.layer(l)) {
                case MAMBA -> {
                    conv[l] = new float[config.convChannels() * (config.convKernel() - 1)];
                    ssm[l] = new float[config.ssmHeads() * config.ssmHeadDim() * config.ssmState()];
                }
                case ATTENTION -> kv[l] = new KVCache(config.headCountKv()[l], config.headDim(),
                        config.contextLength(), KVCache.INITIAL_CAPACITY);
                case MLP -> {
                }
            }
        }
    }

    boolean belongsTo(NemotronHConfig c) {
        return config == c;
    }

    /** Number of tokens this sequence has consumed. */
    public int position() {
        return position;
    }

    void advance(int tokens) {
        position += tokens;
    }

    float[] conv(int layer) {
        return conv[layer];
    }

    float[] ssm(int layer) {
        return ssm[layer];
    }

    KVCache kv(int layer) {
        return kv[layer];
    }

    /**
     * Makes this sequence a copy of {@code other}: same position, same Mamba states, same cached keys and values.
     * Used to start many sequences from one prefilled prefix.
     *
     * @throws IllegalArgumentException if the two belong to different models
     */
    public void copyFrom(SequenceState other) {
        if (other.config != config) {
            throw new IllegalArgumentException("the two sequence states belong to different models");
        }
        for (int l = 0; l < config.layerCount(); l++) {
            if (conv[l] != null) {
                System.arraycopy(other.conv[l], 0, conv[l], 0, conv[l].length);
                System.arraycopy(other.ssm[l], 0, ssm[l], 0, ssm[l].length);
            }
            if (kv[l] != null) {
                kv[l].copyFrom(other.kv[l], other.position);
            }
        }
        position = other.position;
    }

    /**
     * The most bytes one sequence of {@code positions} tokens holds: its Mamba states and its KV caches at the
     * capacity they have grown to by then (they double). What admission by memory reserves per sequence.
     */
    public static long bytesFor(NemotronHConfig config, int positions) {
        int capacity = KVCache.capacityFor(positions, config.contextLength());
        return config.mambaStateBytes() + config.kvBytesPerPosition() * capacity;
    }

    /** Empties the sequence: zero Mamba states, no cached positions. */
    public void reset() {
        for (int l = 0; l < config.layerCount(); l++) {
            if (conv[l] != null) {
                Arrays.fill(conv[l], 0f);
                Arrays.fill(ssm[l], 0f);
            }
        }
        position = 0;
    }

    /** Bytes held by the Mamba states (constant per sequence). */
    public long mambaStateBytes() {
        return config.mambaStateBytes();
    }

    /** Bytes currently allocated for KV caches (grows with the sequence). */
    public long kvCacheBytes() {
        long n = 0;
        for (KVCache c : kv) {
            n += c == null ? 0 : c.bytes();
        }
        return n;
    }
}
