package io.nemotron4j.engine.gguf;

import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.Quantizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes GGUF version 3 files: metadata first, then each tensor's bytes, aligned. Tensor bytes are produced by a
 * {@link TensorSource} straight into a memory-mapped region of the output, so files of many gigabytes (the
 * random-weight Nano-9B-v2) are written without holding them in memory.
 */
public final class GGUFWriter {

    /** Produces one tensor's bytes. */
    @FunctionalInterface
    public interface TensorSource {
        /** Fills {@code dst}, which is exactly the tensor's byte size. */
        void fill(MemorySegment dst) throws IOException;
    }

    private record PendingTensor(String name, GGMLType type, long[] dims, long byteSize, TensorSource source) {
    }

    private final Map<String, GGUFValue> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();

    /**
     * Adds or replaces a metadata entry.
     *
     * @throws IllegalArgumentException if an integer does not fit its declared type (it would be written
     *         truncated), or {@code general.alignment} is not a UINT32 power of two (readers would refuse the file)
     */
    public GGUFWriter put(String key, GGUFValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (value.type() == GGUFValueType.ARRAY) {
            checkRange(key, (GGUFArray) value.value());
        } else if (value.type().isInteger()) {
            checkRange(key, value.type(), (Long) value.value());
        }
        if (key.equals(GGUFFile.ALIGNMENT_KEY) && (value.type() != GGUFValueType.UINT32
                || Long.bitCount((Long) value.value()) != 1 || (Long) value.value() > GGUFFile.MAX_ALIGNMENT)) {
            throw new IllegalArgumentException(key + " must be a UINT32 power of two up to "
                    + GGUFFile.MAX_ALIGNMENT + ", got " + value.type() + " " + value);
        }
        metadata.put(key, value);
        return this;
    }

    private static void checkRange(String key, GGUFArray array) {
        if (array.elementType() == GGUFValueType.ARRAY) {
            for (GGUFArray a : array.arrays()) {
                checkRange(key, a);
            }
        } else if (array.elementType().isInteger()) {
            for (long v : array.longs()) {
                checkRange(key, array.elementType(), v);
            }
        }
    }

    private static void checkRange(String key, GGUFValueType type, long v) {
        boolean fits = switch (type) {
            case UINT8 -> v >= 0 && v <= 0xFF;
            case INT8 -> v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
            case UINT16 -> v >= 0 && v <= 0xFFFF;
            case INT16 -> v >= Short.MIN_VALUE && v <= Short.MAX_VALUE;
            case UINT32 -> v >= 0 && v <= 0xFFFF_FFFFL;
            case INT32 -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
            default -> true;
        };
        if (!fits) {
            throw new IllegalArgumentException("metadata key '" + key + "': " + v + " does not fit " + type);
        }
    }

