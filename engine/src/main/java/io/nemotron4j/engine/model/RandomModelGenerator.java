package io.nemotron4j.engine.model;

import io.nemotron4j.engine.gguf.GGUFValue;
import io.nemotron4j.engine.gguf.GGUFWriter;
import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.Quantizer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes a valid {@code nemotron_h} GGUF with random weights for any {@link ModelSpec}, e.g. the exact
 * Nano-9B-v2 shape for load and speed tests. Big matrices are stored in the requested type, everything else in
 * F32, as llama.cpp's converter does. Weights are drawn so that activations stay of order one through any depth
 * (matrices scaled by 1/√in, A negative, dt in [0.001, 0.1]); the same spec and seed always give the same bytes.
 *
 * <p>K-quants need rows that are a multiple of 256; like llama-quantize, a tensor whose rows are not falls back:
 * Q4_K and Q5_K to Q5_0, Q6_K to Q8_0 (this engine has no Q5_1, llama-quantize's choice for Q5_K).
 */
public final class RandomModelGenerator {

    /** Rows generated per task: enough work to amortise the row buffer, fine-grained enough to share. */
    private static final int ROWS_PER_TASK = 64;

    private RandomModelGenerator() {
    }

    /** Writes the model to {@code out}, replacing any file there. */
    public static void write(ModelSpec spec, GGMLType dtype, Path out) throws IOException {
        write(spec, dtype, out, java.util.Map.of());
    }

    /**
     * Writes the model with extra metadata, e.g. the {@code tokenizer.*} keys of another GGUF so that the random
     * model can be talked to through its chat template.
     */
    public static void write(ModelSpec spec, GGMLType dtype, Path out, java.util.Map<String, GGUFValue> extra)
            throws IOException {
        if (!dtype.isSupported()) {
            throw new IllegalArgumentException("cannot write weights as " + dtype);
        }
        GGUFWriter w = new GGUFWriter();
        metadata(spec, w);
        extra.forEach(w::put);
        int e = spec.embedding();
        matrix(w, spec, "token_embd.weight", dtype, e, spec.vocab(), 1.0f);
        vector(w, spec, "output_norm.weight", e, Init.NORM);
        if (!spec.tiedOutput()) {
            matrix(w, spec, "output.weight", dtype, e, spec.vocab(), scale(e));
        }
        String pattern = spec.pattern();
        for (int l = 0; l < pattern.length(); l++) {
            String p = "blk." + l + ".";
            vector(w, spec, p + "attn_norm.weight", e, Init.NORM);
            switch (LayerKind.fromSymbol(pattern.charAt(l))) {
                case MAMBA -> {
                    int channels = spec.ssmInner() + 2 * spec.ssmGroups() * spec.ssmState();
                    int projection = spec.ssmInner() + channels + spec.ssmHeads();
                    matrix(w, spec, p + "ssm_in.weight", dtype, e, projection, scale(e));
                    tensor(w, spec, p + "ssm_conv1d.weight", new long[] {spec.convKernel(), channels}, Init.CONV);
                    vector(w, spec, p + "ssm_conv1d.bias", channels, Init.SMALL);
                    vector(w, spec, p + "ssm_dt.bias", spec.ssmHeads(), Init.DT_BIAS);
                    tensor(w, spec, p + "ssm_a", new long[] {1, spec.ssmHeads()}, Init.A);
                    tensor(w, spec, p + "ssm_d", new long[] {1, spec.ssmHeads()}, Init.D);
                    tensor(w, spec, p + "ssm_norm.weight",
                            new long[] {spec.ssmInner() / spec.ssmGroups(), spec.ssmGroups()}, Init.NORM);
                    matrix(w, spec, p + "ssm_out.weight", dtype, spec.ssmInner(), e, scale(spec.ssmInner()));
                }
                case ATTENTION -> {
                    int q = spec.heads() * spec.headDim();
                    int kv = spec.kvHeads() * spec.headDim();
                    matrix(w, spec, p + "attn_q.weight", dtype, e, q, scale(e));
                    matrix(w, spec, p + "attn_k.weight", dtype, e, kv, scale(e));
                    matrix(w, spec, p + "attn_v.weight", dtype, e, kv, scale(e));
                    matrix(w, spec, p + "attn_output.weight", dtype, q, e, scale(q));
                }
                case MLP -> {
                    matrix(w, spec, p + "ffn_up.weight", dtype, e, spec.feedForward(), scale(e));
                    matrix(w, spec, p + "ffn_down.weight", dtype, spec.feedForward(), e, scale(spec.feedForward()));
                }
            }
        }
        w.write(out);
    }

    /** The type a matrix with rows of {@code cols} is stored in when {@code dtype} is asked for. */
    public static GGMLType storageType(GGMLType dtype, int cols) {
        if (cols % dtype.blockSize() == 0) {
            return dtype;
        }
        return switch (dtype) {
            case Q4_K, Q5_K -> GGMLType.Q5_0;
            case Q6_K -> GGMLType.Q8_0;
            default -> throw new IllegalArgumentException(
                    "rows of " + cols + " cannot be stored as " + dtype + " (block size " + dtype.blockSize() + ")");
        };
    }

    private static void metadata(ModelSpec s, GGUFWriter w) {
        String a = NemotronHConfig.ARCHITECTURE + ".";
        int layers = s.pattern().length();
        int[] ff = new int[layers];
        int[] kv = new int[layers];
        for (int l = 0; l < layers; l++) {
            LayerKind kind = LayerKind.fromSymbol(s.pattern().charAt(l));
            ff[l] = kind == LayerKind.MLP ? s.feedForward() : 0;
            kv[l] = kind == LayerKind.ATTENTION ? s.kvHeads() : 0;
        }
        w.put("general.architecture", GGUFValue.string(NemotronHConfig.ARCHITECTURE))
                .put("general.name", GGUFValue.string(s.name()))
                .put(a + "block_count", GGUFValue.uint32(layers))
                .put(a + "context_length", GGUFValue.uint32(s.context()))
                .put(a + "embedding_length", GGUFValue.uint32(s.embedding()))
                .put(a + "feed_forward_length", GGUFValue.int32Array(ff))
                .put(a + "attention.head_count", GGUFValue.uint32(s.heads()))
                .put(a + "attention.head_count_kv", GGUFValue.int32Array(kv))
                .put(a + "attention.key_length", GGUFValue.uint32(s.headDim()))
                .put(a + "attention.value_length", GGUFValue.uint32(s.headDim()))
                .put(a + "attention.layer_norm_epsilon", GGUFValue.float32(s.rmsEps()))
                .put(a + "attention.layer_norm_rms_epsilon", GGUFValue.float32(s.rmsEps()))
                .put(a + "ssm.conv_kernel", GGUFValue.uint32(s.convKernel()))
                .put(a + "ssm.inner_size", GGUFValue.uint32(s.ssmInner()))
                .put(a + "ssm.state_size", GGUFValue.uint32(s.ssmState()))
                .put(a + "ssm.time_step_rank", GGUFValue.uint32(s.ssmHeads()))
                .put(a + "ssm.group_count", GGUFValue.uint32(s.ssmGroups()))
                .put(a + "vocab_size", GGUFValue.uint32(s.vocab()));
    }

    private static float scale(int fanIn) {
        return (float) (1.0 / Math.sqrt(fanIn));
    }

    /** How the small F32 tensors are drawn. */
    private enum Init {
        NORM, CONV, SMALL, DT_BIAS, A, D;

        float draw(SplittableRandom r) {
            double u = r.nextDouble();
            return (float) switch (this) {
                case NORM -> 0.9 + 0.2 * u;
                case CONV -> u - 0.5;
                case SMALL -> 0.2 * (u - 0.5);
                case DT_BIAS -> {
                    // dt log-uniform in [1e-3, 1e-1], stored as its softplus inverse as Mamba initialises it.
                    double dt = Math.exp(Math.log(1e-3) + u * (Math.log(1e-1) - Math.log(1e-3)));
                    yield dt + Math.log(-Math.expm1(-dt));
                }
                case A -> -(1.0 + 15.0 * u);
                case D -> 0.5 + u;
            };
        }
    }

    private static void vector(GGUFWriter w, ModelSpec s, String name, int n, Init init) {
        tensor(w, s, name, new long[] {n}, init);
    }

    private static void tensor(GGUFWriter w, ModelSpec s, String name, long[] dims, Init init) {
        int n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, (int) d);
        }
        SplittableRandom r = random(s, name, 0);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = init.draw(r);
        }
        w.addTensor(name, GGMLType.F32, dims, values);
    }

    /** A matrix of {@code rows} rows of {@code cols}, uniform with standard deviation {@code std}, rows in parallel. */
    private static void matrix(GGUFWriter w, ModelSpec s, String name, GGMLType dtype, int cols, int rows, float std) {
        GGMLType type = storageType(dtype, cols);
        long rowBytes = type.bytesFor(cols);
        float amplitude = (float) (std * Math.sqrt(3.0));
        w.addTensor(name, type, new long[] {cols, rows}, (MemorySegment dst) -> {
            int tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
            IntStream.range(0, tasks).parallel().forEach(task -> {
                float[] row = new float[cols];
                int end = Math.min(rows, (task + 1) * ROWS_PER_TASK);
                for (int r = task * ROWS_PER_TASK; r < end; r++) {
                    SplittableRandom random = random(s, name, r + 1);
                    for (int c = 0; c < cols; c++) {
                        row[c] = amplitude * (2f * (float) random.nextDouble() - 1f);
                    }
                    Quantizer.quantize(type, row, 0, cols, dst, r * rowBytes);
                }
            });
        });
    }

    /** A generator for one row of one tensor, independent of the order rows are produced in. */
    private static SplittableRandom random(ModelSpec s, String tensor, int row) {
        long h = s.seed() * 0x9E3779B97F4A7C15L + tensor.hashCode();
        return new SplittableRandom(h * 0xBF58476D1CE4E5B9L + row);
    }
}
