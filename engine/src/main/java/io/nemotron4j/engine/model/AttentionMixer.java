package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.FloatKernels;
import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.TensorFormats;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

import java.util.Arrays;

/**
 * Grouped-query attention with no positional encoding (spec §3.4): consecutive query heads share a KV head, and
 * position enters only through the causal mask. The new keys and values are appended to the sequence's cache
 * before the chunk attends, so token t of a chunk sees the cache up to and including itself. The KV heads are split
 * over the worker pool; each head's cache is a contiguous {@code [position][headDim]} array, read front to back.
 * Biases, absent in
 * NVIDIA's checkpoints, are applied when a file has them ({@code null} otherwise).
 */
final class AttentionMixer implements Mixer, WorkerPool.Task {

    /** Query rows (tokens × heads of a group) attended together, sharing each block of keys and values. */
    private static final int TILE_ROWS = 16;

    /** Cached positions per block: 64 keys of 128 floats are 32 KiB. */
    private static final int BLOCK = 64;


    private final int layer;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final WeightMatrix wq;
    private final WeightMatrix wk;
    private final WeightMatrix wv;
    private final WeightMatrix wo;
    private final float[][] biases;
    private final int groupSize;
    private final FloatKernels kernels = TensorFormats.floatKernels();

    /** The step's arguments while the heads run on the pool (forward passes of a model never overlap). */
    private ForwardBatch attendBatch;
    private Workspace attendWs;

    /** {@code biases} holds the q, k, v and output biases, each {@code null} when absent. */
    AttentionMixer(int layer, NemotronHConfig c, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
            float[][] biases) {
        this.layer = layer;
        this.heads = c.headCount();
        this.kvHeads = c.headCountKv()[layer];
        this.headDim = c.headDim();
        this.scale = c.attentionScale();
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.biases = biases;
        this.groupSize = heads / kvHeads;
    }

    @Override
    public void forward(ForwardBatch batch, Workspace ws, Matmul matmul, WorkerPool pool) {
        int tokens = batch.rows();
        matmul.multiply(wq, ws.u, tokens, ws.q);
        matmul.multiply(wk, ws.u, tokens, ws.k);
        matmul.multiply(wv, ws.u, tokens, ws.v);
        Ops.addBias(ws.q, tokens, biases[0]);
        Ops.addBias(ws.k, tokens, biases[1]);
        Ops.addBias(ws.v, tokens, biases[2]);
        for (int s = 0; s < batch.size(); s++) {
            append(batch.state(s), ws, batch.first(s), batch.count(s));
        }
        attendBatch = batch;
        attendWs = ws;
        ws.prepareAttention(pool.size());
        try {
            pool.run(this);
        } finally {
            attendBatch = null;
            attendWs = null;
        }
        matmul.multiply(wo, ws.attention, tokens, ws.mixed);
        Ops.addBias(ws.mixed, tokens, biases[3]);
    }

    /** Appends the keys and values of rows {@code [first, first+tokens)} to the sequence's cache. */
    private void append(SequenceState s, Workspace ws, int first, int tokens) {
        KVCache cache = s.kv(layer);
        int start = s.position();
        cache.ensureCapacity(start + tokens);
        int kvWidth = kvHeads * headDim;
        for (int t = 0; t < tokens; t++) {
            int row = (first + t) * kvWidth;
            for (int j = 0; j < kvHeads; j++) {
                System.arraycopy(ws.k, row + j * headDim, cache.keys(j), (start + t) * headDim, headDim);
                System.arraycopy(ws.v, row + j * headDim, cache.values(j), (start + t) * headDim, headDim);
            }
        }
    }

    /** This worker's share: a contiguous range of KV heads (with their query heads), in every sequence. */
    @Override
    public void run(int worker, int workers) {
        int from = kvHeads * worker / workers;
        int to = kvHeads * (worker + 1) / workers;
        for (int s = 0; s < attendBatch.size(); s++) {
            SequenceState state = attendBatch.state(s);
            int first = attendBatch.first(s);
            int count = attendBatch.count(s);
            int tileTokens = Math.max(1, TILE_ROWS / groupSize);
            for (int j = from; j < to; j++) {
                for (int t = 0; t < count; t += tileTokens) {
                    attendTile(state.kv(layer), attendWs, worker, state.position(), first, t,
                            Math.min(tileTokens, count - t), j);
                }
            }
        }
    }

    /**
     * softmax(q·K/√d)·V for the query heads of KV head j and tokens {@code [t0, t0+tokens)} of a sequence whose
     * cache held {@code start} positions before this step; token t sees positions up to {@code start + t}. Keys
     * and values are taken in blocks of {@value #BLOCK} positions and each block serves every query of the tile
     * while it is in cache. Each query row's arithmetic is the same whatever tile it is in.
     */
    private void attendTile(KVCache cache, Workspace ws, int worker, int start, int first, int t0, int tokens,
            int j) {
        float[] keys = cache.keys(j);
        float[] values = cache.values(j);
        int rows = tokens * groupSize;
        int span = start + t0 + tokens;
        float[] scores = ws.attentionScores(worker, rows * span);
        int qWidth = heads * headDim;
        for (int p0 = 0; p0 < span; p0 += BLOCK) {
            for (int r = 0; r < rows; r++) {
                int t = t0 + r / groupSize;
                int q0 = (first + t) * qWidth + (j * groupSize + r % groupSize) * headDim;
                int end = Math.min(p0 + BLOCK, start + t + 1);
                for (int p = p0; p < end; p++) {
                    scores[r * span + p] = kernels.dot(ws.q, q0, keys, p * headDim, headDim) * scale;
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            int visible = start + t0 + r / groupSize + 1;
            softmax(scores, r * span, visible);
            int o0 = (first + t0 + r / groupSize) * qWidth + (j * groupSize + r % groupSize) * headDim;
            Arrays.fill(ws.attention, o0, o0 + headDim, 0f);
        }
        for (int p0 = 0; p0 < span; p0 += BLOCK) {
            for (int r = 0; r < rows; r++) {
                int t = t0 + r / groupSize;
                int o0 = (first + t) * qWidth + (j * groupSize + r % groupSize) * headDim;
                int end = Math.min(p0 + BLOCK, start + t + 1);
                for (int p = p0; p < end; p++) {
                    kernels.axpy(scores[r * span + p], values, p * headDim, ws.attention, o0, headDim);
                }
            }
        }
    }

    /** In place over {@code scores[from, from+n)}: exp(score − max), normalised to sum 1. */
    private static void softmax(float[] scores, int from, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int p = from; p < from + n; p++) {
            max = Math.max(max, scores[p]);
        }
        float sum = 0f;
        for (int p = from; p < from + n; p++) {
            scores[p] = (float) Math.exp(scores[p] - max);
            sum += scores[p];
        }
        float inv = 1f / sum;
        for (int p = from; p < from + n; p++) {
            scores[p] *= inv;
        }
    }
}
