package io.nemotron4j.engine.gguf;

import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (version 2 or 3), memory-mapped read-only. The header is parsed and validated on {@link #open};
 * tensor bytes are never copied: {@link #data(GGUFTensorInfo)} hands out slices of the mapping, valid until
 * {@link #close()}.
 *
 * <p>Validation is strict because the file usually comes from a download: every count and length is checked
 * against the file size before it is used, and each problem has its own message.
 */
public final class GGUFFile implements AutoCloseable {

    /** "GGUF" read as a little-endian u32. */
    public static final int MAGIC = 0x46554747;
    public static final int DEFAULT_ALIGNMENT = 32;
    public static final String ALIGNMENT_KEY = "general.alignment";
    /** ggml tensors have at most four dimensions. */
    public static final int MAX_DIMS = 4;
    /** Arrays of arrays deeper than this are refused rather than recursed into. */
    static final int MAX_ARRAY_DEPTH = 8;
    /**
     * Integer arrays widen to {@code long[]}, so a file's u8 array costs eight times its bytes in memory; this cap
     * (over a hundred times the largest real table, a 131k vocabulary's merges) bounds what a hostile file can make us allocate.
     */
    static final int MAX_ARRAY_ELEMENTS = 1 << 25;
    /** Larger alignments would waste whole gigabytes of padding; no real file uses one. */
    static final int MAX_ALIGNMENT = 1 << 30;
    private static final long MAX_TENSOR_NAME_BYTES = 64 * 1024;

    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final int version;
    private final int alignment;
    private final long dataOffset;
    private final GGUFMetadata metadata;
    private final Map<String, GGUFTensorInfo> tensors;

    private GGUFFile(Path path, Arena arena, MemorySegment mapping, int version, int alignment, long dataOffset,
            GGUFMetadata metadata, Map<String, GGUFTensorInfo> tensors) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.version = version;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /**
     * Maps and validates a GGUF file.
     *
     * @throws GGUFException if the file is not a usable GGUF file; the message says why
     * @throws IOException if the file cannot be read
     */
    public static GGUFFile open(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "model file not found");
        }
        if (Files.isDirectory(path)) {
            throw new GGUFException(path + " is a directory, not a GGUF file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 24) {
                throw new GGUFException(path + ": file has only " + size + " bytes, too short for a GGUF header (truncated download?)");
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            return parse(path, arena, mapping);
        } catch (GGUFException e) {
            arena.close();
            throw new GGUFException(e.getMessage().startsWith(path.toString()) ? e.getMessage() : path + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static GGUFFile parse(Path path, Arena arena, MemorySegment mapping) throws GGUFException {
        HeaderCursor in = new HeaderCursor(mapping);
        int magic = in.u32("magic");
        if (magic != MAGIC) {
            throw new GGUFException(String.format(
                    "not a GGUF file: the first four bytes are %s, expected \"GGUF\"", describeMagic(magic)));
        }
        int version = in.u32("version");
        if (version != 2 && version != 3) {
            if (Integer.reverseBytes(version) == 2 || Integer.reverseBytes(version) == 3) {
                throw new GGUFException("big-endian GGUF files are not supported (version field reads "
                        + Integer.toUnsignedString(version) + "); use a little-endian file");
            }
            throw new GGUFException("unsupported GGUF version " + Integer.toUnsignedString(version)
                    + " (supported: 2 and 3)" + (version == 1 ? "; version 1 files are obsolete, convert the model again" : ""));
        }
        long tensorCount = in.u64("tensor count");
        long kvCount = in.u64("metadata key count");
        // Each entry has a fixed minimum footprint, so impossible counts fail before any allocation.
        in.requireFits(kvCount, 8 + 4 + 1, "metadata key");
        Map<String, GGUFValue> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i, HeaderCursor.MAX_KEY_BYTES);
            int typeId = in.u32("type of metadata key '" + key + "'");
            GGUFValueType type = GGUFValueType.fromId(typeId);
            if (type == null) {
                throw new GGUFException("metadata key '" + key + "' has unknown value type " + Integer.toUnsignedString(typeId));
            }
            GGUFValue value = readValue(in, key, type, 0);
            if (kv.putIfAbsent(key, value) != null) {
                throw new GGUFException("duplicate metadata key '" + key + "'");
            }
        }
        GGUFMetadata metadata = new GGUFMetadata(kv);
        int alignment = readAlignment(metadata);

        in.requireFits(tensorCount, 8 + 4 + 4 + 8, "tensor");
        Map<String, GGUFTensorInfo> infos = new LinkedHashMap<>();
        for (long i = 0; i < tensorCount; i++) {
            GGUFTensorInfo info = readTensorInfo(in, i, alignment);
            if (infos.putIfAbsent(info.name(), info) != null) {
                throw new GGUFException("duplicate tensor name '" + info.name() + "'");
            }
        }
        long dataOffset = alignUp(in.position(), alignment);
        long fileSize = mapping.byteSize();
        if (tensorCount > 0 && dataOffset > fileSize) {
            throw new GGUFException("truncated file: the tensor data section should start at byte " + dataOffset
                    + " but the file has " + fileSize + " bytes");
        }
        // Compared as lengths within the data section so that offsets and sizes near 2^63 cannot overflow.
        long dataBytes = fileSize - dataOffset;
        for (GGUFTensorInfo t : infos.values()) {
            if (t.offset() > dataBytes) {
                throw new GGUFException(String.format(Locale.ROOT,
                        "tensor '%s' has data offset %,d, past the end of the %,d-byte data section"
                                + " (corrupt header or truncated file)", t.name(), t.offset(), dataBytes));
            }
            if (t.byteSize() > dataBytes - t.offset()) {
                throw new GGUFException(String.format(Locale.ROOT,
                        "tensor '%s' is truncated: it needs %,d bytes from byte %,d but the file ends at byte %,d"
                                + " (truncated download?)", t.name(), t.byteSize(), dataOffset + t.offset(), fileSize));
            }
        }
        return new GGUFFile(path, arena, mapping, version, alignment, dataOffset, metadata,
                Collections.unmodifiableMap(infos));
    }

    private static String describeMagic(int magic) {
        byte[] b = {(byte) magic, (byte) (magic >>> 8), (byte) (magic >>> 16), (byte) (magic >>> 24)};
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x ", x & 0xFF));
        }
        return sb.toString().trim();
    }

    private static int readAlignment(GGUFMetadata metadata) throws GGUFException {
        Optional<GGUFValue> v = metadata.find(ALIGNMENT_KEY);
        if (v.isEmpty()) {
            return DEFAULT_ALIGNMENT;
        }
        if (!v.get().type().isInteger()) {
            throw new GGUFException(ALIGNMENT_KEY + " has type " + v.get().type() + ", expected UINT32");
        }
        long a = (Long) v.get().value();
        if (a <= 0 || a > MAX_ALIGNMENT || Long.bitCount(a) != 1) {
            String shown = v.get().type() == GGUFValueType.UINT64 ? Long.toUnsignedString(a) : Long.toString(a);
            throw new GGUFException(ALIGNMENT_KEY + " is " + shown + ", expected a power of two up to " + MAX_ALIGNMENT);
        }
        return (int) a;
    }

    private static GGUFValue readValue(HeaderCursor in, String key, GGUFValueType type, int depth) throws GGUFException {
        String what = "value of '" + key + "'";
        return switch (type) {
            case UINT8 -> new GGUFValue(type, (long) in.u8(what));
            case INT8 -> new GGUFValue(type, (long) (byte) in.u8(what));
            case UINT16 -> new GGUFValue(type, (long) in.u16(what));
            case INT16 -> new GGUFValue(type, (long) (short) in.u16(what));
            case UINT32 -> new GGUFValue(type, Integer.toUnsignedLong(in.u32(what)));
            case INT32 -> new GGUFValue(type, (long) in.u32(what));
            case UINT64, INT64 -> new GGUFValue(type, in.u64(what));
            case FLOAT32 -> new GGUFValue(type, in.f32(what));
            case FLOAT64 -> new GGUFValue(type, in.f64(what));
            case BOOL -> new GGUFValue(type, readBool(in, key));
            case STRING -> new GGUFValue(type, in.string(what, HeaderCursor.MAX_STRING_BYTES));
            case ARRAY -> new GGUFValue(type, readArray(in, key, depth + 1));
        };
    }

    private static boolean readBool(HeaderCursor in, String key) throws GGUFException {
        int b = in.u8("value of '" + key + "'");
        if (b > 1) {
            throw new GGUFException("metadata key '" + key + "' holds bool byte " + b + ", expected 0 or 1");
        }
        return b == 1;
    }

    private static GGUFArray readArray(HeaderCursor in, String key, int depth) throws GGUFException {
        if (depth > MAX_ARRAY_DEPTH) {
            throw new GGUFException("metadata key '" + key + "' nests arrays deeper than " + MAX_ARRAY_DEPTH + " levels");
        }
        int typeId = in.u32("element type of array '" + key + "'");
        GGUFValueType type = GGUFValueType.fromId(typeId);
        if (type == null) {
            throw new GGUFException("array '" + key + "' has unknown element type " + Integer.toUnsignedString(typeId));
        }
        long count = in.u64("length of array '" + key + "'");
        in.requireFits(count, type.minBytes(), "array '" + key + "' element");
        if (count > MAX_ARRAY_ELEMENTS) {
            throw new GGUFException(String.format(Locale.ROOT,
                    "array '%s' has %,d elements, more than the %,d this reader accepts", key, count, MAX_ARRAY_ELEMENTS));
        }
        int n = (int) count;
        String what = "element of array '" + key + "'";
        Object values = switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = switch (type) {
                        case UINT8 -> in.u8(what);
                        case INT8 -> (byte) in.u8(what);
                        case UINT16 -> in.u16(what);
                        case INT16 -> (short) in.u16(what);
                        case UINT32 -> Integer.toUnsignedLong(in.u32(what));
                        case INT32 -> in.u32(what);
                        default -> in.u64(what);
                    };
                }
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f32(what);
                }
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.f64(what);
                }
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readBool(in, key);
                }
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                for (int i = 0; i < n; i++) {
                    a[i] = in.string(what, HeaderCursor.MAX_STRING_BYTES);
                }
                yield a;
            }
            case ARRAY -> {
                GGUFArray[] a = new GGUFArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(in, key, depth + 1);
                }
                yield a;
            }
        };
        return new GGUFArray(type, values);
    }

    private static GGUFTensorInfo readTensorInfo(HeaderCursor in, long index, int alignment) throws GGUFException {
        String name = in.string("name of tensor #" + index, MAX_TENSOR_NAME_BYTES);
        if (name.isEmpty()) {
            throw new GGUFException("tensor #" + index + " has an empty name");
        }
        int nDims = in.u32("rank of tensor '" + name + "'");
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw new GGUFException("tensor '" + name + "' has " + Integer.toUnsignedString(nDims)
                    + " dimensions, expected 1 to " + MAX_DIMS);
        }
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.u64("dimension " + d + " of tensor '" + name + "'");
            if (dims[d] <= 0) {
                throw new GGUFException("tensor '" + name + "' has dimension " + d + " = "
                        + Long.toUnsignedString(dims[d]) + ", expected a positive size");
            }
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException e) {
                throw new GGUFException("tensor '" + name + "' has dimensions " + unsignedDims(dims, d + 1)
                        + " whose product overflows a 64-bit element count");
            }
        }
        int typeId = in.u32("type of tensor '" + name + "'");
        GGMLType type = GGMLType.fromId(typeId);
        if (type == null) {
            throw new GGUFException("tensor '" + name + "' has unknown tensor type " + Integer.toUnsignedString(typeId));
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new GGUFException("tensor '" + name + "' of type " + type + " has rows of " + dims[0]
                    + " elements, not a multiple of the block size " + type.blockSize());
        }
        long byteSize;
        try {
            byteSize = type.bytesFor(elements);
        } catch (ArithmeticException e) {
            throw new GGUFException("tensor '" + name + "' byte size overflows: " + e.getMessage());
        }
        long offset = in.u64("data offset of tensor '" + name + "'");
        if (offset < 0) {
            throw new GGUFException("tensor '" + name + "' has data offset " + Long.toUnsignedString(offset)
                    + ", beyond any file");
        }
        if (offset % alignment != 0) {
            throw new GGUFException("tensor '" + name + "' has data offset " + offset
                    + ", not a multiple of the alignment " + alignment);
        }
        return new GGUFTensorInfo(name, type, dims, offset, byteSize);
    }

    private static String unsignedDims(long[] dims, int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(Long.toUnsignedString(dims[i]));
        }
        return sb.append(']').toString();
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    /** The file this was read from. */
    public Path path() {
        return path;
    }

    public int version() {
        return version;
    }

    /** Data alignment in bytes ({@code general.alignment}, default 32). */
    public int alignment() {
        return alignment;
    }

    /** Absolute byte offset of the tensor data section. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Size of the file in bytes. */
    public long fileSize() {
        return mapping.byteSize();
    }

    public GGUFMetadata metadata() {
        return metadata;
    }

    /** Tensor infos in file order. */
    public List<GGUFTensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    /** The tensor with this name, if the file has one. */
    public Optional<GGUFTensorInfo> findTensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The tensor with this name, or an error naming it. */
    public GGUFTensorInfo tensor(String name) throws GGUFException {
        GGUFTensorInfo t = tensors.get(name);
        if (t == null) {
            throw new GGUFException(path + ": tensor '" + name + "' is missing");
        }
        return t;
    }

    /** The tensor's bytes as a slice of the mapping (no copy). */
    public MemorySegment data(GGUFTensorInfo tensor) {
        return mapping.asSlice(dataOffset + tensor.offset(), tensor.byteSize());
    }

    /** Unmaps the file; segments obtained from {@link #data} must not be used afterwards. */
    @Override
    public void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
