package io.nemotron4j.engine.gguf;

import io.nemotron4j.engine.tensor.GGMLType;

/**
 * One entry of a GGUF tensor table.
 *
 * @param name the tensor name, e.g. {@code blk.3.ssm_in.weight}
 * @param type the storage type
 * @param dims the shape in ggml order, innermost first: {@code {in, out}} for a weight matrix
 * @param offset the start of the tensor's bytes, relative to the data section
 * @param byteSize the bytes the tensor occupies
 */
public record GGUFTensorInfo(String name, GGMLType type, long[] dims, long offset, long byteSize) {

    public GGUFTensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** Size of dimension {@code i} (1 beyond the stored rank, as in ggml). */
    public long dim(int i) {
        return i < dims.length ? dims[i] : 1;
    }

    public int rank() {
        return dims.length;
    }

    /** Number of elements (the product of the dims; the reader has checked that it fits a long). */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The shape as text, ggml order, e.g. {@code [4480, 22656]}. */
    public String shape() {
        return java.util.Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GGUFTensorInfo t && name.equals(t.name) && type == t.type
                && java.util.Arrays.equals(dims, t.dims) && offset == t.offset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + type + " " + shape() + " @" + offset;
    }
}
