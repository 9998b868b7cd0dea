package io.nemotron4j.engine.model;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.tensor.Matmul;
import io.nemotron4j.engine.tensor.WeightMatrix;
import io.nemotron4j.engine.tensor.WorkerPool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A Nemotron-H model (NVIDIA-Nemotron-Nano-9B-v2 and its family) loaded from a GGUF file, weights memory-mapped.
 *
 * <p>The forward pass, top to bottom (spec §3.1): embed; for every block {@code x += mixer(rmsnorm(x))} with the
 * block's one mixer (Mamba-2, attention or MLP); final RMSNorm; LM head. Per-sequence memory lives in a
 * {@link SequenceState}; scratch memory belongs to the model and is reused, so one forward pass runs at a time
 * ({@code forward} is synchronized) and a decode step allocates nothing. Several sequences advance together, reading
 * the weights once per step, through {@link #forward(ForwardBatch, float[])}.
 */
public final class NemotronHModel implements AutoCloseable {

    private final GGUFFile file;
    private final NemotronHConfig config;
    private final EngineOptions options;
    private final WeightMatrix tokenEmbedding;
    private final WeightMatrix output;
    private final float[] outputNorm;
    private final float[][] blockNorms;
    private final Mixer[] mixers;
    private final WorkerPool pool;
    private final Matmul matmul;
    private final Workspace ws;
    /** The one-sequence batch that the single-sequence forward pass runs through. */
    private final ForwardBatch solo;

    private NemotronHModel(GGUFFile file, NemotronHConfig config, EngineOptions options) throws GGUFException {
        this.file = file;
        this.config = config;
        this.options = options;
        ModelWeights w = new ModelWeights(file);
        int e = config.embeddingLength();
        int vocab = config.vocabSize();
        tokenEmbedding = w.matrix("token_embd.weight", e, vocab);
        output = w.has("output.weight") ? w.matrix("output.weight", e, vocab) : tokenEmbedding;
        outputNorm = w.vector("output_norm.weight", e);
        int layers = config.layerCount();
        blockNorms = new float[layers][];
        mixers = new Mixer[layers];
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            blockNorms[l] = w.vector(p + "attn_norm.weight", e);
            mixers[l] = switch (config.layer(l)) {
                case MAMBA -> new Mamba2Mixer(l, config,
                        w.matrix(p + "ssm_in.weight", e, config.ssmInProjection()),
                        w.matrix(p + "ssm_out.weight", config.ssmInner(), e),
                        w.vector(p + "ssm_conv1d.weight", config.convChannels() * config.convKernel()),
                        w.vector(p + "ssm_conv1d.bias", config.convChannels()),
                        w.vector(p + "ssm_dt.bias", config.ssmHeads()),
                        w.vector(p + "ssm_a", config.ssmHeads()),
                        w.vector(p + "ssm_d", config.ssmHeads()),
                        w.vector(p + "ssm_norm.weight", config.ssmInner()));
                case ATTENTION -> attention(w, l, p);
                case MLP -> new MlpMixer(
                        w.matrix(p + "ffn_up.weight", e, config.feedForwardLength()[l]),
                        w.optionalVector(p + "ffn_up.bias", config.feedForwardLength()[l]),
                        w.matrix(p + "ffn_down.weight", config.feedForwardLength()[l], e),
                        w.optionalVector(p + "ffn_down.bias", e));
            };
        }
        ws = new Workspace(config, options.prefillChunk());
        solo = new ForwardBatch(options.prefillChunk());
        // Last: nothing after it can fail and leave the threads running.
        pool = new WorkerPool(options.threads());
        matmul = new Matmul(pool);
    }

    private AttentionMixer attention(ModelWeights w, int l, String p) throws GGUFException {
        int e = config.embeddingLength();
        int qRows = config.headCount() * config.headDim();
        int kvRows = config.headCountKv()[l] * config.headDim();
        WeightMatrix q;
        WeightMatrix k;
        WeightMatrix v;
        float[][] biases = new float[4][];
        if (w.has(p + "attn_qkv.weight")) {
            // A fused projection stacks the rows of Q, K and V, so each part is a contiguous slice.
            WeightMatrix qkv = w.matrix(p + "attn_qkv.weight", e, qRows + 2 * kvRows);
            q = rows(qkv, p + "attn_q", 0, qRows);
            k = rows(qkv, p + "attn_k", qRows, kvRows);
            v = rows(qkv, p + "attn_v", qRows + kvRows, kvRows);
            float[] qkvBias = w.optionalVector(p + "attn_qkv.bias", qRows + 2 * kvRows);
            if (qkvBias != null) {
                biases[0] = java.util.Arrays.copyOfRange(qkvBias, 0, qRows);
                biases[1] = java.util.Arrays.copyOfRange(qkvBias, qRows, qRows + kvRows);
                biases[2] = java.util.Arrays.copyOfRange(qkvBias, qRows + kvRows, qRows + 2 * kvRows);
            }
        } else {
            q = w.matrix(p + "attn_q.weight", e, qRows);
            k = w.matrix(p + "attn_k.weight", e, kvRows);
            v = w.matrix(p + "attn_v.weight", e, kvRows);
            biases[0] = w.optionalVector(p + "attn_q.bias", qRows);
            biases[1] = w.optionalVector(p + "attn_k.bias", kvRows);
            biases[2] = w.optionalVector(p + "attn_v.bias", kvRows);
        }
        biases[3] = w.optionalVector(p + "attn_output.bias", e);
        return new AttentionMixer(l, config, q, k, v, w.matrix(p + "attn_output.weight", qRows, e), biases);
    }

    private static WeightMatrix rows(WeightMatrix m, String name, int first, int count) {
        long rb = m.rowBytes();
        return new WeightMatrix(name, m.format(), m.data().asSlice(first * rb, count * rb), count, m.cols());
    }

    /**
     * Maps a GGUF file and binds its weights.
     *
     * @throws GGUFException if the file is not a usable Nemotron-H GGUF (the message says why)
     * @throws IOException if it cannot be read
     */
    public static NemotronHModel load(Path path, EngineOptions options) throws IOException {
        GGUFFile file = GGUFFile.open(path);
        try {
            NemotronHConfig config = NemotronHConfig.fromMetadata(file.metadata());
            return new NemotronHModel(file, config, options);
        } catch (GGUFException e) {
            file.close();
            throw e.getMessage().startsWith(path.toString()) ? e : new GGUFException(path + ": " + e.getMessage());
        } catch (RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    /** Loads with {@link EngineOptions#defaults()}. */
    public static NemotronHModel load(Path path) throws IOException {
        return load(path, EngineOptions.defaults());
    }

    public NemotronHConfig config() {
        return config;
    }

    public EngineOptions options() {
        return options;
    }

    /** The mapped file the weights live in. */
    public GGUFFile file() {
        return file;
    }

    /** A fresh, empty sequence for this model. */
    public SequenceState newState() {
        return new SequenceState(config);
    }

    /** Runs {@code tokens} through the model and returns the last position's logits (a new array). */
    public float[] forward(SequenceState state, int... tokens) {
        float[] logits = new float[config.vocabSize()];
        forward(state, tokens, 0, tokens.length, Logits.LAST, logits, null);
        return logits;
    }

    /**
     * Runs {@code tokens[offset .. offset+count)} through the model, continuing {@code state}, in chunks of at most
     * {@link EngineOptions#prefillChunk()} tokens. One token is a decode step; more is a prefill.
     *
     * @param logits receives {@code [vocab]} for {@link Logits#LAST} or {@code [count][vocab]} for {@link Logits#ALL}
     * @param observer sees the residual stream after each block, or {@code null}
     * @throws IllegalArgumentException for token ids outside the vocabulary or a sequence longer than the context;
     *     the state is left unchanged
     */
    public synchronized void forward(SequenceState state, int[] tokens, int offset, int count, Logits mode,
            float[] logits, LayerObserver observer) {
        check(state, tokens, offset, count);
        Objects.requireNonNull(mode, "mode");
        int e = config.embeddingLength();
        int vocab = config.vocabSize();
        long needed = mode == Logits.ALL ? (long) count * vocab : vocab;
        checkLogits(logits, needed);
        int done = 0;
        while (done < count) {
            int n = Math.min(ws.chunk, count - done);
            solo.clear();
            solo.add(state, tokens, offset + done, n, false);
            run(solo, observer);
            boolean last = done + n == count;
            if (mode == Logits.ALL || observer != null) {
                for (int t = 0; t < n; t++) {
                    Ops.rmsNorm(ws.x, t * e, e, outputNorm, 0, config.rmsEps(), ws.normed);
                }
                if (observer != null) {
                    observer.afterLayer(mixers.length, state.position(), ws.normed, n);
                }
            }
            if (mode == Logits.ALL) {
                float[] chunkLogits = ws.chunkLogits(vocab);
                matmul.multiply(output, ws.normed, n, chunkLogits);
                System.arraycopy(chunkLogits, 0, logits, done * vocab, n * vocab);
            } else if (last) {
                // Only the last row feeds the LM head; norm it into row 0 of the scratch.
                System.arraycopy(ws.x, (n - 1) * e, ws.u, 0, e);
                Ops.rmsNorm(ws.u, 0, e, outputNorm, 0, config.rmsEps(), ws.normed);
                matmul.multiply(output, ws.normed, 1, logits);
            }
            state.advance(n);
            done += n;
        }
        solo.clear();
    }

    /**
     * An empty batch for {@link #forward(ForwardBatch, float[])}, holding up to {@link EngineOptions#prefillChunk()}
     * tokens.
     */
    public ForwardBatch newBatch() {
        return new ForwardBatch(ws.chunk);
    }

    /**
     * One forward step over several sequences at once: every sequence of the batch continues with its tokens, the
     * matrix products of each layer read the weights once for all of them, and each sequence's logits equal what
     * a separate {@link #forward(SequenceState, int[], int, int, Logits, float[], LayerObserver) forward} of its
     * tokens gives (to float rounding; bit for bit where the weight format's batched and single-row kernels agree,
     * as F32's do). Allocates nothing once warm, apart from KV caches growing.
     *
     * @param logits receives {@code [batch.logitRows()][vocab]}: the logits after the last token of each sequence
     *     added with {@code wantLogits}, in the order added
     * @throws IllegalArgumentException if the batch is empty or was made by another model, or a sequence would
     *     pass the context length; no state is changed
     */
    public synchronized void forward(ForwardBatch batch, float[] logits) {
        Objects.requireNonNull(batch, "batch");
        if (batch.size() == 0) {
            throw new IllegalArgumentException("the batch is empty");
        }
        if (batch.capacity() > ws.chunk) {
            throw new IllegalArgumentException("the batch holds " + batch.capacity() + " tokens, this model's "
                    + "scratch " + ws.chunk + "; make batches with newBatch()");
        }
        for (int s = 0; s < batch.size(); s++) {
            checkSequence(batch.state(s), batch.count(s));
            int first = batch.first(s);
            for (int r = first; r < first + batch.count(s); r++) {
                checkToken(batch.token(r), r);
            }
        }
        int vocab = config.vocabSize();
        checkLogits(logits, (long) batch.logitRows() * vocab);
        run(batch, null);
        int e = config.embeddingLength();
        int wanted = 0;
        for (int s = 0; s < batch.size(); s++) {
            if (batch.wantsLogits(s)) {
                int lastRow = batch.first(s) + batch.count(s) - 1;
                System.arraycopy(ws.x, lastRow * e, ws.u, wanted * e, e);
                Ops.rmsNorm(ws.u, wanted * e, e, outputNorm, 0, config.rmsEps(), ws.normed);
                wanted++;
            }
        }
        if (wanted > 0) {
            matmul.multiply(output, ws.normed, wanted, logits);
        }
        for (int s = 0; s < batch.size(); s++) {
            batch.state(s).advance(batch.count(s));
        }
    }

    /** Embeds the batch's tokens and runs them through every block, leaving the residual stream in {@code ws.x}. */
    private void run(ForwardBatch batch, LayerObserver observer) {
        int e = config.embeddingLength();
        int n = batch.rows();
        for (int t = 0; t < n; t++) {
            tokenEmbedding.dequantizeRow(batch.token(t), ws.x, t * e);
        }
        for (int l = 0; l < mixers.length; l++) {
            for (int t = 0; t < n; t++) {
                Ops.rmsNorm(ws.x, t * e, e, blockNorms[l], 0, config.rmsEps(), ws.u);
            }
            mixers[l].forward(batch, ws, matmul, pool);
            for (int i = 0; i < n * e; i++) {
                ws.x[i] += ws.mixed[i];
            }
            if (observer != null) {
                observer.afterLayer(l, batch.state(0).position(), ws.x, n);
            }
        }
    }

    private void check(SequenceState state, int[] tokens, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, tokens.length);
        if (count < 1) {
            throw new IllegalArgumentException("no tokens to run");
        }
        checkSequence(state, count);
        for (int i = offset; i < offset + count; i++) {
            checkToken(tokens[i], i);
        }
    }

    private void checkSequence(SequenceState state, int count) {
        Objects.requireNonNull(state, "state");
        if (!state.belongsTo(config)) {
            throw new IllegalArgumentException("this sequence state was made by another model");
        }
        if ((long) state.position() + count > config.contextLength()) {
            throw new IllegalArgumentException(String.format(
                    "sequence would have %,d tokens (%,d so far + %,d new), context is %,d",
                    (long) state.position() + count, state.position(), count, config.contextLength()));
        }
    }

    private void checkToken(int token, int index) {
        int vocab = config.vocabSize();
        if (token < 0 || token >= vocab) {
            throw new IllegalArgumentException("token id " + token + " at index " + index
                    + " is outside the vocabulary (0.." + (vocab - 1) + ")");
        }
    }

    private static void checkLogits(float[] logits, long needed) {
        if (logits.length < needed) {
            throw new IllegalArgumentException("logits array has " + logits.length + " floats, needs " + needed);
        }
    }

    /** Total number of weights in the file's tensors. */
    public long parameterCount() {
        long n = 0;
        for (var t : file.tensors()) {
            n += t.elementCount();
        }
        return n;
    }

    /** Stops the worker threads and unmaps the file. */
    @Override
    public void close() {
        pool.close();
        file.close();
    }
}
