package io.nemotron4j.engine.gguf;

import java.util.Objects;

/**
 * One typed metadata value. Integers of every width are held as {@link Long} (unsigned ones zero-extended,
 * UINT64 as raw bits), FLOAT32 as {@link Float}, FLOAT64 as {@link Double}, BOOL as {@link Boolean}, STRING as
 * {@link String} and ARRAY as {@link GGUFArray}. The type is kept so that a file can be written back exactly.
 *
 * @param type the on-disk type
 * @param value the value, as described above
 */
public record GGUFValue(GGUFValueType type, Object value) {

    public GGUFValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        Class<?> expected = switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> Long.class;
            case FLOAT32 -> Float.class;
            case FLOAT64 -> Double.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
            case ARRAY -> GGUFArray.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(type + " value must be a " + expected.getSimpleName());
        }
    }

    public static GGUFValue uint8(int v) {
        return new GGUFValue(GGUFValueType.UINT8, (long) (v & 0xFF));
    }

    public static GGUFValue int32(int v) {
        return new GGUFValue(GGUFValueType.INT32, (long) v);
    }

    public static GGUFValue uint32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(v + " does not fit a UINT32");
        }
        return new GGUFValue(GGUFValueType.UINT32, v);
    }

    public static GGUFValue uint64(long v) {
        return new GGUFValue(GGUFValueType.UINT64, v);
    }

    public static GGUFValue float32(float v) {
        return new GGUFValue(GGUFValueType.FLOAT32, v);
    }

    public static GGUFValue bool(boolean v) {
        return new GGUFValue(GGUFValueType.BOOL, v);
    }

    public static GGUFValue string(String v) {
        return new GGUFValue(GGUFValueType.STRING, v);
    }

    public static GGUFValue array(GGUFArray v) {
        return new GGUFValue(GGUFValueType.ARRAY, v);
    }

    /** An INT32 array, the type llama.cpp's converter writes for per-layer values. */
    public static GGUFValue int32Array(int... v) {
        long[] values = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            values[i] = v[i];
        }
        return array(new GGUFArray(GGUFValueType.INT32, values));
    }

    public static GGUFValue float32Array(float... v) {
        return array(new GGUFArray(GGUFValueType.FLOAT32, v.clone()));
    }

    public static GGUFValue stringArray(String... v) {
        return array(new GGUFArray(GGUFValueType.STRING, v.clone()));
    }

    @Override
    public String toString() {
        return type == GGUFValueType.STRING ? '"' + (String) value + '"' : String.valueOf(value);
    }
}
