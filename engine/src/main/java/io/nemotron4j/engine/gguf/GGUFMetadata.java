package io.nemotron4j.engine.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The key-value metadata of a GGUF file, in file order, with typed getters whose errors name the key and say
 * what was expected.
 */
public final class GGUFMetadata {

    private final Map<String, GGUFValue> values;

    /** Wraps the given entries; iteration keeps their order. */
    public GGUFMetadata(Map<String, GGUFValue> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** All entries in file order. */
    public Map<String, GGUFValue> asMap() {
        return values;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The raw value, if present. */
    public Optional<GGUFValue> find(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public GGUFValue get(String key) throws GGUFException {
        GGUFValue v = values.get(key);
        if (v == null) {
            throw new GGUFException("metadata key '" + key + "' is missing");
        }
        return v;
    }

    public String getString(String key) throws GGUFException {
        return (String) expect(key, get(key), GGUFValueType.STRING).value();
    }

    public Optional<String> findString(String key) throws GGUFException {
        return values.containsKey(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    /** An integer of any width, checked to fit an {@code int}. */
    public int getInt(String key) throws GGUFException {
        return toInt(key, getLong(key));
    }

    /** An integer of any width. */
    public long getLong(String key) throws GGUFException {
        GGUFValue v = get(key);
        if (!v.type().isInteger()) {
            throw new GGUFException("metadata key '" + key + "' has type " + v.type() + ", expected an integer");
        }
        return (Long) v.value();
    }

    public Optional<Integer> findInt(String key) throws GGUFException {
        return values.containsKey(key) ? Optional.of(getInt(key)) : Optional.empty();
    }

    /** A FLOAT32 or FLOAT64 value. */
    public float getFloat(String key) throws GGUFException {
        GGUFValue v = get(key);
        return switch (v.type()) {
            case FLOAT32 -> (Float) v.value();
            case FLOAT64 -> ((Double) v.value()).floatValue();
            default -> throw new GGUFException("metadata key '" + key + "' has type " + v.type() + ", expected a float");
        };
    }

    public Optional<Float> findFloat(String key) throws GGUFException {
        return values.containsKey(key) ? Optional.of(getFloat(key)) : Optional.empty();
    }

    public boolean getBoolean(String key) throws GGUFException {
        return (Boolean) expect(key, get(key), GGUFValueType.BOOL).value();
    }

    public GGUFArray getArray(String key) throws GGUFException {
        return (GGUFArray) expect(key, get(key), GGUFValueType.ARRAY).value();
    }

    /**
     * A per-layer integer: either an integer array of exactly {@code length} entries, or one scalar that holds for
     * every layer (as llama.cpp accepts both).
     */
    public int[] getIntArrayOrScalar(String key, int length) throws GGUFException {
        GGUFValue v = get(key);
        int[] out = new int[length];
        if (v.type().isInteger()) {
            java.util.Arrays.fill(out, toInt(key, (Long) v.value()));
            return out;
        }
        if (v.type() != GGUFValueType.ARRAY || !((GGUFArray) v.value()).elementType().isInteger()) {
            throw new GGUFException("metadata key '" + key + "' has type " + describe(v) + ", expected an integer or an integer array");
        }
        long[] longs = ((GGUFArray) v.value()).longs();
        if (longs.length != length) {
            throw new GGUFException("metadata key '" + key + "' has " + longs.length + " entries, expected " + length + " (one per layer)");
        }
        for (int i = 0; i < length; i++) {
            out[i] = toInt(key, longs[i]);
        }
        return out;
    }

    private static String describe(GGUFValue v) {
        return v.type() == GGUFValueType.ARRAY ? "ARRAY of " + ((GGUFArray) v.value()).elementType() : v.type().toString();
    }

    private static GGUFValue expect(String key, GGUFValue v, GGUFValueType type) throws GGUFException {
        if (v.type() != type) {
            throw new GGUFException("metadata key '" + key + "' has type " + v.type() + ", expected " + type);
        }
        return v;
    }

    private static int toInt(String key, long v) throws GGUFException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new GGUFException("metadata key '" + key + "' value " + Long.toUnsignedString(v) + " is out of range");
        }
        return (int) v;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
