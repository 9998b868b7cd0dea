package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native int8 kernels against a Java oracle of the same arithmetic: activations quantized per block of 32
 * (scale max|x|/127 rounded to half precision, values rounded to nearest even), exact integer block sums, scaled
 * and added in double. Also against the float matmul, which they approximate.
 *
 * <p>The build compiles the kernels wherever it finds a C compiler (CI has gcc) and the CI machines have AVX2 (some
 * AVX-512 VNNI too, and some AMX), so there they must load, and every test runs with each instruction set the CPU has; elsewhere
 * the test proves that the reason is said.
 */
class NativeKernelsTest {

    private static NativeKernels kernels;

    @BeforeAll
    static void load() {
        NativeKernels.Availability availability = NativeKernels.load();
        kernels = availability.kernels();
        if (kernels == null) {
            assertThat(availability.reason()).isNotBlank();
            assertThat(!cpuSets().isEmpty() && NativeKernels.class.getResource(NativeKernels.RESOURCE) != null)
                    .as("the kernels are built and the CPU has AVX2, yet: %s", availability.reason()).isFalse();
        }
    }

    /** The kernels with each instruction set this CPU runs, so that each is held to the same oracle. */
    private static List<NativeKernels> everySet() {
        return kernels == null ? List.of() : kernels.supported().stream().map(kernels::with).toList();
    }

