package io.nemotron4j.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector kernels against the scalar ones ({@link KernelCrossCheck}): in this JVM, whose flags enable the
 * Vector API at the CPU's preferred width; in child JVMs forced to 128 and 512 bits, so that the code paths for
 * 4 and 16 floats per vector are checked on any CPU (a width the CPU lacks runs slowly but exactly); and in a
 * child JVM without the module, which must fall back to the scalar kernels and say so once.
 */
class VectorKernelsTest {

    @Test
    void thisJvmComputesWithTheVectorApi() {
        assertThat(TensorFormats.kernels()).startsWith("Vector API, ");
        for (GGMLType type : KernelSets.SUPPORTED) {
            assertThat(TensorFormats.forType(type)).isInstanceOf(VectorFormat.class);
            assertThat(TensorFormats.scalarForType(type)).isNotInstanceOf(VectorFormat.class);
        }
    }

    @Test
    void vectorMatmulMatchesScalarMatmul() {
        for (GGMLType type : KernelSets.SUPPORTED) {
            KernelCrossCheck.check(type, new Random(500 + type.id()), false);
        }
    }

    @Test
    void vectorFloatKernelsMatchScalarOnes() {
        assertThat(TensorFormats.floatKernels()).isInstanceOf(VectorFloatKernels.class);
        KernelCrossCheck.checkFloatKernels(new Random(42));
    }

    /** F32 prefill and decode do the same arithmetic per row and token, so a prompt's chunking changes nothing. */
    @ParameterizedTest
    @ValueSource(ints = {8, 37, 1100})
    void f32MatmulAgreesWithRowDotsBitForBit(int cols) {
        Random random = new Random(cols);
        int rows = 9;
        int n = 5;
        long rowBytes = GGMLType.F32.bytesFor(cols);
        MemorySegment w = MemorySegment.ofArray(new byte[(int) (rows * rowBytes)]);
        RandomBlocks.fill(GGMLType.F32, w, 0, rows * cols, random, true);
        float[] x = RandomBlocks.gaussian(random, n * cols);
        float[] out = new float[n * rows];
        TensorFormat format = TensorFormats.forType(GGMLType.F32);
        format.matmul(w, rowBytes, cols, x, cols, n, out, rows, 1, rows);
        for (int t = 0; t < n; t++) {
            for (int r = 1; r < rows; r++) {
                assertThat(out[t * rows + r]).as("token %d row %d", t, r)
                        .isEqualTo(format.dot(w, r * rowBytes, x, t * cols, cols));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 512})
    void otherVectorWidthsMatchScalarMatmul(int bits) throws Exception {
        Child child = runChild(List.of("--add-modules", KernelChoice.VECTOR_MODULE,
                "-D" + KernelChoice.BITS_PROPERTY + "=" + bits), "quick");
        assertThat(child.exitCode).as(child.output).isZero();
        assertThat(child.output).contains("kernels: Vector API, " + bits + "-bit", "cross-check passed");
    }

    @Test
    void withoutTheModuleTheScalarKernelsRunAndSaySoOnce() throws Exception {
        Child child = runChild(List.of(), "quick");
        assertThat(child.exitCode).as(child.output).isZero();
        assertThat(child.output).contains("kernels: scalar", "cross-check passed");
        assertThat(child.output.split("is not enabled, so Nemotron4j runs its scalar kernels", -1)).hasSize(2);
    }

    @Test
    void theScalarKernelsCanBeForced() throws Exception {
        Child child = runChild(List.of("--add-modules", KernelChoice.VECTOR_MODULE,
                "-D" + KernelChoice.KERNELS_PROPERTY + "=scalar"), "quick");
        assertThat(child.exitCode).as(child.output).isZero();
        assertThat(child.output).contains("kernels: scalar", "cross-check passed");
    }

    @Test
    void theNativeKernelsRunWithTheInstructionSetAskedFor() throws Exception {
        List<String> flags = List.of("--add-modules", KernelChoice.VECTOR_MODULE, "--enable-native-access=ALL-UNNAMED",
                "-D" + KernelChoice.KERNELS_PROPERTY + "=native");
        Child best = runChild(flags, "none");
        assertThat(best.exitCode).as(best.output).isZero();
        if (!best.output.contains("; native ")) {
            // No native kernels on this machine: NativeKernelsTest holds that to the CPU and the build.
            assertThat(best.output).contains("Native kernels asked for with -D" + KernelChoice.KERNELS_PROPERTY);
            return;
        }
        // AVX2 runs wherever the native kernels run at all.
        Child avx2 = runChild(concat(flags, "-D" + KernelChoice.NATIVE_SET_PROPERTY + "=avx2"), "none");
        assertThat(avx2.exitCode).as(avx2.output).isZero();
        assertThat(avx2.output).contains("kernels: Vector API", "; native AVX2 for Q8_0 and Q4_0 matmuls");

        Child unknown = runChild(concat(flags, "-D" + KernelChoice.NATIVE_SET_PROPERTY + "=sse4"), "none");
        assertThat(unknown.exitCode).as(unknown.output).isNotZero();
        assertThat(unknown.output).contains(KernelChoice.NATIVE_SET_PROPERTY + " must be one of [AVX2, AVX512_VNNI, "
                + "AMX_INT8], got sse4");
    }

    private static List<String> concat(List<String> flags, String flag) {
        List<String> all = new ArrayList<>(flags);
        all.add(flag);
        return all;
    }

    private record Child(int exitCode, String output) {
    }

    /** Runs {@link KernelCrossCheck#main} in a new JVM on this JVM's class path, with stderr merged in. */
    private static Child runChild(List<String> jvmFlags, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KernelCrossCheck.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Child(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
