package io.nemotron4j.engine.model;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * The hyperparameters of a Nemotron-H model, read from GGUF metadata ({@code nemotron_h.*} keys).
 *
 * @param embeddingLength hidden size E
 * @param layers the kind of each layer, index 0 first
 * @param feedForwardLength MLP width per layer (0 where the layer is not an MLP)
 * @param headCount attention query heads H
 * @param headCountKv KV heads per layer (0 where the layer is not attention)
 * @param headDim attention head dimension (key and value length)
 * @param convKernel Mamba conv kernel K
 * @param ssmInner Mamba inner width Di
 * @param ssmState SSM state size N
 * @param ssmHeads Mamba heads Hm (GGUF {@code ssm.time_step_rank})
 * @param ssmGroups B/C groups G
 * @param rmsEps epsilon of every RMSNorm
 * @param attentionScale scale applied to q·k
 * @param vocabSize number of tokens V
 * @param contextLength usable context, capped at the trained limit
 */
public record NemotronHConfig(
        int embeddingLength,
        List<LayerKind> layers,
        int[] feedForwardLength,
        int headCount,
        int[] headCountKv,
        int headDim,
        int convKernel,
        int ssmInner,
        int ssmState,
        int ssmHeads,
        int ssmGroups,
        float rmsEps,
        float attentionScale,
        int vocabSize,
        int contextLength) {

    public static final String ARCHITECTURE = "nemotron_h";
    /** The converter writes 2^20 for RoPE-less hybrids; the models were trained to 128k. */
    public static final int TRAINED_CONTEXT = 131_072;

    public NemotronHConfig {
        layers = List.copyOf(layers);
        feedForwardLength = feedForwardLength.clone();
        headCountKv = headCountKv.clone();
    }

    public int layerCount() {
        return layers.size();
    }

    public LayerKind layer(int i) {
        return layers.get(i);
    }

    /** The layer pattern, e.g. {@code M-M-M-MM-M-M-M*-...}. */
    public String pattern() {
        StringBuilder sb = new StringBuilder();
        for (LayerKind k : layers) {
            sb.append(k.symbol());
        }
        return sb.toString();
    }

    /** Mamba head dimension P = Di / Hm. */
    public int ssmHeadDim() {
        return ssmInner / ssmHeads;
    }

    /** Channels of the causal conv: x, B and C together. */
    public int convChannels() {
        return ssmInner + 2 * ssmGroups * ssmState;
    }

    /** Width of the Mamba input projection: z, xBC and dt. */
    public int ssmInProjection() {
        return 2 * ssmInner + 2 * ssmGroups * ssmState + ssmHeads;
    }

    /** Bytes of Mamba state (SSM state and conv window, float32) one sequence carries, whatever its length. */
    public long mambaStateBytes() {
        long perLayer = (long) ssmHeads * ssmHeadDim() * ssmState + (long) convChannels() * (convKernel - 1);
        return count(LayerKind.MAMBA) * perLayer * Float.BYTES;
    }

    /** Bytes of float32 KV cache each position of a sequence adds. */
    public long kvBytesPerPosition() {
        long n = 0;
        for (int l = 0; l < layerCount(); l++) {
            n += layer(l) == LayerKind.ATTENTION ? 2L * headCountKv[l] * headDim * Float.BYTES : 0;
        }
        return n;
    }

    /** Number of layers of the given kind. */
    public int count(LayerKind kind) {
        int n = 0;
        for (LayerKind k : layers) {
            n += k == kind ? 1 : 0;
        }
        return n;
    }

    /** Reads and checks the configuration; the messages name the offending key. */
    public static NemotronHConfig fromMetadata(GGUFMetadata md) throws GGUFException {
        String arch = md.getString("general.architecture");
        if (!ARCHITECTURE.equals(arch)) {
            throw new GGUFException("model architecture is '" + arch + "', but this engine runs '" + ARCHITECTURE
                    + "' (NVIDIA Nemotron-H) models only");
        }
        String p = ARCHITECTURE + ".";
        int blocks = positive(md, p + "block_count");
        int embd = positive(md, p + "embedding_length");
        int[] ff = md.getIntArrayOrScalar(p + "feed_forward_length", blocks);
        int[] kv = md.getIntArrayOrScalar(p + "attention.head_count_kv", blocks);
        int heads = md.getIntArrayOrScalar(p + "attention.head_count", blocks)[0];
        List<LayerKind> kinds = new ArrayList<>(blocks);
        for (int i = 0; i < blocks; i++) {
            if (ff[i] < 0 || kv[i] < 0) {
                throw new GGUFException("layer " + i + " has a negative feed_forward_length or head_count_kv");
            }
            kinds.add(ff[i] > 0 ? LayerKind.MLP : kv[i] > 0 ? LayerKind.ATTENTION : LayerKind.MAMBA);
        }
        int headDim = md.findInt(p + "attention.key_length").orElse(heads > 0 ? embd / Math.max(heads, 1) : 0);
        int valueLength = md.findInt(p + "attention.value_length").orElse(headDim);
        if (valueLength != headDim) {
            throw new GGUFException("attention.key_length " + headDim + " differs from attention.value_length "
                    + valueLength + "; this engine needs them equal");
        }
        float eps = md.contains(p + "attention.layer_norm_rms_epsilon")
                ? md.getFloat(p + "attention.layer_norm_rms_epsilon")
                : md.findFloat(p + "attention.layer_norm_epsilon").orElse(1e-5f);
        int ssmHeads = md.getInt(p + "ssm.time_step_rank");
        int ssmInner = md.getInt(p + "ssm.inner_size");
        int groups = md.getInt(p + "ssm.group_count");
        int state = md.getInt(p + "ssm.state_size");
        int conv = md.getInt(p + "ssm.conv_kernel");
        int vocab = md.findInt(p + "vocab_size").orElse(0);
        if (vocab == 0 && md.contains("tokenizer.ggml.tokens")) {
            vocab = md.getArray("tokenizer.ggml.tokens").length();
        }
        int context = md.findInt(p + "context_length").orElse(TRAINED_CONTEXT);
        context = Math.min(context <= 0 ? TRAINED_CONTEXT : context, TRAINED_CONTEXT);
        float scale = md.findFloat(p + "attention.scale").orElse(0f);
        if (scale == 0f && headDim > 0) {
            scale = (float) (1.0 / Math.sqrt(headDim));
        }
        NemotronHConfig c = new NemotronHConfig(embd, kinds, ff, heads, kv, headDim, conv, ssmInner, state,
                ssmHeads, groups, eps, scale, vocab, context);
        c.validate();
        return c;
    }

    private static int positive(GGUFMetadata md, String key) throws GGUFException {
        int v = md.getInt(key);
        if (v <= 0) {
            throw new GGUFException("metadata key '" + key + "' is " + v + ", expected a positive number");
        }
        return v;
    }

    private void validate() throws GGUFException {
        if (count(LayerKind.MAMBA) > 0) {
            require(ssmHeads > 0 && ssmInner > 0 && ssmGroups > 0 && ssmState > 0 && convKernel > 1,
                    "Mamba layers need positive ssm.time_step_rank, inner_size, group_count, state_size and conv_kernel > 1");
            require(ssmInner % ssmHeads == 0, "ssm.inner_size " + ssmInner + " is not a multiple of ssm.time_step_rank " + ssmHeads);
            require(ssmHeads % ssmGroups == 0, "ssm.time_step_rank " + ssmHeads + " is not a multiple of ssm.group_count " + ssmGroups);
        }
        if (count(LayerKind.ATTENTION) > 0) {
            require(headCount > 0 && headDim > 0, "attention layers need positive attention.head_count and key_length");
            for (int i = 0; i < layerCount(); i++) {
                if (layer(i) == LayerKind.ATTENTION) {
                    require(headCount % headCountKv[i] == 0, "layer " + i + ": attention.head_count " + headCount
                            + " is not a multiple of head_count_kv " + headCountKv[i]);
                }
            }
        }
        require(vocabSize > 0, "vocabulary size is unknown: neither " + ARCHITECTURE + ".vocab_size nor tokenizer.ggml.tokens is present");
        require(rmsEps > 0 && Float.isFinite(rmsEps), "RMS norm epsilon " + rmsEps + " is not a positive number");
    }

    private static void require(boolean ok, String message) throws GGUFException {
        if (!ok) {
            throw new GGUFException(message);
        }
    }

    @Override
    public String toString() {
        return "NemotronHConfig[E=" + embeddingLength + ", layers=" + pattern() + ", H=" + headCount + ", Dh=" + headDim
                + ", Di=" + ssmInner + ", N=" + ssmState + ", Hm=" + ssmHeads + ", G=" + ssmGroups + ", K=" + convKernel
                + ", V=" + vocabSize + ", ctx=" + contextLength + "]";
    }
}
