package io.nemotron4j.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nemotron4j.engine.tensor.GGMLType;
import io.nemotron4j.engine.tensor.Quantizer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GGUFRoundTripTest {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    private static GGUFValue of(GGUFValueType type, Object value) {
        return new GGUFValue(type, value);
    }

    private static GGUFValue array(GGUFValueType elementType, Object values) {
        return GGUFValue.array(new GGUFArray(elementType, values));
    }

    /** One entry per scalar type, at the edges of its range, plus strings that are not ASCII. */
    private static Map<String, GGUFValue> scalars() {
        Map<String, GGUFValue> m = new LinkedHashMap<>();
        m.put("u8.max", of(GGUFValueType.UINT8, 255L));
        m.put("u8.zero", of(GGUFValueType.UINT8, 0L));
        m.put("i8.minus_one", of(GGUFValueType.INT8, -1L));
        m.put("i8.min", of(GGUFValueType.INT8, (long) Byte.MIN_VALUE));
        m.put("u16.max", of(GGUFValueType.UINT16, 0xFFFFL));
        m.put("i16.min", of(GGUFValueType.INT16, (long) Short.MIN_VALUE));
        m.put("u32.max", of(GGUFValueType.UINT32, 0xFFFF_FFFFL));
        m.put("i32.min", of(GGUFValueType.INT32, (long) Integer.MIN_VALUE));
        m.put("i32.max", of(GGUFValueType.INT32, (long) Integer.MAX_VALUE));
        m.put("u64.top_bit", of(GGUFValueType.UINT64, 0x8000_0000_0000_0001L));
        m.put("u64.max", of(GGUFValueType.UINT64, -1L));
        m.put("i64.min", of(GGUFValueType.INT64, Long.MIN_VALUE));
        m.put("f32", of(GGUFValueType.FLOAT32, -1.5e-7f));
        m.put("f32.subnormal", of(GGUFValueType.FLOAT32, Float.MIN_VALUE));
        m.put("f32.infinity", of(GGUFValueType.FLOAT32, Float.NEGATIVE_INFINITY));
        m.put("f64", of(GGUFValueType.FLOAT64, Math.PI));
        m.put("f64.max", of(GGUFValueType.FLOAT64, Double.MAX_VALUE));
        m.put("bool.true", of(GGUFValueType.BOOL, true));
        m.put("bool.false", of(GGUFValueType.BOOL, false));
        m.put("string.ascii", GGUFValue.string("nemotron_h"));
        m.put("string.utf8", GGUFValue.string("héllo, 世界 🚀 — ÆØÅ"));
        m.put("string.empty", GGUFValue.string(""));
        m.put("ключ.ünïcode.🔑", GGUFValue.string("non-ASCII key"));
        return m;
    }

    /** One array per element type, including nested and empty ones. */
    private static Map<String, GGUFValue> arrays() {
        Map<String, GGUFValue> m = new LinkedHashMap<>();
        m.put("a.u8", array(GGUFValueType.UINT8, new long[] {0, 1, 255}));
        m.put("a.i8", array(GGUFValueType.INT8, new long[] {-128, -1, 127}));
        m.put("a.u16", array(GGUFValueType.UINT16, new long[] {0, 0xFFFF}));
        m.put("a.i16", array(GGUFValueType.INT16, new long[] {Short.MIN_VALUE, Short.MAX_VALUE}));
        m.put("a.u32", array(GGUFValueType.UINT32, new long[] {0, 0xFFFF_FFFFL}));
        m.put("a.i32", array(GGUFValueType.INT32, new long[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}));
        m.put("a.u64", array(GGUFValueType.UINT64, new long[] {0, Long.MIN_VALUE, -1}));
        m.put("a.i64", array(GGUFValueType.INT64, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}));
        m.put("a.f32", array(GGUFValueType.FLOAT32, new float[] {0f, -0f, 1.25f, Float.MAX_VALUE}));
        m.put("a.f64", array(GGUFValueType.FLOAT64, new double[] {Math.E, -Double.MIN_VALUE}));
        m.put("a.bool", array(GGUFValueType.BOOL, new boolean[] {true, false, true}));
        m.put("a.string", array(GGUFValueType.STRING, new String[] {"<s>", "", "▁the", "日本語"}));
        m.put("a.nested", array(GGUFValueType.ARRAY, new GGUFArray[] {
                new GGUFArray(GGUFValueType.STRING, new String[] {"a", "bé"}),
                new GGUFArray(GGUFValueType.STRING, new String[0]),
                new GGUFArray(GGUFValueType.STRING, new String[] {"ç"})}));
        m.put("a.nested.mixed", array(GGUFValueType.ARRAY, new GGUFArray[] {
                new GGUFArray(GGUFValueType.INT32, new long[] {1, 2}),
                new GGUFArray(GGUFValueType.ARRAY, new GGUFArray[] {
                        new GGUFArray(GGUFValueType.FLOAT64, new double[] {0.5})})}));
        m.put("a.empty.i32", array(GGUFValueType.INT32, new long[0]));
        m.put("a.empty.string", array(GGUFValueType.STRING, new String[0]));
        m.put("a.empty.array", array(GGUFValueType.ARRAY, new GGUFArray[0]));
        m.put("a.empty.bool", array(GGUFValueType.BOOL, new boolean[0]));
        return m;
    }

    private static float[] gaussian(int n, float scale) {
        float[] v = new float[n];
        Random random = new Random(n);
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian() * scale;
        }
        return v;
    }

    private static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void everyScalarTypeRoundTrips() throws IOException {
        Path file = dir.resolve("scalars.gguf");
        GGUFWriter writer = new GGUFWriter();
        scalars().forEach(writer::put);
        writer.write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(gguf.version()).isEqualTo(3);
            assertThat(new ArrayList<>(gguf.metadata().asMap().entrySet()))
                    .containsExactlyElementsOf(scalars().entrySet());
            GGUFMetadata md = gguf.metadata();
            assertThat(md.getLong("u32.max")).isEqualTo(4_294_967_295L);
            assertThat(Long.toUnsignedString(md.getLong("u64.top_bit"))).isEqualTo("9223372036854775809");
            assertThat(md.getInt("i8.minus_one")).isEqualTo(-1);
            assertThat(md.getInt("u8.max")).isEqualTo(255);
            assertThat(md.getFloat("f64")).isEqualTo((float) Math.PI);
            assertThat(md.getBoolean("bool.true")).isTrue();
            assertThat(md.getString("string.utf8")).isEqualTo("héllo, 世界 🚀 — ÆØÅ");
            assertThat(md.getString("ключ.ünïcode.🔑")).isEqualTo("non-ASCII key");
        }
    }

    @Test
    void everyArrayTypeRoundTrips() throws IOException {
        Path file = dir.resolve("arrays.gguf");
        GGUFWriter writer = new GGUFWriter();
        arrays().forEach(writer::put);
        writer.write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(new ArrayList<>(gguf.metadata().asMap().entrySet()))
                    .containsExactlyElementsOf(arrays().entrySet());
            GGUFArray nested = gguf.metadata().getArray("a.nested");
            assertThat(nested.elementType()).isEqualTo(GGUFValueType.ARRAY);
            assertThat(nested.arrays()[0].strings()).containsExactly("a", "bé");
            assertThat(nested.arrays()[1].length()).isZero();
            assertThat(gguf.metadata().getArray("a.empty.array").length()).isZero();
            assertThat(gguf.metadata().getArray("a.u64").longs()[1]).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void tensorsHonourACustomAlignmentAndReadBackExactly() throws IOException {
        float[] small = gaussian(15, 1f);
        float[] second = gaussian(7, 3f);
        float[] quantized = gaussian(2 * 64, 0.5f);
        byte[] expectedQ8 = new byte[(int) GGMLType.Q8_0.bytesFor(quantized.length)];
        Quantizer.quantize(GGMLType.Q8_0, quantized, 0, quantized.length, MemorySegment.ofArray(expectedQ8), 0);

        Path file = dir.resolve("tensors.gguf");
        new GGUFWriter()
                .put(GGUFFile.ALIGNMENT_KEY, GGUFValue.uint32(64))
                .put("general.name", GGUFValue.string("tiny"))
                .addTensor("small", GGMLType.F32, new long[] {5, 3}, small)
                .addTensor("second", GGMLType.F32, new long[] {7}, second)
                .addTensor("q", GGMLType.Q8_0, new long[] {64, 2}, quantized)
                .write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(gguf.alignment()).isEqualTo(64);
            assertThat(gguf.dataOffset() % 64).isZero();
            assertThat(gguf.tensors()).extracting(GGUFTensorInfo::name).containsExactly("small", "second", "q");
            // 60 and 28 bytes, each padded up to the next multiple of 64.
            assertThat(gguf.tensors()).extracting(GGUFTensorInfo::offset).containsExactly(0L, 64L, 128L);

            GGUFTensorInfo s = gguf.tensor("small");
            assertThat(s.type()).isEqualTo(GGMLType.F32);
            assertThat(s.dims()).containsExactly(5, 3);
            assertThat(s.byteSize()).isEqualTo(60);
            assertThat(gguf.data(s).toArray(F32_LE)).containsExactly(small);
            assertThat(gguf.data(gguf.tensor("second")).toArray(F32_LE)).containsExactly(second);

            GGUFTensorInfo q = gguf.tensor("q");
            assertThat(q.type()).isEqualTo(GGMLType.Q8_0);
            assertThat(q.byteSize()).isEqualTo(2 * 2 * 34);
            assertThat(bytes(gguf.data(q))).containsExactly(expectedQ8);
            assertThat(gguf.fileSize()).isEqualTo(gguf.dataOffset() + 128 + q.byteSize());
        }
    }

    @Test
    void aVersion2FileReadsTheSame() throws IOException {
        float[] values = gaussian(32, 1f);
        Path v3 = dir.resolve("v3.gguf");
        GGUFWriter writer = new GGUFWriter();
        scalars().forEach(writer::put);
        arrays().forEach(writer::put);
        writer.addTensor("w", GGMLType.F32, new long[] {8, 4}, values).write(v3);

        byte[] patched = Files.readAllBytes(v3);
        ByteBuffer.wrap(patched).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
        Path v2 = Files.write(dir.resolve("v2.gguf"), patched);

        try (GGUFFile three = GGUFFile.open(v3); GGUFFile two = GGUFFile.open(v2)) {
            assertThat(two.version()).isEqualTo(2);
            assertThat(two.metadata().asMap()).isEqualTo(three.metadata().asMap());
            assertThat(two.tensors()).isEqualTo(three.tensors());
            assertThat(two.dataOffset()).isEqualTo(three.dataOffset());
            assertThat(two.data(two.tensor("w")).toArray(F32_LE)).containsExactly(values);
        }
    }

    @Test
    void aFileWithoutTensorsOpens() throws IOException {
        Path file = dir.resolve("empty-tensors.gguf");
        new GGUFWriter().put("general.architecture", GGUFValue.string("nemotron_h")).write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(gguf.tensors()).isEmpty();
            assertThat(gguf.metadata().getString("general.architecture")).isEqualTo("nemotron_h");
        }

        Path bare = dir.resolve("bare.gguf");
        new GGUFWriter().write(bare);
        try (GGUFFile gguf = GGUFFile.open(bare)) {
            assertThat(gguf.tensors()).isEmpty();
            assertThat(gguf.metadata().keys()).isEmpty();
        }
    }

    @Test
    void aMissingTensorIsNamedInTheError() throws IOException {
        Path file = dir.resolve("one.gguf");
        new GGUFWriter().addTensor("present", GGMLType.F32, new long[] {4}, new float[4]).write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(gguf.findTensor("absent")).isEmpty();
            assertThatThrownBy(() -> gguf.tensor("absent"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessageContaining("tensor 'absent' is missing")
                    .hasMessageContaining(file.toString());
        }
    }

    @Test
    void metadataGettersExplainWrongTypesAndMissingKeys() throws IOException {
        Path file = dir.resolve("md.gguf");
        GGUFWriter writer = new GGUFWriter();
        scalars().forEach(writer::put);
        arrays().forEach(writer::put);
        writer.write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            GGUFMetadata md = gguf.metadata();
            assertThatThrownBy(() -> md.getString("no.such.key"))
                    .isInstanceOf(GGUFException.class).hasMessage("metadata key 'no.such.key' is missing");
            assertThatThrownBy(() -> md.getInt("no.such.key"))
                    .isInstanceOf(GGUFException.class).hasMessageContaining("'no.such.key' is missing");
            assertThatThrownBy(() -> md.getString("u32.max"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessage("metadata key 'u32.max' has type UINT32, expected STRING");
            assertThatThrownBy(() -> md.getInt("string.utf8"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessage("metadata key 'string.utf8' has type STRING, expected an integer");
            assertThatThrownBy(() -> md.getInt("u32.max"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessageContaining("'u32.max'").hasMessageContaining("4294967295");
            assertThatThrownBy(() -> md.getFloat("bool.true"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessage("metadata key 'bool.true' has type BOOL, expected a float");
            assertThatThrownBy(() -> md.getBoolean("u8.max"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessage("metadata key 'u8.max' has type UINT8, expected BOOL");
            assertThatThrownBy(() -> md.getArray("string.ascii"))
                    .isInstanceOf(GGUFException.class)
                    .hasMessage("metadata key 'string.ascii' has type STRING, expected ARRAY");
            assertThat(md.findInt("no.such.key")).isEmpty();
            assertThatThrownBy(() -> md.findInt("f32"))
                    .isInstanceOf(GGUFException.class).hasMessageContaining("expected an integer");
        }
    }

    @Test
    void intArrayOrScalarAcceptsScalarsAndIntegerArraysOfTheRightLength() throws IOException {
        Path file = dir.resolve("per-layer.gguf");
        new GGUFWriter()
                .put("scalar", GGUFValue.uint32(7))
                .put("u8s", array(GGUFValueType.UINT8, new long[] {0, 200, 255}))
                .put("u32s", array(GGUFValueType.UINT32, new long[] {1, 2, 0x7FFF_FFFFL}))
                .put("i32s", GGUFValue.int32Array(-1, 0, 4096))
                .put("u32s.huge", array(GGUFValueType.UINT32, new long[] {1, 2, 0xFFFF_FFFFL}))
                .put("short", GGUFValue.int32Array(1, 2))
                .put("floats", GGUFValue.float32Array(1f, 2f, 3f))
                .put("name", GGUFValue.string("x"))
                .write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            GGUFMetadata md = gguf.metadata();
            assertThat(md.getIntArrayOrScalar("scalar", 3)).containsExactly(7, 7, 7);
            assertThat(md.getIntArrayOrScalar("u8s", 3)).containsExactly(0, 200, 255);
            assertThat(md.getIntArrayOrScalar("u32s", 3)).containsExactly(1, 2, Integer.MAX_VALUE);
            assertThat(md.getIntArrayOrScalar("i32s", 3)).containsExactly(-1, 0, 4096);
            assertThatThrownBy(() -> md.getIntArrayOrScalar("short", 3))
                    .isInstanceOf(GGUFException.class)
                    .hasMessage("metadata key 'short' has 2 entries, expected 3 (one per layer)");
            assertThatThrownBy(() -> md.getIntArrayOrScalar("u8s", 4))
                    .isInstanceOf(GGUFException.class).hasMessageContaining("has 3 entries, expected 4");
            assertThatThrownBy(() -> md.getIntArrayOrScalar("floats", 3))
                    .isInstanceOf(GGUFException.class)
                    .hasMessageContaining("ARRAY of FLOAT32, expected an integer or an integer array");
            assertThatThrownBy(() -> md.getIntArrayOrScalar("name", 3))
                    .isInstanceOf(GGUFException.class).hasMessageContaining("has type STRING");
            assertThatThrownBy(() -> md.getIntArrayOrScalar("u32s.huge", 3))
                    .isInstanceOf(GGUFException.class).hasMessageContaining("4294967295");
            assertThatThrownBy(() -> md.getIntArrayOrScalar("absent", 3))
                    .isInstanceOf(GGUFException.class).hasMessageContaining("'absent' is missing");
        }
    }

    @Test
    void theWriterRefusesValuesItCouldNotWriteFaithfully() {
        GGUFWriter writer = new GGUFWriter();
        assertThatThrownBy(() -> writer.put("k", of(GGUFValueType.UINT8, 256L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'k': 256 does not fit UINT8");
        assertThatThrownBy(() -> writer.put("k", of(GGUFValueType.INT16, 40_000L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit INT16");
        assertThatThrownBy(() -> writer.put("k", array(GGUFValueType.UINT32, new long[] {1, -1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1 does not fit UINT32");
        assertThatThrownBy(() -> writer.put("k", array(GGUFValueType.ARRAY, new GGUFArray[] {
                new GGUFArray(GGUFValueType.INT8, new long[] {128})})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("128 does not fit INT8");
        assertThatThrownBy(() -> writer.put(GGUFFile.ALIGNMENT_KEY, GGUFValue.uint32(48)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> writer.put(GGUFFile.ALIGNMENT_KEY, GGUFValue.int32(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UINT32");
        assertThatThrownBy(() -> writer.addTensor("t", GGMLType.F32, new long[] {1L << 32, 1L << 32}, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more elements than a long");
        assertThatThrownBy(() -> writer.addTensor("t", GGMLType.F64, new long[] {1L << 31, 1L << 31}, dst -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more bytes than a long");
        assertThatThrownBy(() -> writer.addTensor("", GGMLType.F32, new long[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> writer.addTensor("t", GGMLType.Q8_0, new long[] {16}, new float[16]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block size 32");
        writer.addTensor("t", GGMLType.F32, new long[] {1}, new float[1]);
        assertThatThrownBy(() -> writer.addTensor("t", GGMLType.F32, new long[] {1}, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already added");
    }

    /**
     * A tensor beyond 2 GiB must be reachable: offsets are longs end to end. The file is sparse (only the header
     * and the last few bytes are ever written), so it costs no real disk.
     */
    @Test
    void aTensorPastTwoGibibytesCanBeRead() throws IOException {
        long offset = (1L << 31) + 4096;
        float[] values = {1f, -2.5f, 3.25f, Float.MIN_NORMAL};
        RawGGUF header = RawGGUF.header(2, 1)
                .key("general.name", GGUFValueType.STRING).string("sparse")
                .tensor("near", GGMLType.F32, 0, 4)
                .tensor("far", GGMLType.F32, offset, values.length)
                .padTo(GGUFFile.DEFAULT_ALIGNMENT);
        long dataOffset = header.size();
        ByteBuffer tensorBytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            tensorBytes.putFloat(v);
        }
        tensorBytes.flip();

        Path file = dir.resolve("sparse.gguf");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(header.toBytes()), 0);
            channel.write(tensorBytes, dataOffset + offset);
        }

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(gguf.fileSize()).isGreaterThan(1L << 31).isEqualTo(dataOffset + offset + 16);
            GGUFTensorInfo far = gguf.tensor("far");
            assertThat(far.offset()).isEqualTo(offset);
            assertThat(gguf.data(far).toArray(F32_LE)).containsExactly(values);
            assertThat(gguf.data(gguf.tensor("near")).toArray(F32_LE)).containsOnly(0f);
        }
    }

    @Test
    void listsAreImmutableAndInFileOrder() throws IOException {
        Path file = dir.resolve("order.gguf");
        List<String> names = List.of("z", "a", "m", "b");
        GGUFWriter writer = new GGUFWriter();
        for (String name : names) {
            writer.put("key." + name, GGUFValue.string(name));
            writer.addTensor(name, GGMLType.F32, new long[] {2}, new float[] {1, 2});
        }
        writer.write(file);

        try (GGUFFile gguf = GGUFFile.open(file)) {
            assertThat(gguf.tensors()).extracting(GGUFTensorInfo::name).containsExactlyElementsOf(names);
            assertThat(gguf.metadata().keys()).containsExactly("key.z", "key.a", "key.m", "key.b");
            assertThatThrownBy(() -> gguf.tensors().clear()).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> gguf.metadata().asMap().clear())
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
