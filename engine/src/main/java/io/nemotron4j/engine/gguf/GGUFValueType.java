package io.nemotron4j.engine.gguf;

/** The metadata value types of the GGUF container, with their on-disk ids. */
public enum GGUFValueType {
    UINT8(1),
    INT8(1),
    UINT16(2),
    INT16(2),
    UINT32(4),
    INT32(4),
    FLOAT32(4),
    BOOL(1),
    STRING(8),
    ARRAY(12),
    UINT64(8),
    INT64(8),
    FLOAT64(8);

    private static final GGUFValueType[] VALUES = values();

    private final int minBytes;

    GGUFValueType(int minBytes) {
        this.minBytes = minBytes;
    }

    /** The id written to the file (the ordinal, as in the GGUF specification). */
    public int id() {
        return ordinal();
    }

    /**
     * The fewest bytes one value of this type can occupy on disk (a string's length prefix, an array's element
     * type and count), used to reject counts the file cannot possibly hold before allocating anything.
     */
    int minBytes() {
        return minBytes;
    }

    boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with the given id, or {@code null} when GGUF defines none. */
    public static GGUFValueType fromId(int id) {
        return id >= 0 && id < VALUES.length ? VALUES[id] : null;
    }
}
