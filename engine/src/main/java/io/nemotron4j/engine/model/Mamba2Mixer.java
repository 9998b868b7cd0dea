package io.nemotron4j.engine.model;

import io.nemotron4j.engine.tensor.FloatKernels;
import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.TensorFormats;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

/**
 * The Mamba-2 mixer (spec §3.2 and §3.3): in-projection to z | xBC | dt, causal depthwise conv with SiLU over
 * xBC, the selective scan, gating by SiLU(z), grouped RMSNorm, out-projection. One token (decode) and a chunk of
 * tokens (prefill) take the same path up to the scan, which steps token by token for one token and works on
 * chunks of up to {@value ScanScratch#CHUNK} tokens at once for more (see {@link #chunk}); the two agree to float
 * rounding.
 *
 * <p>The scan is split over the worker pool by heads, and runs head by head: one head's state ({@code P×N} floats,
 * 32 KiB for the 9B) stays in cache across all tokens of a chunk instead of the whole layer's state (4 MiB) being
 * streamed through once per token. The conv (by channels) and the gating and norm (by token and group) are split
 * over the pool too: on one thread they took a tenth of a batched decode step while the other cores waited.
 */
final class Mamba2Mixer implements Mixer {

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

    private final FloatKernels kernels = TensorFormats.floatKernels();

    /** The arguments of the parts that run on the pool (forward passes of a model never overlap). */
    private ForwardBatch running;
    private Workspace runningWs;