    @Test
    void theKernelsRunWithEveryInstructionSetTheCpuHasAndTheBestByDefault() {
        if (kernels == null) {
            return;
        }
        assertThat(kernels.supported()).isEqualTo(cpuSets());
        // Sets are ordered weakest first.
        assertThat(kernels.instructionSet()).isEqualTo(List.copyOf(cpuSets()).getLast());
        for (NativeKernels.InstructionSet set : NativeKernels.InstructionSet.values()) {
            if (!cpuSets().contains(set)) {
                assertThatThrownBy(() -> kernels.with(set)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(set.label());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GGMLType.class, names = {"Q8_0", "Q4_0"})
    void matmulMatchesTheInt8OracleForEveryShape(GGMLType type) {
        if (kernels == null) {
            return;
        }
        for (NativeKernels set : everySet()) {
            Random random = new Random(type.id());
            for (int cols : new int[] {32, 64, 96, 160, 4480}) {
                for (int n : new int[] {1, 2, 3, 4, 5, 9}) {
                    check(set, type, random, 37, cols, n, 5, 30);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GGMLType.class, names = {"Q8_0", "Q4_0"})
    void aRowAndTokenGiveTheSameBitsWhateverTheBatch(GGMLType type) {
        if (kernels == null) {
            return;
        }
        // Block counts that are not whole groups take each kernel's last-group path. AVX2 takes decode's way up to
        // 4 tokens and a panel above; AVX-512 takes tokens in groups of up to 16 (19: a whole group and a part);
        // AMX goes without tiles up to 2 (Q8_0) or 3 (Q4_0) tokens, and takes tiles of 16 tokens, the last of a
        // power of two, above. 27 rows: a tile of 16 and a partial one.
        for (NativeKernels set : everySet()) {
            Random random = new Random(7);
            for (int cols : new int[] {320, 352, 8224}) {
                for (int n : new int[] {2, 3, 7, 19}) {
                    assertBatchedEqualsSolo(set, type, random, 27, cols, n);
                }
            }
        }
    }

    private static void assertBatchedEqualsSolo(NativeKernels kernels, GGMLType type, Random random, int rows, int cols, int n) {
        MemorySegment w = weights(type, rows, cols, random);
        float[] x = RandomBlocks.gaussian(random, n * cols);
        float[] batched = new float[n * rows];
        kernels.matmul(type, w, type.bytesFor(cols), cols, x, cols, n, batched, rows, 0, rows);
        float[] solo = new float[n * rows];
        for (int t = 0; t < n; t++) {
            float[] one = new float[rows];
            kernels.matmul(type, w, type.bytesFor(cols), cols, Arrays.copyOfRange(x, t * cols, (t + 1) * cols),
                    cols, 1, one, rows, 0, rows);
            System.arraycopy(one, 0, solo, t * rows, rows);
        }
        RandomBlocks.assertSameBits(batched, solo, kernels.instructionSet().label() + " " + type + " " + cols
                + " cols, " + n + " tokens: batched vs one token at a time");
    }

    @Test
    void extremeWeightsAndZeroActivationBlocks() {
        if (kernels == null) {
            return;
        }
        int cols = 128;
        MemorySegment w = MemorySegment.ofArray(new byte[Math.toIntExact(2 * GGMLType.Q8_0.bytesFor(cols))]);
        Random random = new Random(3);
        RandomBlocks.fill(GGMLType.Q8_0, w, 0, 8, random, true);
        for (int b = 0; b < 4; b++) {
            // Row 0 holds -128 everywhere, the one value whose magnitude does not fit a signed byte.
            for (int i = 0; i < 32; i++) {
                w.set(ValueLayout.JAVA_BYTE, b * 34L + 2 + i, (byte) -128);
            }
        }
        float[] x = RandomBlocks.gaussian(random, cols);
        Arrays.fill(x, 32, 64, 0f);
        x[70] = 3e4f;
        for (NativeKernels set : everySet()) {
            for (int n : new int[] {1, 2}) {
                // Two tokens take the batched path: the same vector twice.
                float[] xs = new float[n * cols];
                for (int t = 0; t < n; t++) {
                    System.arraycopy(x, 0, xs, t * cols, cols);
                }
                float[] out = new float[2 * n];
                set.matmul(GGMLType.Q8_0, w, GGMLType.Q8_0.bytesFor(cols), cols, xs, cols, n, out, 2, 0, 2);
                for (int r = 0; r < 2 * n; r++) {
                    long row = (r % 2) * GGMLType.Q8_0.bytesFor(cols);
                    double expected = Int8Oracle.dot(GGMLType.Q8_0, w, row, x, 0, cols);
                    assertThat((double) out[r]).as("%s, %d tokens, row %d", set.instructionSet().label(), n, r % 2)
                            .isCloseTo(expected, Offset.offset(
                                    1e-5 * Int8Oracle.magnitude(GGMLType.Q8_0, w, row, x, 0, cols)));
                }
            }
        }
    }

    @Test
    void threadsThatEndGiveTheirBuffersBack() throws Exception {
        if (kernels == null) {
            return;
        }
        // 64 tokens of 8192 columns: 0.7 MiB (AVX2) to 1.2 MiB (AVX-512) of quantized activations per thread.
        int rows = 8;
        int cols = 8192;
        int n = 64;
        MemorySegment w = weights(GGMLType.Q8_0, rows, cols, new Random(5));
        float[] x = RandomBlocks.gaussian(new Random(6), n * cols);
        for (NativeKernels set : everySet()) {
            matmulOnThreadsThatEnd(set, w, x, rows, cols, n, 16);
            long before = residentBytes();
            matmulOnThreadsThatEnd(set, w, x, rows, cols, n, 200);
            long grown = residentBytes() - before;
            assertThat(grown).as("%s: resident memory after 200 threads that each ran a matmul and ended (bytes)",
                    set.instructionSet().label()).isLessThan(64L << 20);
        }
    }

    private static void matmulOnThreadsThatEnd(NativeKernels set, MemorySegment w, float[] x, int rows, int cols,
            int n, int threads) throws InterruptedException {
        for (int i = 0; i < threads; i++) {
            Thread thread = new Thread(() -> set.matmul(GGMLType.Q8_0, w, GGMLType.Q8_0.bytesFor(cols), cols, x, cols,
                    n, new float[n * rows], rows, 0, rows));
            thread.start();
            thread.join();
        }
    }

    private static long residentBytes() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
    }

    @Test
    void refusesColumnsThatAreNotWholeBlocks() {
        if (kernels == null) {
            return;
        }
        MemorySegment w = MemorySegment.ofArray(new byte[34 * 4]);
        assertThatThrownBy(() -> kernels.matmul(GGMLType.Q8_0, w, 34, 48, new float[48], 48, 1, new float[1], 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("48 columns");
    }

    @Test
    void nativeFormatOnlyWrapsTheByteQuantizedTypes() {
        assertThatThrownBy(() -> new NativeInt8Format(TensorFormats.scalarForType(GGMLType.Q4_K), kernels))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q4_K");
    }

    private static void check(NativeKernels kernels, GGMLType type, Random random, int rows, int cols, int n, int rowStart, int rowEnd) {
        MemorySegment w = weights(type, rows, cols, random);
        long rowBytes = type.bytesFor(cols);
        int xStride = cols + 32;
        float[] x = RandomBlocks.gaussian(random, n * xStride);
        // An all-zero block (scale 0) and a block of one large value among small ones.
        Arrays.fill(x, 0, 32, 0f);
        if (cols >= 64) {
            Arrays.fill(x, 32, 64, 1e-3f);
            x[40] = 50f;
        }
        int outStride = rows + 3;
        float[] out = new float[n * outStride];
        Arrays.fill(out, Float.NaN);
        new NativeInt8Format(TensorFormats.forType(type), kernels)
                .matmul(w, rowBytes, cols, x, xStride, n, out, outStride, rowStart, rowEnd);
        TensorFormat floats = TensorFormats.scalarForType(type);
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < outStride; r++) {
                float actual = out[t * outStride + r];
                String where = kernels.instructionSet().label() + " " + type + " " + cols + " cols, " + n
                        + " vectors, token " + t + " row " + r;
                if (r < rowStart || r >= rowEnd) {
                    assertThat(actual).as(where + " is outside the rows asked for").isNaN();
                    continue;
                }
                double expected = Int8Oracle.dot(type, w, r * rowBytes, x, t * xStride, cols);
                double magnitude = Int8Oracle.magnitude(type, w, r * rowBytes, x, t * xStride, cols);
                assertThat(Math.abs(actual - expected)).as(where + " vs the int8 oracle").isLessThanOrEqualTo(
                        1e-5 * magnitude + 1e-30);
                // Byte activations cost at most half a step (max|x|/254) per element.
                double exact = floats.dot(w, r * rowBytes, x, t * xStride, cols);
                assertThat(Math.abs(actual - exact)).as(where + " vs the float matmul")
                        .isLessThanOrEqualTo(Int8Oracle.roundingBound(type, w, r * rowBytes, x, t * xStride, cols));
            }
        }
    }

    private static MemorySegment weights(GGMLType type, int rows, int cols, Random random) {
        MemorySegment w = MemorySegment.ofArray(new byte[Math.toIntExact(rows * type.bytesFor(cols))]);
        RandomBlocks.fill(type, w, 0, rows * cols / 32, random, true);
        return w;
    }

    /** The instruction sets /proc/cpuinfo says this CPU has, as the kernels need them. */
    private static Set<NativeKernels.InstructionSet> cpuSets() {
        List<String> flags;
        try {
            flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("flags"))
                    .findFirst().map(line -> List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")))
                    .orElse(List.of());
        } catch (IOException e) {
            return Set.of();
        }
        Set<NativeKernels.InstructionSet> sets = EnumSet.noneOf(NativeKernels.InstructionSet.class);
        if (flags.containsAll(List.of("avx2", "fma", "f16c"))) {
            sets.add(NativeKernels.InstructionSet.AVX2);
            if (flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni"))) {
                sets.add(NativeKernels.InstructionSet.AVX512_VNNI);
                // Linux lists the AMX flags only where it saves the tiles, so a process may ask to use them.
                if (flags.containsAll(List.of("amx_tile", "amx_int8"))) {
                    sets.add(NativeKernels.InstructionSet.AMX_INT8);
                }
            }
        }
        return sets;
    }
}