    /** Adds a tensor whose bytes the source writes when the file is written. */
    public GGUFWriter addTensor(String name, GGMLType type, long[] dims, TensorSource source) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a tensor needs a name");
        }
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' was already added");
        }
        long elements = elementCount(name, dims);
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': rows of " + dims[0]
                    + " are not a multiple of the " + type + " block size " + type.blockSize());
        }
        long byteSize;
        try {
            byteSize = type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "' has more bytes than a long can count");
        }
        tensors.put(name, new PendingTensor(name, type, dims.clone(), byteSize, source));
        return this;
    }

    /** Adds a tensor given as floats, stored as {@code type} (quantized row by row where the type needs it). */
    public GGUFWriter addTensor(String name, GGMLType type, long[] dims, float[] values) {
        if (elementCount(name, dims) != values.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + values.length
                    + " values for dims " + java.util.Arrays.toString(dims));
        }
        return addTensor(name, type, dims, dst -> Quantizer.quantize(type, values, 0, values.length, dst, 0));
    }

    private static long elementCount(String name, long[] dims) {
        if (dims.length < 1 || dims.length > GGUFFile.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' needs 1 to " + GGUFFile.MAX_DIMS + " dimensions");
        }
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a non-positive dimension");
            }
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' has more elements than a long can count");
            }
        }
        return elements;
    }

    /** Writes the file, replacing any existing one. */
    public void write(Path path) throws IOException {
        int alignment = metadata.containsKey(GGUFFile.ALIGNMENT_KEY)
                ? (int) (long) (Long) metadata.get(GGUFFile.ALIGNMENT_KEY).value()
                : GGUFFile.DEFAULT_ALIGNMENT;
        List<Long> offsets = new ArrayList<>();
        long dataSize = 0;
        for (PendingTensor t : tensors.values()) {
            dataSize = GGUFFile.alignUp(dataSize, alignment);
            offsets.add(dataSize);
            dataSize += t.byteSize();
        }
        byte[] header = header(offsets);
        long dataOffset = GGUFFile.alignUp(header.length, alignment);
        long total = dataOffset + dataSize;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(header);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
            if (total > header.length) {
                // Extend to full size so the data region can be mapped; the padding reads as zeros.
                channel.write(ByteBuffer.wrap(new byte[1]), total - 1);
            }
            if (dataSize == 0) {
                return;
            }
            try (Arena arena = Arena.ofShared()) { // shared: sources may fill from several threads
                MemorySegment data = channel.map(FileChannel.MapMode.READ_WRITE, dataOffset, dataSize, arena);
                int i = 0;
                for (PendingTensor t : tensors.values()) {
                    t.source().fill(data.asSlice(offsets.get(i++), t.byteSize()));
                }
            }
        }
    }

    private byte[] header(List<Long> offsets) {
        Out out = new Out();
        out.u32(GGUFFile.MAGIC);
        out.u32(3);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, GGUFValue> e : metadata.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            writeValue(out, e.getValue().type(), e.getValue().value());
        }
        int i = 0;
        for (PendingTensor t : tensors.values()) {
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(offsets.get(i++));
        }
        return out.toByteArray();
    }

    private static void writeValue(Out out, GGUFValueType type, Object value) {
        switch (type) {
            case UINT8, INT8, BOOL -> out.u8(type == GGUFValueType.BOOL ? ((Boolean) value ? 1 : 0) : (int) (long) (Long) value);
            case UINT16, INT16 -> out.u16((int) (long) (Long) value);
            case UINT32, INT32 -> out.u32((int) (long) (Long) value);
            case UINT64, INT64 -> out.u64((Long) value);
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) value));
            case STRING -> out.string((String) value);
            case ARRAY -> writeArray(out, (GGUFArray) value);
        }
    }

    private static void writeArray(Out out, GGUFArray array) {
        GGUFValueType type = array.elementType();
        out.u32(type.id());
        out.u64(array.length());
        switch (type) {
            case FLOAT32 -> {
                for (float f : array.floats()) {
                    out.u32(Float.floatToRawIntBits(f));
                }
            }
            case FLOAT64 -> {
                for (double d : (double[]) array.values()) {
                    out.u64(Double.doubleToRawLongBits(d));
                }
            }
            case BOOL -> {
                for (boolean b : (boolean[]) array.values()) {
                    out.u8(b ? 1 : 0);
                }
            }
            case STRING -> {
                for (String s : array.strings()) {
                    out.string(s);
                }
            }
            case ARRAY -> {
                for (GGUFArray a : array.arrays()) {
                    writeArray(out, a);
                }
            }
            default -> {
                for (long v : array.longs()) {
                    writeValue(out, type, v);
                }
            }
        }
    }

    /** A growable little-endian byte sink for the header. */
    private static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(int v) {
            bytes.write(v);
        }

        void u16(int v) {
            scratch.clear();
            bytes.write(scratch.putShort((short) v).array(), 0, 2);
        }

        void u32(int v) {
            scratch.clear();
            bytes.write(scratch.putInt(v).array(), 0, 4);
        }

        void u64(long v) {
            scratch.clear();
            bytes.write(scratch.putLong(v).array(), 0, 8);
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes.write(b, 0, b.length);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
