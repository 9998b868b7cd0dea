package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 12 bytes in which Q4_K and Q5_K pack eight 6-bit sub-block scales and eight 6-bit mins. Sub-blocks 0-3
 * keep theirs in the low six bits of bytes 0-3 (scales) and 4-7 (mins); sub-blocks 4-7 split theirs between a
 * nibble of bytes 8-11 and the two spare top bits of bytes 0-7.
 */
final class KScales {

    /** Bytes the packed scales and mins take. */
    static final int BYTES = 12;

    private KScales() {
    }

    /** The 6-bit scale of sub-block {@code k} from the packed bytes at {@code offset}. */
    static int scale(MemorySegment src, long offset, int k) {
        if (k < 4) {
            return at(src, offset, k) & 63;
        }
        return (at(src, offset, k + 4) & 15) | ((at(src, offset, k - 4) >>> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code k} from the packed bytes at {@code offset}. */
    static int min(MemorySegment src, long offset, int k) {
        if (k < 4) {
            return at(src, offset, k + 4) & 63;
        }
        return (at(src, offset, k + 4) >>> 4) | ((at(src, offset, k) >>> 6) << 4);
    }

    /**
     * The 6-bit scale of sub-block {@code k} from the packed bytes read as one little-endian long ({@code low},
     * bytes 0-7) and int ({@code high}, bytes 8-11): two reads per super-block instead of a byte read per field.
     */
    private static int scale(long low, int high, int k) {
        if (k < 4) {
            return (int) (low >>> (8 * k)) & 63;
        }
        int j = 8 * (k - 4);
        return (high >>> j) & 15 | ((int) (low >>> (j + 6)) & 3) << 4;
    }

    /** The 6-bit min of sub-block {@code k}, from the same long and int as {@link #scale(long, int, int)}. */
    private static int min(long low, int high, int k) {
        if (k < 4) {
            return (int) (low >>> (8 * k + 32)) & 63;
        }
        return (high >>> (8 * (k - 4) + 4)) & 15 | ((int) (low >>> (8 * k + 6)) & 3) << 4;
    }

    /**
     * Unpacks the super-block's eight scales times {@code d} into {@code out[offset..offset+8)} and its eight
     * mins times {@code dmin} into {@code out[offset+8..offset+16)}, from the packed bytes at {@code scales}.
     */
    static void unpack(MemorySegment src, long scales, float d, float dmin, float[] out, int offset) {
        long low = src.get(LittleEndian.LONG, scales);
        int high = src.get(LittleEndian.INT, scales + 8);
        for (int k = 0; k < 8; k++) {
            out[offset + k] = d * scale(low, high, k);
            out[offset + 8 + k] = dmin * min(low, high, k);
        }
    }

    /** Packs eight 6-bit scales and mins (each 0..63) into the 12 bytes at {@code offset}. */
    static void pack(int[] scales, int[] mins, MemorySegment dst, long offset) {
        for (int k = 0; k < 4; k++) {
            int hiScale = scales[k + 4];
            int hiMin = mins[k + 4];
            put(dst, offset, k, scales[k] | ((hiScale >>> 4) << 6));
            put(dst, offset, k + 4, mins[k] | ((hiMin >>> 4) << 6));
            put(dst, offset, k + 8, (hiScale & 15) | ((hiMin & 15) << 4));
        }
    }

    private static int at(MemorySegment src, long offset, int i) {
        return src.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
    }

    private static void put(MemorySegment dst, long offset, int i, int value) {
        dst.set(ValueLayout.JAVA_BYTE, offset + i, (byte) value);
    }
}
