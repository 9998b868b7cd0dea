package io.nemotron4j.engine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of a Nemotron-H model for the random-weight generator, in the JSON vocabulary of the reference
 * fixtures' {@code config.json} ({@code n_embd}, {@code pattern}, {@code d_inner} ...). Presets ship for the exact
 * NVIDIA-Nemotron-Nano-9B-v2 shape and for a shallow variant with the same widths.
 *
 * @param name written as {@code general.name}
 * @param pattern one character per layer: {@code M} Mamba-2, {@code *} attention, {@code -} MLP
 * @param embedding hidden size E
 * @param vocab vocabulary size V
 * @param context context length written to the file
 * @param heads attention query heads
 * @param kvHeads attention KV heads
 * @param headDim attention head dimension
 * @param feedForward MLP width
 * @param ssmInner Mamba inner width Di
 * @param ssmState SSM state size N
 * @param ssmGroups B/C groups G
 * @param ssmHeads Mamba heads Hm
 * @param convKernel conv kernel K
 * @param rmsEps RMSNorm epsilon
 * @param seed random seed: the same spec and seed give the same file
 * @param tiedOutput whether to omit {@code output.weight} and reuse the embedding
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSpec(
        @JsonProperty(value = "name") String name,
        @JsonProperty(value = "pattern", required = true) String pattern,
        @JsonProperty(value = "n_embd", required = true) int embedding,
        @JsonProperty(value = "n_vocab", required = true) int vocab,
        @JsonProperty("n_ctx") int context,
        @JsonProperty("n_head") int heads,
        @JsonProperty("n_head_kv") int kvHeads,
        @JsonProperty("head_dim") int headDim,
        @JsonProperty("n_ff") int feedForward,
        @JsonProperty("d_inner") int ssmInner,
        @JsonProperty("d_state") int ssmState,
        @JsonProperty("n_group") int ssmGroups,
        @JsonProperty("n_ssm_head") int ssmHeads,
        @JsonProperty("d_conv") int convKernel,
        @JsonProperty("rms_eps") float rmsEps,
        @JsonProperty("seed") long seed,
        @JsonProperty("tied_output") boolean tiedOutput) {

    /** Absent optional keys arrive as 0 and take their defaults in the constructor; required ones must be there. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    public ModelSpec {
        name = name == null ? "nemotron-h-random" : name;
        context = context <= 0 ? 4096 : context;
        convKernel = convKernel <= 0 ? 4 : convKernel;
        rmsEps = rmsEps <= 0 ? 1e-5f : rmsEps;
        for (char c : pattern.toCharArray()) {
            LayerKind.fromSymbol(c);
        }
        require(embedding > 0 && vocab > 0, "n_embd and n_vocab must be positive");
        if (pattern.indexOf('M') >= 0) {
            require(ssmInner > 0 && ssmState > 0 && ssmGroups > 0 && ssmHeads > 0,
                    "a pattern with Mamba layers needs d_inner, d_state, n_group and n_ssm_head");
            require(ssmInner % ssmHeads == 0 && ssmHeads % ssmGroups == 0 && ssmInner % ssmGroups == 0,
                    "d_inner must divide into n_ssm_head heads, and heads and d_inner into n_group groups");
        }
        if (pattern.indexOf('*') >= 0) {
            require(heads > 0 && kvHeads > 0 && headDim > 0 && heads % kvHeads == 0,
                    "a pattern with attention layers needs n_head, n_head_kv (dividing n_head) and head_dim");
        }
        if (pattern.indexOf('-') >= 0) {
            require(feedForward > 0, "a pattern with MLP layers needs n_ff");
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("model spec: " + message);
        }
    }

    /** Reads a spec from JSON, or a preset by name ({@code nano-9b-v2}, {@code nano-9b-v2-shallow}). */
    public static ModelSpec load(String fileOrPreset) throws IOException {
        try (InputStream preset = ModelSpec.class.getResourceAsStream(fileOrPreset + ".json")) {
            if (preset != null && !fileOrPreset.contains("/")) {
                return parse(preset.readAllBytes(), "preset " + fileOrPreset);
            }
        }
        Path path = Path.of(fileOrPreset);
        if (!Files.isRegularFile(path)) {
            throw new IOException("model spec " + fileOrPreset + " is neither a file nor a preset (presets: nano-9b-v2, nano-9b-v2-shallow)");
        }
        return parse(Files.readAllBytes(path), path.toString());
    }

    private static ModelSpec parse(byte[] json, String source) throws IOException {
        try {
            return JSON.readValue(json, ModelSpec.class);
        } catch (JacksonException e) {
            throw new IOException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The spec with another vocabulary size. */
    public ModelSpec withVocab(int newVocab) {
        return new ModelSpec(name, pattern, embedding, newVocab, context, heads, kvHeads, headDim, feedForward, ssmInner,
                ssmState, ssmGroups, ssmHeads, convKernel, rmsEps, seed, tiedOutput);
    }

    /** The spec with another seed. */
    public ModelSpec withSeed(long newSeed) {
        return new ModelSpec(name, pattern, embedding, vocab, context, heads, kvHeads, headDim, feedForward, ssmInner,
                ssmState, ssmGroups, ssmHeads, convKernel, rmsEps, newSeed, tiedOutput);
    }
}
