package io.nemotron4j.engine.model;

import io.nemotron4j.engine.gguf.GGUFException;
import io.nemotron4j.engine.gguf.GGUFFile;
import io.nemotron4j.engine.gguf.GGUFTensorInfo;
import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.TensorFormats;
import io.nemotron4j.engine.tensor.WeightMatrix;

import java.util.Arrays;

/**
 * Binds the tensors of a GGUF file to the model, checking each one's presence, shape and type. Matrices stay in
 * the mapping; only the small float vectors (norms, conv taps, biases, A, D) are decoded into arrays.
 */
final class ModelWeights {

    private final GGUFFile file;

    ModelWeights(GGUFFile file) {
        this.file = file;
    }

    /** A matrix with {@code rows} rows of {@code cols} (GGUF dims {@code {cols, rows}}). */
    WeightMatrix matrix(String name, int cols, int rows) throws GGUFException {
        GGUFTensorInfo t = tensor(name, cols, rows);
        if (!t.type().isSupported()) {
            throw new GGUFException(file.path() + ": tensor " + name + " has type " + t.type()
                    + ", which this engine cannot compute with (supported: " + supportedTypes() + ")");
        }
        return WeightMatrix.of(name, t.type(), file.data(t), rows, cols);
    }

    /** A vector of {@code length} values (any shape with that many elements), decoded to float32. */
    float[] vector(String name, int length) throws GGUFException {
        GGUFTensorInfo t = file.tensor(name);
        if (t.elementCount() != length) {
            throw new GGUFException(file.path() + ": tensor " + name + " has shape " + t.shape() + " ("
                    + t.elementCount() + " values), expected " + length + " values");
        }
        if (!t.type().isSupported()) {
            throw new GGUFException(file.path() + ": tensor " + name + " has type " + t.type()
                    + ", which this engine cannot compute with (supported: " + supportedTypes() + ")");
        }
        float[] out = new float[length];
        TensorFormats.forType(t.type()).dequantize(file.data(t), 0, out, 0, length);
        return out;
    }

    /** Like {@link #vector}, or {@code null} when the file has no such tensor (optional biases). */
    float[] optionalVector(String name, int length) throws GGUFException {
        return has(name) ? vector(name, length) : null;
    }

    boolean has(String name) {
        return file.findTensor(name).isPresent();
    }

    private GGUFTensorInfo tensor(String name, long... dims) throws GGUFException {
        GGUFTensorInfo t = file.tensor(name);
        long[] actual = t.dims();
        // Trailing 1s are not part of a ggml shape.
        int rank = actual.length;
        while (rank > dims.length && actual[rank - 1] == 1) {
            rank--;
        }
        if (!Arrays.equals(Arrays.copyOf(actual, rank), dims)) {
            throw new GGUFException(file.path() + ": tensor " + name + " has shape " + t.shape() + ", expected "
                    + Arrays.toString(dims));
        }
        return t;
    }

    private static String supportedTypes() {
        return Arrays.stream(GGMLType.values()).filter(GGMLType::isSupported).map(Enum::name)
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
