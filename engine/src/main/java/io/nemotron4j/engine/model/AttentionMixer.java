package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

/**
 * Grouped-query attention with no positional encoding (spec §3.4): consecutive query heads share a KV head, and
 * position enters only through the causal mask. The new keys and values are appended to the sequence's cache
 * before the chunk attends, so token t of a chunk sees the cache up to and including itself. Biases, absent in
 * NVIDIA's checkpoints, are applied when a file has them ({@code null} otherwise).
 */
final class AttentionMixer implements Mixer {

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
            attendSequence(batch.state(s), ws, batch.first(s), batch.count(s));
        }
        matmul.multiply(wo, ws.attention, tokens, ws.mixed);
        Ops.addBias(ws.mixed, tokens, biases[3]);
    }

    /** Appends rows {@code [first, first+tokens)} to the sequence's cache and attends each over its past. */
    private void attendSequence(SequenceState s, Workspace ws, int first, int tokens) {
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
        float[] scores = ws.scores(start + tokens);
        int groupSize = heads / kvHeads;
        int qWidth = heads * headDim;
        for (int t = 0; t < tokens; t++) {
            int visible = start + t + 1;
            int row = (first + t) * qWidth;
            for (int i = 0; i < heads; i++) {
                int j = i / groupSize;
                attend(ws.q, row + i * headDim, cache.keys(j), cache.values(j), visible, scores,
                        ws.attention, row + i * headDim);
            }
        }
    }

    /** out = softmax(q·K/√d) · V over the first {@code n} cached positions, in float32 with the max subtracted. */
    private void attend(float[] q, int qOffset, float[] keys, float[] values, int n, float[] scores, float[] out,
            int outOffset) {
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            float dot = 0f;
            int kOffset = p * headDim;
            for (int e = 0; e < headDim; e++) {
                dot += q[qOffset + e] * keys[kOffset + e];
            }
            scores[p] = dot * scale;
            max = Math.max(max, scores[p]);
        }
        float sum = 0f;
        for (int p = 0; p < n; p++) {
            scores[p] = (float) Math.exp(scores[p] - max);
            sum += scores[p];
        }
        float inv = 1f / sum;
        java.util.Arrays.fill(out, outOffset, outOffset + headDim, 0f);
        for (int p = 0; p < n; p++) {
            float weight = scores[p] * inv;
            int vOffset = p * headDim;
            for (int e = 0; e < headDim; e++) {
                out[outOffset + e] += weight * values[vOffset + e];
            }
        }
    }
}
