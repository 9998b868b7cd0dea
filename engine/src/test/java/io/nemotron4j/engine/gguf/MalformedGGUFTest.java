package io.nemotron4j.engine.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a downloaded file can be broken must end in a {@link GGUFException} whose message names the
 * problem, quickly, without allocating what the file merely claims.
 */
class MalformedGGUFTest {

    /** Hostile counts are refused by arithmetic alone, so anything near this limit means work was attempted. */
    private static final Duration FAST = Duration.ofMillis(500);
    private static final long HUGE = 1L << 60;

    @TempDir
    Path dir;
    private int files;

    /** The first open pays for loading the FFM classes; the timed cases should not. */
    @BeforeAll
    static void warmUp(@TempDir Path tmp) throws IOException {
        try (GGUFFile ignored = GGUFFile.open(validFile().write(tmp.resolve("warm.gguf")))) {
            assertThrows(GGUFException.class, () -> GGUFFile.open(RawGGUF.header(HUGE, 0).write(tmp.resolve("bad.gguf"))));
        }
    }

    /** Metadata and one 16-byte F32 tensor, everything in order. */
    private static RawGGUF validFile() {
        return RawGGUF.header(1, 2)
                .key("general.architecture", GGUFValueType.STRING).string("nemotron_h")
                .key("tokens", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.STRING, 2).string("a").string("b")
                .tensor("w", GGMLType.F32, 0, 4)
                .padTo(GGUFFile.DEFAULT_ALIGNMENT)
                .f32(1).f32(2).f32(3).f32(4);
    }

    /** A file with one metadata entry whose value the caller writes after this. */
    private static RawGGUF oneKey(String key, GGUFValueType type) {
        return RawGGUF.header(0, 1).key(key, type);
    }

    /** A header for one tensor with no metadata; the caller writes the tensor info. */
    private static RawGGUF oneTensor() {
        return RawGGUF.header(1, 0);
    }

    private Path write(RawGGUF raw) throws IOException {
        return raw.write(dir.resolve("case-" + files++ + ".gguf"));
    }

