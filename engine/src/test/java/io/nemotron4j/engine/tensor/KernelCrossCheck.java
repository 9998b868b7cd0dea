package io.nemotron4j.engine.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

/**
 * Holds {@link TensorFormats#forType} (the kernels this JVM picked) to {@link TensorFormats#scalarForType} on
 * random matrices: heap and off-heap segments starting at odd byte offsets, row ranges that cut the blocked
 * kernel's strips, widths that end in partial panels and partial vectors, and 1 to 7 activation vectors.
 *
 * <p>{@link VectorKernelsTest} runs it in its own JVM and, through {@link #main}, in child JVMs with other vector
 * widths and without the Vector API module, where it prints the kernels in use and fails with exit status 1.
 */
final class KernelCrossCheck {

    /** Σ|w·x| scales the tolerance, as in {@link TensorFormatTest}. */
    private static final double TOLERANCE = 1e-5;

    private KernelCrossCheck() {
    }

    /**
     * Prints the kernels in use, then cross-checks every type; {@code args[0] = "quick"} checks fewer shapes,
     * {@code "none"} none (the native kernels quantize activations, beyond this tolerance).
     */
    public static void main(String[] args) {
        System.out.println("kernels: " + TensorFormats.kernels());
        if (args.length > 0 && args[0].equals("none")) {
            return;
        }
        boolean quick = args.length > 0 && args[0].equals("quick");
        for (GGMLType type : KernelSets.SUPPORTED) {
            check(type, new Random(type.id()), quick);
        }
        checkFloatKernels(new Random(99));
        System.out.println("cross-check passed");
    }

    /** @throws AssertionError naming the first element that differs beyond the tolerance */
    static void check(GGMLType type, Random random, boolean quick) {
        int[] widths = switch (type.blockSize()) {
            case 1 -> quick ? new int[] {7, 37, 530} : new int[] {1, 7, 8, 37, 300, 530, 1100};
            case 32 -> quick ? new int[] {32, 544} : new int[] {32, 96, 544, 1088};
            default -> quick ? new int[] {256, 768} : new int[] {256, 512, 768, 1280};
        };
        try (Arena arena = Arena.ofConfined()) {
            for (int cols : widths) {
                for (long base : quick ? new long[] {3} : new long[] {0, 3, 17}) {
                    int rows = quick ? 6 : 11;
                    long rowBytes = type.bytesFor(cols);
                    long size = base + rows * rowBytes;
                    MemorySegment heap = MemorySegment.ofArray(new byte[(int) size]).asSlice(base);
                    MemorySegment offHeap = arena.allocate(size).asSlice(base);
                    for (MemorySegment w : new MemorySegment[] {heap, offHeap}) {
                        RandomBlocks.fill(type, w, 0, rows * cols / type.blockSize(), random, true);
                        for (int n = 1; n <= 7; n += quick ? 3 : 1) {
                            compare(type, w, rowBytes, rows, cols, n, random);
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link TensorFormats#floatKernels()} against {@link ScalarFloatKernels} at lengths with and without a partial
     * vector and at odd offsets: the state rows {@code ssmStep} writes are equal bit for bit (both round the two
     * products and their sum alike), sums and {@code axpy} (a fused multiply-add in the vector version) agree to
     * float rounding.
     */
    static void checkFloatKernels(Random random) {
        FloatKernels fast = TensorFormats.floatKernels();
        FloatKernels slow = new ScalarFloatKernels();
        for (int n : new int[] {1, 3, 4, 8, 15, 16, 17, 64, 130}) {
            int ao = random.nextInt(5);
            int bo = random.nextInt(5);
            float[] a = RandomBlocks.gaussian(random, ao + n);
            float[] b = RandomBlocks.gaussian(random, bo + n);
            float[] c = RandomBlocks.gaussian(random, n);
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                magnitude += Math.abs((double) a[ao + i] * b[bo + i]);
            }
            near("dot, n=" + n, fast.dot(a, ao, b, bo, n), slow.dot(a, ao, b, bo, n), magnitude);

            float[] y1 = RandomBlocks.gaussian(random, bo + n);
            float[] y2 = y1.clone();
            fast.axpy(0.37f, a, ao, y1, bo, n);
            slow.axpy(0.37f, a, ao, y2, bo, n);
            for (int i = 0; i < y1.length; i++) {
                near("axpy, n=" + n + ", element " + i, y1[i], y2[i], Math.abs(y2[i]) + 1);
            }
            fast.scale(y1, bo, n, -1.5f);
            slow.scale(y2, bo, n, -1.5f);
            for (int i = 0; i < y1.length; i++) {
                near("scale, n=" + n + ", element " + i, y1[i], y2[i], Math.abs(y2[i]) + 1);
            }

            float[] s1 = RandomBlocks.gaussian(random, ao + n);
            float[] s2 = s1.clone();
            float got = fast.ssmStep(s1, ao, n, 0.9f, 0.25f, b, bo, c, 0);
            float want = slow.ssmStep(s2, ao, n, 0.9f, 0.25f, b, bo, c, 0);
            if (!Arrays.equals(s1, s2)) {
                throw new AssertionError("ssmStep, n=" + n + ": the state rows differ");
            }
            double stateMagnitude = 0;
            for (int i = 0; i < n; i++) {
                stateMagnitude += Math.abs((double) s2[ao + i] * c[i]);
            }
            near("ssmStep, n=" + n, got, want, stateMagnitude);
        }
    }

    private static void near(String where, float got, float want, double magnitude) {
        if (!(Math.abs(got - want) <= TOLERANCE * magnitude + Float.MIN_NORMAL)) {
            throw new AssertionError(where + ": " + got + ", scalar kernels " + want);
        }
    }

    private static void compare(GGMLType type, MemorySegment w, long rowBytes, int rows, int cols, int n,
            Random random) {
        int xStride = cols + random.nextInt(3);
        int outStride = rows + random.nextInt(3);
        float[] x = RandomBlocks.gaussian(random, n * xStride);
        int rowStart = random.nextInt(2);
        int rowEnd = rows - random.nextInt(2);
        float[] expected = new float[n * outStride];
        float[] actual = new float[n * outStride];
        Arrays.fill(actual, Float.NaN);
        TensorFormats.scalarForType(type).matmul(w, rowBytes, cols, x, xStride, n, expected, outStride, rowStart,
                rowEnd);
        TensorFormats.forType(type).matmul(w, rowBytes, cols, x, xStride, n, actual, outStride, rowStart, rowEnd);
        float[] row = new float[cols];
        for (int r = 0; r < outStride; r++) {
            boolean inRange = r >= rowStart && r < rowEnd;
            if (inRange) {
                ScalarReference.dequantize(type, w, r * rowBytes, row, 0, cols);
            }
            for (int t = 0; t < n; t++) {
                float got = actual[t * outStride + r];
                String where = type + " " + cols + " columns, n=" + n + ", rows [" + rowStart + ", " + rowEnd
                        + "): vector " + t + " row " + r;
                if (!inRange) {
                    if (!Float.isNaN(got)) {
                        throw new AssertionError(where + " lies outside the range but was written: " + got);
                    }
                    continue;
                }
                double magnitude = 0;
                for (int i = 0; i < cols; i++) {
                    magnitude += Math.abs((double) row[i] * x[t * xStride + i]);
                }
                float want = expected[t * outStride + r];
                if (!(Math.abs(got - want) <= TOLERANCE * magnitude + Float.MIN_NORMAL)) {
                    throw new AssertionError(where + ": " + got + ", scalar kernels " + want);
                }
            }
        }
    }
}
