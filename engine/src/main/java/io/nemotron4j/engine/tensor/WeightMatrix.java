package io.nemotron4j.engine.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A row-major weight matrix {@code W[rows][cols]} living in a (memory-mapped) segment in any supported storage
 * type; {@code y = W·x} reads it in place. A GGUF tensor with dims {@code {in, out}} is a matrix of {@code out}
 * rows of {@code in} columns.
 *
 * @param name the tensor name, for error messages
 * @param format how the bytes are stored
 * @param data the encoded bytes, exactly {@code rows * rowBytes}
 * @param rows output dimension
 * @param cols input dimension
 */
public record WeightMatrix(String name, TensorFormat format, MemorySegment data, int rows, int cols) {

    public WeightMatrix {
        long expected = (long) rows * format.type().bytesFor(cols);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes for a " + rows + "x" + cols
                    + " " + format.type() + " matrix, expected " + expected);
        }
    }

    /** Wraps a segment holding {@code rows} rows of {@code cols} elements of the given type. */
    public static WeightMatrix of(String name, GGMLType type, MemorySegment data, int rows, int cols) {
        return new WeightMatrix(name, TensorFormats.forType(type), data, rows, cols);
    }

    public GGMLType type() {
        return format.type();
    }

    /** Bytes per row. */
    public long rowBytes() {
        return format.type().bytesFor(cols);
    }

    /** Decodes row {@code row} into {@code dst[dstOffset .. dstOffset+cols)}, e.g. an embedding lookup. */
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        format.dequantize(data, row * rowBytes(), dst, dstOffset, cols);
    }

    /** Row {@code row} dotted with {@code x[xOffset .. xOffset+cols)}. */
    public float dot(int row, float[] x, int xOffset) {
        return format.dot(data, row * rowBytes(), x, xOffset, cols);
    }
}
