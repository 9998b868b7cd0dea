package io.nemotron4j.engine.tensor;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@link TensorFormat} for each storage type the engine can compute with. */
public final class TensorFormats {

    private static final Map<GGMLType, TensorFormat> FORMATS = new EnumMap<>(GGMLType.class);

    static {
        for (TensorFormat format : new TensorFormat[] {
                new F32Format(), new F16Format(), new BF16Format(), new Q8_0Format(), new Q4_0Format(),
                new Q5_0Format(), new Q4_KFormat(), new Q5_KFormat(), new Q6_KFormat()}) {
            FORMATS.put(format.type(), format);
        }
    }

    private TensorFormats() {
    }

    /**
     * The format that reads {@code type}.
     *
     * @throws UnsupportedOperationException if the engine has no kernels for the type
     */
    public static TensorFormat forType(GGMLType type) {
        TensorFormat format = FORMATS.get(type);
        if (format == null) {
            throw unsupported(type);
        }
        return format;
    }

    /** Whether {@link #forType} has a format for {@code type}. */
    public static boolean isSupported(GGMLType type) {
        return FORMATS.containsKey(type);
    }

    /** The error for a type the engine has no format for, naming the ones it has. */
    static UnsupportedOperationException unsupported(GGMLType type) {
        return new UnsupportedOperationException("tensor type " + type + " is not supported by this engine"
                + " (supported: " + FORMATS.keySet().stream().map(GGMLType::name).collect(Collectors.joining(", "))
                + ")");
    }
}
