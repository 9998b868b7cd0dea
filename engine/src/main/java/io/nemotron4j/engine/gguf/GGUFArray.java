package io.nemotron4j.engine.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A metadata array. Elements live in one primitive Java array chosen by the element type, so a 131,072-entry
 * token-type table costs one {@code long[]} rather than 131,072 boxes:
 * integer types use {@code long[]} (unsigned types zero-extended, UINT64 as raw bits), FLOAT32 {@code float[]},
 * FLOAT64 {@code double[]}, BOOL {@code boolean[]}, STRING {@code String[]}, and nested arrays
 * {@code GGUFArray[]}.
 *
 * @param elementType the type of every element
 * @param values the elements, as described above
 */
public record GGUFArray(GGUFValueType elementType, Object values) {

    public GGUFArray {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(values, "values");
        Class<?> expected = storageClass(elementType);
        if (values.getClass() != expected) {
            throw new IllegalArgumentException(
                    elementType + " array needs " + expected.getSimpleName() + " but got " + values.getClass().getSimpleName());
        }
    }

    static Class<?> storageClass(GGUFValueType elementType) {
        return switch (elementType) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> GGUFArray[].class;
        };
    }

    /** Number of elements. */
    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    /** The elements of an integer array. */
    public long[] longs() {
        return cast(long[].class);
    }

    /** The elements of a FLOAT32 array. */
    public float[] floats() {
        return cast(float[].class);
    }

    /** The elements of a STRING array. */
    public String[] strings() {
        return cast(String[].class);
    }

    /** The elements of an array of arrays. */
    public GGUFArray[] arrays() {
        return cast(GGUFArray[].class);
    }

    private <T> T cast(Class<T> type) {
        if (!type.isInstance(values)) {
            throw new IllegalStateException("array of " + elementType + " has no " + type.getSimpleName() + " view");
        }
        return type.cast(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GGUFArray other && elementType == other.elementType
                && Arrays.deepEquals(new Object[] {values}, new Object[] {other.values});
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public String toString() {
        int n = length();
        return elementType + "[" + n + "]";
    }
}
