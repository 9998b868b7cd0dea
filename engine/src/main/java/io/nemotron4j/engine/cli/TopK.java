package io.nemotron4j.engine.cli;

/** The indices of the k largest values of a row, best first. */
final class TopK {

    private TopK() {
    }

    static int[] of(float[] values, int offset, int length, int k) {
        int[] best = new int[k];
        int size = 0;
        for (int i = 0; i < length; i++) {
            float v = values[offset + i];
            if (size == k && !(v > values[offset + best[k - 1]])) {
                continue;
            }
            int at = size < k ? size++ : k - 1;
            while (at > 0 && v > values[offset + best[at - 1]]) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return java.util.Arrays.copyOf(best, size);
    }
}
