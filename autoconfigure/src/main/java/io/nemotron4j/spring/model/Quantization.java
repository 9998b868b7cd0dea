package io.nemotron4j.spring.model;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.tensor.GGMLType;

/**
 * How a model's weight matrices are stored: one tensor type (e.g. {@code Q8_0}), or {@link #MIXED} when they use
 * several, with the type that holds most of their elements.
 *
 * <p>Tensors of one dimension do not count, nor do {@code F32} matrices beside matrices of another type: every GGUF
 * keeps norms, biases, convolution kernels and state parameters in {@code F32} whatever its weights' quantization.
 *
 * @param name the single weight type, or {@link #MIXED}
 * @param dominantType the type that holds most weight elements (the single type when there is one)
 * @since 0.1.0
 */
public record Quantization(String name, String dominantType) {

    /** The name when the weight matrices use more than one type. */
    public static final String MIXED = "mixed";

    /**
     * The quantization of a model's tensors.
     * @param tensors the GGUF's tensor table
     * @return the quantization
     * @throws IllegalArgumentException if there is no tensor of two or more dimensions
     */
    public static Quantization of(List<GGUFTensorInfo> tensors) {
        Map<GGMLType, Long> elements = new EnumMap<>(GGMLType.class);
        for (GGUFTensorInfo tensor : tensors) {
            if (tensor.rank() >= 2) {
                elements.merge(tensor.type(), tensor.elementCount(), Long::sum);
            }
        }
        if (elements.isEmpty()) {
            throw new IllegalArgumentException("the model has no weight matrices (no tensor of two dimensions)");
        }
        if (elements.size() > 1) {
            elements.remove(GGMLType.F32);
        }
        String dominant = elements.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey().name();
        return new Quantization((elements.size() == 1) ? dominant : MIXED, dominant);
    }

    /** For people: the type, or {@code mixed (mostly Q4_K)}. */
    @Override
    public String toString() {
        return this.name.equals(MIXED) ? MIXED + " (mostly " + this.dominantType + ")" : this.name;
    }

}