    private Path write(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("case-" + files++ + ".gguf"), bytes);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Path file) {
        return assertThatThrownBy(() -> GGUFFile.open(file).close()).isInstanceOf(GGUFException.class);
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejected(RawGGUF raw) throws IOException {
        return assertRejected(write(raw));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRejectedFast(RawGGUF raw) throws IOException {
        return assertRejectedFast(write(raw));
    }

    /** Rejected within {@link #FAST}; an OutOfMemoryError or any other exception fails the test. */
    private AbstractThrowableAssert<?, ? extends Throwable> assertRejectedFast(Path file) {
        GGUFException e = assertTimeoutPreemptively(FAST,
                () -> assertThrows(GGUFException.class, () -> GGUFFile.open(file).close()));
        return assertThat(e);
    }

    @Test
    void theValidBaseFileOpens() throws IOException {
        try (GGUFFile gguf = GGUFFile.open(write(validFile()))) {
            assertThat(gguf.tensors()).hasSize(1);
            assertThat(gguf.metadata().getArray("tokens").strings()).containsExactly("a", "b");
        }
    }

    @Test
    void badMagic() throws IOException {
        byte[] bytes = validFile().toBytes();
        bytes[3] = 'L';
        bytes[2] = 'M';
        assertRejected(write(bytes)).hasMessageContaining("not a GGUF file")
                .hasMessageContaining("47 47 4d 4c, expected \"GGUF\"");
        assertRejected(write("{\"this\": \"is json, not a model\"}".getBytes()))
                .hasMessageContaining("not a GGUF file");
    }

    @Test
    void unsupportedVersions() throws IOException {
        assertRejected(RawGGUF.header(1, 0, 0)).hasMessageContaining("unsupported GGUF version 1")
                .hasMessageContaining("obsolete");
        assertRejected(RawGGUF.header(4, 0, 0)).hasMessageContaining("unsupported GGUF version 4 (supported: 2 and 3)");
        assertRejected(RawGGUF.header(-1, 0, 0)).hasMessageContaining("unsupported GGUF version 4294967295");
    }

    @Test
    void bigEndianFile() throws IOException {
        // gguf-py writes the magic byte-wise and everything after it in the chosen byte order.
        ByteBuffer be = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        be.put("GGUF".getBytes()).putInt(3).putLong(0).putLong(0);
        assertRejected(write(be.array())).hasMessageContaining("big-endian GGUF files are not supported");
    }

    @Test
    void everyTruncationOfAValidFileIsReportedAsTruncated() throws IOException {
        Path full = dir.resolve("full.gguf");
        new GGUFWriter()
                .put("general.architecture", GGUFValue.string("nemotron_h"))
                .put("general.alignment", GGUFValue.uint32(16))
                .put("layers", GGUFValue.int32Array(1, 2, 3))
                .put("nested", GGUFValue.array(new GGUFArray(GGUFValueType.ARRAY, new GGUFArray[] {
                        new GGUFArray(GGUFValueType.STRING, new String[] {"é", "x"})})))
                .put("eps", GGUFValue.float32(1e-5f))
                .put("flag", GGUFValue.bool(true))
                .addTensor("a", GGMLType.F32, new long[] {3}, new float[] {1, 2, 3})
                .addTensor("b", GGMLType.F32, new long[] {2, 2}, new float[] {4, 5, 6, 7})
                .write(full);
        byte[] bytes = Files.readAllBytes(full);
        GGUFFile.open(full).close();

        Path cut = dir.resolve("cut.gguf");
        for (int length = 0; length < bytes.length; length++) {
            Files.write(cut, Arrays.copyOf(bytes, length));
            int at = length;
            assertThatThrownBy(() -> GGUFFile.open(cut).close())
                    .as("file cut to %d of %d bytes", at, bytes.length)
                    .isInstanceOf(GGUFException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void tensorDataCutShort() throws IOException {
        RawGGUF raw = oneTensor().tensor("blk.0.ssm_in.weight", GGMLType.F32, 0, 256, 4).padTo(32).zeros(1000);
        assertRejected(raw).hasMessageContaining("tensor 'blk.0.ssm_in.weight' is truncated")
                .hasMessageContaining("needs 4,096 bytes")
                .hasMessageContaining("from byte 96 but the file ends at byte 1,096");
    }

    @Test
    void dataSectionMissingEntirely() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0, 4))
                .hasMessageContaining("truncated file: the tensor data section should start at byte 64");
    }

    @Test
    void tensorOffsetOutsideTheFile() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 1L << 20, 4).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has data offset 1,048,576, past the end of the 64-byte data section");
        assertRejected(oneTensor().tensor("w", GGMLType.F32, Long.MIN_VALUE, 4).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has data offset 9223372036854775808, beyond any file");
    }

    @Test
    void tensorSizeNearTwoToTheSixtyThreeDoesNotWrapAround() throws IOException {
        // 2^63 - 2 bytes: offset + size + data offset would overflow a long if added up naively.
        assertRejected(oneTensor().tensor("w", GGMLType.I8, 32, (1L << 62) - 1, 2).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' is truncated: it needs 9,223,372,036,854,775,806 bytes");
    }

    @Test
    void misalignedTensorOffset() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 8, 4).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has data offset 8, not a multiple of the alignment 32");
        RawGGUF custom = RawGGUF.header(1, 1)
                .key("general.alignment", GGUFValueType.UINT32).u32(64)
                .tensor("w", GGMLType.F32, 32, 4).padTo(64).zeros(128);
        assertRejected(custom).hasMessageContaining("not a multiple of the alignment 64");
    }

    @Test
    void unknownTensorType() throws IOException {
        assertRejected(oneTensor().tensor("w", 4, 0, 32).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has unknown tensor type 4");
        assertRejected(oneTensor().tensor("w", 1000, 0, 32).padTo(32).zeros(64))
                .hasMessageContaining("unknown tensor type 1000");
        assertRejected(oneTensor().tensor("w", -1, 0, 32).padTo(32).zeros(64))
                .hasMessageContaining("unknown tensor type 4294967295");
    }

    @Test
    void unknownMetadataValueType() throws IOException {
        assertRejected(RawGGUF.header(0, 1).string("general.mystery").u32(13).u32(0))
                .hasMessageContaining("metadata key 'general.mystery' has unknown value type 13");
        assertRejected(oneKey("list", GGUFValueType.ARRAY).u32(99).u64(0))
                .hasMessageContaining("array 'list' has unknown element type 99");
    }

    @Test
    void dimensionsWhoseProductOverflows() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0, 1L << 32, 1L << 32).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has dimensions [4294967296, 4294967296]")
                .hasMessageContaining("product overflows");
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0, 1L << 62).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' byte size overflows");
    }

    @Test
    void zeroOrAbsurdRank() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has 0 dimensions, expected 1 to 4");
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0, 1, 1, 1, 1, 1).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has 5 dimensions");
        assertRejected(oneTensor().string("w").u32(-1).zeros(64))
                .hasMessageContaining("tensor 'w' has 4294967295 dimensions");
    }

    @Test
    void zeroOrNegativeDimension() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0, 4, 0).padTo(32).zeros(64))
                .hasMessageContaining("tensor 'w' has dimension 1 = 0, expected a positive size");
        assertRejected(oneTensor().tensor("w", GGMLType.F32, 0, -4).padTo(32).zeros(64))
                .hasMessageContaining("dimension 0 = 18446744073709551612");
    }

    @Test
    void rowsThatAreNotWholeBlocks() throws IOException {
        assertRejected(oneTensor().tensor("w", GGMLType.Q8_0, 0, 16, 2).padTo(32).zeros(128))
                .hasMessageContaining("tensor 'w' of type Q8_0 has rows of 16 elements, not a multiple of the block size 32");
    }

    @Test
    void emptyTensorName() throws IOException {
        assertRejected(oneTensor().tensor("", GGMLType.F32, 0, 4).padTo(32).zeros(64))
                .hasMessageContaining("tensor #0 has an empty name");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        RawGGUF raw = RawGGUF.header(2, 0)
                .tensor("output.weight", GGMLType.F32, 0, 4)
                .tensor("output.weight", GGMLType.F32, 32, 4)
                .padTo(32).zeros(64);
        assertRejected(raw).hasMessageContaining("duplicate tensor name 'output.weight'");
    }

    @Test
    void duplicateMetadataKeys() throws IOException {
        RawGGUF raw = RawGGUF.header(0, 2)
                .key("general.name", GGUFValueType.STRING).string("first")
                .key("general.name", GGUFValueType.UINT32).u32(7);
        assertRejected(raw).hasMessageContaining("duplicate metadata key 'general.name'");
    }

    @Test
    void hostileMetadataKeyCount() throws IOException {
        assertRejectedFast(RawGGUF.header(0, HUGE).zeros(64))
                .hasMessageContaining("metadata key count 1152921504606846976 cannot fit in the 64 bytes left");
        assertRejectedFast(RawGGUF.header(0, -1).zeros(64))
                .hasMessageContaining("metadata key count 18446744073709551615 cannot fit");
    }

    @Test
    void hostileTensorCount() throws IOException {
        assertRejectedFast(RawGGUF.header(HUGE, 0).zeros(64))
                .hasMessageContaining("tensor count 1152921504606846976 cannot fit in the 64 bytes left");
    }

    @Test
    void hostileArrayLength() throws IOException {
        assertRejectedFast(oneKey("tokenizer.ggml.token_type", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.INT32, HUGE))
                .hasMessageContaining("array 'tokenizer.ggml.token_type' element count 1152921504606846976 cannot fit");
        assertRejectedFast(oneKey("tokenizer.ggml.tokens", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.STRING, HUGE)
                .zeros(1000))
                .hasMessageContaining("element count 1152921504606846976 cannot fit");
        assertRejectedFast(oneKey("nested", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.ARRAY, 2)
                .arrayHeader(GGUFValueType.UINT8, HUGE).zeros(64))
                .hasMessageContaining("element count 1152921504606846976 cannot fit");
    }

    @Test
    void hostileStringLength() throws IOException {
        assertRejectedFast(oneKey("general.name", GGUFValueType.STRING).u64(1L << 62).zeros(64))
                .hasMessageContaining("value of 'general.name'")
                .hasMessageContaining("claims 4611686018427387904 bytes, but only 64 remain");
        assertRejectedFast(oneKey("general.name", GGUFValueType.STRING).u64(-2).zeros(64))
                .hasMessageContaining("claims 18446744073709551614 bytes");
        assertRejectedFast(RawGGUF.header(0, 1).u64(1L << 62).zeros(64))
                .hasMessageContaining("metadata key #0 at byte 24 claims 4611686018427387904 bytes");
        assertRejectedFast(oneTensor().u64(1L << 62).zeros(64))
                .hasMessageContaining("name of tensor #0").hasMessageContaining("claims 4611686018427387904 bytes");
    }

    @Test
    void keysAndTensorNamesBeyondTheirLimits() throws IOException {
        assertRejected(RawGGUF.header(0, 1).u64(70_000).zeros(70_100))
                .hasMessageContaining("metadata key #0 at byte 24 claims 70000 bytes, more than the limit of 65535");
        assertRejected(oneTensor().u64(70_000).zeros(70_100))
                .hasMessageContaining("name of tensor #0 at byte 24 claims 70000 bytes, more than the limit of 65536");
    }

    /**
     * In a file beyond 2 GiB a claimed length can fit in the file yet not in a Java array; that must be a
     * GGUFException, not an allocation failure. The file is sparse, so it costs no real disk.
     */
    @Test
    void lengthsThatFitTheFileButNotAJavaArray() throws IOException {
        long claimed = (1L << 31) + 16;
        assertRejectedFast(writeSparse(oneKey("tokenizer.chat_template", GGUFValueType.STRING).u64(claimed),
                claimed + 1024))
                .hasMessageContaining("value of 'tokenizer.chat_template'")
                .hasMessageContaining("claims 2147483664 bytes, more than the limit of 2147483639");
        assertRejectedFast(writeSparse(oneKey("scores", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.UINT8, claimed),
                claimed + 1024))
                .hasMessageContaining("array 'scores' has 2,147,483,664 elements, more than the 33,554,432 this reader accepts");
    }

    /**
     * Integer arrays widen to long[]: a u8 array the file really holds could still cost eight times the file in
     * heap, so array lengths are capped well above any real vocabulary table.
     */
    @Test
    void arraysBeyondTheElementCapAreRefusedBeforeAllocating() throws IOException {
        long claimed = GGUFFile.MAX_ARRAY_ELEMENTS + 1L;
        assertRejectedFast(writeSparse(oneKey("token_type", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.UINT8, claimed),
                claimed + 1024))
                .hasMessageContaining("array 'token_type' has 33,554,433 elements, more than the 33,554,432 this reader accepts");
    }

    /** The header, then a hole up to {@code fileSize}: only the first and last blocks take disk space. */
    private Path writeSparse(RawGGUF header, long fileSize) throws IOException {
        Path file = dir.resolve("sparse-" + files++ + ".gguf");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(header.toBytes()), 0);
            channel.write(ByteBuffer.wrap(new byte[1]), fileSize - 1);
        }
        return file;
    }

    private static RawGGUF nestedArrays(int levels) {
        RawGGUF raw = oneKey("deep", GGUFValueType.ARRAY);
        for (int i = 1; i < levels; i++) {
            raw.arrayHeader(GGUFValueType.ARRAY, 1);
        }
        return raw.arrayHeader(GGUFValueType.INT32, 0);
    }

    @Test
    void arraysNestedDeeperThanTheLimit() throws IOException {
        try (GGUFFile gguf = GGUFFile.open(write(nestedArrays(GGUFFile.MAX_ARRAY_DEPTH)))) {
            assertThat(gguf.metadata().getArray("deep").elementType()).isEqualTo(GGUFValueType.ARRAY);
        }
        assertRejected(nestedArrays(GGUFFile.MAX_ARRAY_DEPTH + 1))
                .hasMessageContaining("metadata key 'deep' nests arrays deeper than 8 levels");
        assertRejectedFast(nestedArrays(100_000)).hasMessageContaining("nests arrays deeper than 8 levels");
    }

    @Test
    void invalidUtf8() throws IOException {
        byte[] key = {'b', 'a', 'd', (byte) 0xC3, '('};
        assertRejected(RawGGUF.header(0, 1).u64(key.length).bytes(key).u32(GGUFValueType.UINT8.id()).u8(1))
                .hasMessageContaining("metadata key #0 at byte 24 is not valid UTF-8");
        byte[] overlong = {(byte) 0xC0, (byte) 0x80};
        assertRejected(oneKey("general.name", GGUFValueType.STRING).u64(2).bytes(overlong))
                .hasMessageContaining("value of 'general.name'").hasMessageContaining("is not valid UTF-8");
        byte[] surrogate = {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
        assertRejected(oneTensor().u64(3).bytes(surrogate).u32(1).u64(4).u32(0).u64(0).padTo(32).zeros(16))
                .hasMessageContaining("name of tensor #0").hasMessageContaining("is not valid UTF-8");
    }

    @Test
    void alignmentThatIsNotAPowerOfTwo() throws IOException {
        assertRejected(oneKey("general.alignment", GGUFValueType.UINT32).u32(48))
                .hasMessageContaining("general.alignment is 48, expected a power of two");
        assertRejected(oneKey("general.alignment", GGUFValueType.UINT32).u32(0))
                .hasMessageContaining("general.alignment is 0, expected a power of two");
        assertRejected(oneKey("general.alignment", GGUFValueType.INT32).u32(-32))
                .hasMessageContaining("general.alignment is -32, expected a power of two");
        assertRejected(oneKey("general.alignment", GGUFValueType.STRING).string("32"))
                .hasMessageContaining("general.alignment has type STRING, expected UINT32");
    }

    @Test
    void boolByteOtherThanZeroOrOne() throws IOException {
        assertRejected(oneKey("general.flag", GGUFValueType.BOOL).u8(7))
                .hasMessageContaining("metadata key 'general.flag' holds bool byte 7, expected 0 or 1");
        assertRejected(oneKey("flags", GGUFValueType.ARRAY).arrayHeader(GGUFValueType.BOOL, 3).u8(0).u8(1).u8(0xFF))
                .hasMessageContaining("metadata key 'flags' holds bool byte 255");
    }

    @Test
    void emptyFile() throws IOException {
        assertRejected(write(new byte[0]))
                .hasMessageContaining("file has only 0 bytes, too short for a GGUF header");
    }

    @Test
    void aDirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("model.gguf"));
        assertRejected(sub).hasMessageContaining("is a directory, not a GGUF file");
    }

    @Test
    void aMissingFile() {
        Path missing = dir.resolve("nowhere.gguf");
        assertThatThrownBy(() -> GGUFFile.open(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nowhere.gguf");
    }

    @Test
    void everyMessageNamesTheFile() throws IOException {
        Path file = write(RawGGUF.header(7, 0, 0));
        assertRejected(file).hasMessageStartingWith(file + ": ");
    }

    /**
     * Random damage to a small valid file: every outcome must be a successful open (with every tensor's bytes
     * inside the mapping) or a GGUFException. Mutations favour the header, where the parsing happens, and
     * include "interesting" 64-bit values so counts and lengths take their extremes.
     */
    @Test
    void fuzzedFilesOpenOrFailWithAGGUFException() throws IOException {
        Path base = dir.resolve("base.gguf");
        new GGUFWriter()
                .put("general.architecture", GGUFValue.string("nemotron_h"))
                .put("n", GGUFValue.uint32(4))
                .put("layers", GGUFValue.int32Array(1, 2, 3))
                .put("tokens", GGUFValue.stringArray("<s>", "é", ""))
                .put("nested", GGUFValue.array(new GGUFArray(GGUFValueType.ARRAY, new GGUFArray[] {
                        new GGUFArray(GGUFValueType.BOOL, new boolean[] {true, false})})))
                .put("eps", GGUFValue.float32(1e-5f))
                .addTensor("a", GGMLType.F32, new long[] {4}, new float[] {1, 2, 3, 4})
                .addTensor("b", GGMLType.F16, new long[] {8, 2}, dst -> dst.fill((byte) 0x3C))
                .write(base);
        byte[] original = Files.readAllBytes(base);
        int headerBytes;
        try (GGUFFile gguf = GGUFFile.open(base)) {
            headerBytes = (int) gguf.dataOffset();
        }
        long[] interesting = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, HUGE, 1L << 32, 0xFFFF_FFFFL, 32, 4, 13};
        Path file = dir.resolve("fuzz.gguf");

        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int seed = 0; seed < 2000; seed++) {
                Random random = new Random(seed);
                byte[] bytes = original.clone();
                int mutations = 1 + random.nextInt(4);
                for (int m = 0; m < mutations; m++) {
                    int at = random.nextInt(random.nextInt(10) == 0 ? bytes.length : headerBytes);
                    switch (random.nextInt(3)) {
                        case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                        case 1 -> bytes[at] = (byte) random.nextInt(256);
                        default -> {
                            long v = interesting[random.nextInt(interesting.length)];
                            for (int i = 0; i < 8 && at + i < bytes.length; i++) {
                                bytes[at + i] = (byte) (v >>> (8 * i));
                            }
                        }
                    }
                }
                if (random.nextInt(4) == 0) {
                    bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
                }
                Files.write(file, bytes);
                try (GGUFFile gguf = GGUFFile.open(file)) {
                    for (GGUFTensorInfo t : gguf.tensors()) {
                        assertThat(gguf.data(t).byteSize()).isEqualTo(t.byteSize());
                    }
                    outcomes[0]++;
                } catch (GGUFException expected) {
                    outcomes[1]++;
                } catch (Throwable other) {
                    fail("seed " + seed + " threw " + other, other);
                }
            }
        });
        assertThat(outcomes[0]).as("files that still opened").isPositive();
        assertThat(outcomes[1]).as("files rejected").isPositive();
    }
}