    /** The three steps that run on the pool, each in parts: channels, heads, (token, group) pairs. */
    private final WorkerPool.Task convolution = this::convolve;
    private final WorkerPool.Task scanning = this::scan;
    private final WorkerPool.Task gating = this::gateAndNormalize;

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
        running = batch;
        runningWs = ws;
        ws.prepareScan(pool.size());
        try {
            pool.run(convolution);
            pool.run(scanning);
            pool.run(gating);
        } finally {
            running = null;
            runningWs = null;
        }
        matmul.multiply(outProj, ws.y, tokens, ws.mixed);
    }

    /**
     * Causal depthwise conv over each sequence's window {@code convState ++ xBC[first..first+tokens)}, then SiLU,
     * for this part's range of channels. Afterwards the window holds the last K-1 pre-conv inputs, which may still
     * include old state when tokens < K-1.
     */
    private void convolve(int part, int parts) {
        int from = (int) ((long) channels * part / parts);
        int to = (int) ((long) channels * (part + 1) / parts);
        for (int s = 0; s < running.size(); s++) {
            convolve(running.state(s).conv(layer), runningWs.zxbcdt, runningWs.xbc, running.first(s),
                    running.count(s), from, to);
        }
    }

    private void convolve(float[] window, float[] zxbcdt, float[] xbc, int first, int tokens, int from, int to) {
        int past = kernel - 1;
        for (int c = from; c < to; c++) {
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
    private void scan(int worker, int workers) {
        int from = heads * worker / workers;
        int to = heads * (worker + 1) / workers;
        ScanScratch scratch = runningWs.scanScratch(worker, headDim);
        for (int s = 0; s < running.size(); s++) {
            float[] ssm = running.state(s).ssm(layer);
            int first = running.first(s);
            int end = first + running.count(s);
            if (end - first == 1) {
                step(ssm, runningWs, first, from, to);
                continue;
            }
            for (int t0 = first; t0 < end; t0 += ScanScratch.CHUNK) {
                chunk(ssm, runningWs, scratch, t0, Math.min(ScanScratch.CHUNK, end - t0), from, to);
            }
        }
    }

    /**
     * The selective scan of heads [from, to) for the one token in row {@code t}: S = S·exp(dt·A) + dt·x ⊗ B,
     * y = S·C + D·x.
     */
    private void step(float[] ssm, Workspace ws, int t, int from, int to) {
        int headsPerGroup = heads / groups;
        int row = t * channels;
        int dtRow = t * projection + inner + channels;
        for (int h = from; h < to; h++) {
            int g = h / headsPerGroup;
            float dt = Ops.softplus(ws.zxbcdt[dtRow + h] + dtBias[h]);
            float decay = (float) Math.exp(dt * a[h]);
            int bRow = row + inner + g * state;
            int cRow = bRow + groups * state;
            for (int p = 0; p < headDim; p++) {
                float x = ws.xbc[row + h * headDim + p];
                float sc = kernels.ssmStep(ssm, (h * headDim + p) * state, state, decay, x * dt, ws.xbc, bRow,
                        ws.xbc, cRow);
                ws.y[t * inner + h * headDim + p] = sc + d[h] * x;
            }
        }
    }

    /**
     * The same scan over rows {@code [t0, t0+q)} at once, in the chunked ("state space duality") form: with
     * {@code cum_t} the running sum of dt·A over the chunk and S0 the state before it,
     * <pre>
     *   y_t = exp(cum_t)·(C_t · S0) + Σ_{s≤t} (C_t · B_s)·exp(cum_t − cum_s)·dt_s·x_s + D·x_t
     *   S   = exp(cum_last)·S0 + Σ_s exp(cum_last − cum_s)·dt_s·x_s ⊗ B_s
     * </pre>
     * which is the token-by-token recurrence unrolled. The state is read once and written once per chunk instead
     * of once per token, and the products C·B are shared by all heads of a group.
     */
    private void chunk(float[] ssm, Workspace ws, ScanScratch sc, int t0, int q, int from, int to) {
        int headsPerGroup = heads / groups;
        int gramGroup = -1;
        for (int h = from; h < to; h++) {
            int g = h / headsPerGroup;
            if (g != gramGroup) {
                gram(ws, sc, t0, q, g);
                gramGroup = g;
            }
            double cum = 0;
            for (int t = 0; t < q; t++) {
                int row = t0 + t;
                float dt = Ops.softplus(ws.zxbcdt[row * projection + inner + channels + h] + dtBias[h]);
                cum += dt * a[h];
                sc.cum[t] = cum;
                int x0 = row * channels + h * headDim;
                for (int p = 0; p < headDim; p++) {
                    sc.xdt[t * headDim + p] = ws.xbc[x0 + p] * dt;
                }
            }
            int state0 = h * headDim * state;
            for (int t = 0; t < q; t++) {
                int row = t0 + t;
                int cRow = row * channels + inner + (groups + g) * state;
                int x0 = row * channels + h * headDim;
                int y0 = row * inner + h * headDim;
                float carried = (float) Math.exp(sc.cum[t]);
                for (int p = 0; p < headDim; p++) {
                    float fromState = kernels.dot(ws.xbc, cRow, ssm, state0 + p * state, state);
                    ws.y[y0 + p] = carried * fromState + d[h] * ws.xbc[x0 + p];
                }
                for (int s = 0; s <= t; s++) {
                    float m = sc.gram[t * ScanScratch.CHUNK + s] * (float) Math.exp(sc.cum[t] - sc.cum[s]);
                    kernels.axpy(m, sc.xdt, s * headDim, ws.y, y0, headDim);
                }
            }
            double last = sc.cum[q - 1];
            for (int s = 0; s < q; s++) {
                sc.weight[s] = (float) Math.exp(last - sc.cum[s]);
            }
            float kept = (float) Math.exp(last);
            for (int p = 0; p < headDim; p++) {
                int base = state0 + p * state;
                kernels.scale(ssm, base, state, kept);
                for (int s = 0; s < q; s++) {
                    int bRow = (t0 + s) * channels + inner + g * state;
                    kernels.axpy(sc.weight[s] * sc.xdt[s * headDim + p], ws.xbc, bRow, ssm, base, state);
                }
            }
        }
    }

    /** {@code gram[t][s] = C_t · B_s} of group g for {@code s ≤ t < q}. */
    private void gram(Workspace ws, ScanScratch sc, int t0, int q, int g) {
        for (int t = 0; t < q; t++) {
            int cRow = (t0 + t) * channels + inner + (groups + g) * state;
            for (int s = 0; s <= t; s++) {
                int bRow = (t0 + s) * channels + inner + g * state;
                sc.gram[t * ScanScratch.CHUNK + s] = kernels.dot(ws.xbc, cRow, ws.xbc, bRow, state);
            }
        }
    }

    /**
     * y ⊙ SiLU(z) first, then RMSNorm over each group's contiguous slice (norm_before_gate = false), for this part's
     * range of (token, group) pairs.
     */
    private void gateAndNormalize(int part, int parts) {
        int pairs = running.rows() * groups;
        int groupSize = inner / groups;
        float[] y = runningWs.y;
        float[] z = runningWs.zxbcdt;
        int end = (int) ((long) pairs * (part + 1) / parts);
        for (int pair = (int) ((long) pairs * part / parts); pair < end; pair++) {
            int t = pair / groups;
            int g = pair % groups;
            int yAt = t * inner + g * groupSize;
            int zAt = t * projection + g * groupSize;
            for (int i = 0; i < groupSize; i++) {
                y[yAt + i] *= Ops.silu(z[zAt + i]);
            }
            Ops.rmsNorm(y, yAt, groupSize, norm, g * groupSize, eps, y);
        }
    }
}
