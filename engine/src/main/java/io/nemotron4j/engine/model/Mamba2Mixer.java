package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

/**
 * The Mamba-2 mixer (spec §3.2 and §3.3): in-projection to z | xBC | dt, causal depthwise conv with SiLU over
 * xBC, the selective scan, gating by SiLU(z), grouped RMSNorm, out-projection. One token (decode) and a chunk of
 * tokens (prefill) take the same path; the scan runs token after token, which is exact, so both agree.
 *
 * <p>The scan is split over the worker pool by heads, and runs head by head: one head's state ({@code P×N} floats,
 * 40 KiB for the 9B) stays in cache across all tokens of a chunk instead of the whole layer's state (5 MiB) being
 * streamed through once per token.
 */
final class Mamba2Mixer implements Mixer, WorkerPool.Task {

    private final int layer;
    private final int inner;
    private final int state;
    private final int heads;
    private final int headDim;
    private final int groups;
    private final int kernel;
    private final int channels;
    private final int projection;
    private final float eps;
    private final WeightMatrix inProj;
    private final WeightMatrix outProj;
    /** {@code [channel][tap]}, tap 0 the oldest. */
    private final float[] convWeight;
    private final float[] convBias;
    private final float[] dtBias;
    /** A = -exp(A_log), stored so by the converter. */
    private final float[] a;
    private final float[] d;
    /** {@code [group][inner/groups]}. */
    private final float[] norm;

    /** The scan's arguments while it runs on the pool (forward passes of a model never overlap). */
    private ForwardBatch scanBatch;
    private Workspace scanWs;

    Mamba2Mixer(int layer, NemotronHConfig c, WeightMatrix inProj, WeightMatrix outProj, float[] convWeight,
            float[] convBias, float[] dtBias, float[] a, float[] d, float[] norm) {
        this.layer = layer;
        this.inner = c.ssmInner();
        this.state = c.ssmState();
        this.heads = c.ssmHeads();
        this.headDim = c.ssmHeadDim();
        this.groups = c.ssmGroups();
        this.kernel = c.convKernel();
        this.channels = c.convChannels();
        this.projection = c.ssmInProjection();
        this.eps = c.rmsEps();
        this.inProj = inProj;
        this.outProj = outProj;
        this.convWeight = convWeight;
        this.convBias = convBias;
        this.dtBias = dtBias;
        this.a = a;
        this.d = d;
        this.norm = norm;
    }

    @Override
    public void forward(ForwardBatch batch, Workspace ws, Matmul matmul, WorkerPool pool) {
        int tokens = batch.rows();
        matmul.multiply(inProj, ws.u, tokens, ws.zxbcdt);
        for (int s = 0; s < batch.size(); s++) {
            convolve(batch.state(s).conv(layer), ws.zxbcdt, ws.xbc, batch.first(s), batch.count(s));
        }
        scanBatch = batch;
        scanWs = ws;
        try {
            pool.run(this);
        } finally {
            scanBatch = null;
            scanWs = null;
        }
        gateAndNormalize(ws, tokens);
        matmul.multiply(outProj, ws.y, tokens, ws.mixed);
    }

    /**
     * Causal depthwise conv over the window {@code convState ++ xBC[first..first+tokens)}, then SiLU. Afterwards
     * the window holds the last K-1 pre-conv inputs, which may still include old state when tokens < K-1.
     */
    private void convolve(float[] window, float[] zxbcdt, float[] xbc, int first, int tokens) {
        int past = kernel - 1;
        for (int c = 0; c < channels; c++) {
            int w0 = c * kernel;
            int s0 = c * past;
            for (int t = 0; t < tokens; t++) {
                float acc = convBias[c];
                for (int k = 0; k < kernel; k++) {
                    int j = t + k;
                    float in = j < past ? window[s0 + j] : zxbcdt[(first + j - past) * projection + inner + c];
                    acc += convWeight[w0 + k] * in;
                }
                xbc[(first + t) * channels + c] = Ops.silu(acc);
            }
            // Slide the window: slot k takes input T+k; ascending k never reads a slot already overwritten.
            for (int k = 0; k < past; k++) {
                int j = tokens + k;
                window[s0 + k] = j < past ? window[s0 + j] : zxbcdt[(first + j - past) * projection + inner + c];
            }
        }
    }

    /** This worker's share of the scan: a contiguous range of heads, in every sequence of the batch. */
    @Override
    public void run(int worker, int workers) {
        int from = heads * worker / workers;
        int to = heads * (worker + 1) / workers;
        for (int s = 0; s < scanBatch.size(); s++) {
            scan(scanBatch.state(s).ssm(layer), scanWs, scanBatch.first(s), scanBatch.count(s), from, to);
        }
    }

    /**
     * The selective scan of heads [from, to) over rows {@code [first, first+tokens)}: S = S·exp(dt·A) + dt·x ⊗ B,
     * y = S·C + D·x, token after token.
     */
    private void scan(float[] ssm, Workspace ws, int first, int tokens, int from, int to) {
        int headsPerGroup = heads / groups;
        int bOffset = inner;
        int cOffset = inner + groups * state;
        for (int h = from; h < to; h++) {
            int g = h / headsPerGroup;
            for (int t = first; t < first + tokens; t++) {
                int row = t * channels;
                int dtRow = t * projection + inner + channels;
                float dt = Ops.softplus(ws.zxbcdt[dtRow + h] + dtBias[h]);
                float decay = (float) Math.exp(dt * a[h]);
                int bRow = row + bOffset + g * state;
                int cRow = row + cOffset + g * state;
                for (int p = 0; p < headDim; p++) {
                    float x = ws.xbc[row + h * headDim + p];
                    float xdt = x * dt;
                    int base = (h * headDim + p) * state;
                    float acc = 0f;
                    for (int n = 0; n < state; n++) {
                        float sv = ssm[base + n] * decay + ws.xbc[bRow + n] * xdt;
                        ssm[base + n] = sv;
                        acc += sv * ws.xbc[cRow + n];
                    }
                    ws.y[t * inner + h * headDim + p] = acc + d[h] * x;
                }
            }
        }
    }

    /** y ⊙ SiLU(z) first, then RMSNorm over each group's contiguous slice (norm_before_gate = false). */
    private void gateAndNormalize(Workspace ws, int tokens) {
        int groupSize = inner / groups;
        for (int t = 0; t < tokens; t++) {
            int yRow = t * inner;
            int zRow = t * projection;
            for (int i = 0; i < inner; i++) {
                ws.y[yRow + i] *= Ops.silu(ws.zxbcdt[zRow + i]);
            }
            for (int g = 0; g < groups; g++) {
                Ops.rmsNorm(ws.y, yRow + g * groupSize, groupSize, norm, g * groupSize, eps, ws.y);
            }
        }
    }
}
