package io.nemotron4j.engine.gguf;

import io.nemotron4j.engine.tensor.GGMLType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes GGUF bytes field by field, little-endian, with no validation at all, so that a test can spell out
 * exactly which field of a file is wrong.
 */
final class RawGGUF {

    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    /** A header with the real magic and the given version and counts. */
    static RawGGUF header(int version, long tensorCount, long kvCount) {
        return new RawGGUF().u32(GGUFFile.MAGIC).u32(version).u64(tensorCount).u64(kvCount);
    }

    /** A version 3 header. */
    static RawGGUF header(long tensorCount, long kvCount) {
        return header(3, tensorCount, kvCount);
    }

    RawGGUF u8(int v) {
        room(1).put((byte) v);
        return this;
    }

    RawGGUF u16(int v) {
        room(2).putShort((short) v);
        return this;
    }

    RawGGUF u32(int v) {
        room(4).putInt(v);
        return this;
    }

    RawGGUF u64(long v) {
        room(8).putLong(v);
        return this;
    }

    RawGGUF f32(float v) {
        room(4).putFloat(v);
        return this;
    }

    RawGGUF bytes(byte... b) {
        room(b.length).put(b);
        return this;
    }

    /** A u64 length followed by the UTF-8 bytes. */
    RawGGUF string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u64(b.length).bytes(b);
    }

    /** A metadata key and value type id; the caller writes the value. */
    RawGGUF key(String key, GGUFValueType type) {
        return string(key).u32(type.id());
    }

    /** The start of an array value: element type id and count; the caller writes the elements. */
    RawGGUF arrayHeader(GGUFValueType elementType, long count) {
        return u32(elementType.id()).u64(count);
    }

    /** A tensor info: name, rank, dims, type id, offset. */
    RawGGUF tensor(String name, int typeId, long offset, long... dims) {
        string(name).u32(dims.length);
        for (long d : dims) {
            u64(d);
        }
        return u32(typeId).u64(offset);
    }

    RawGGUF tensor(String name, GGMLType type, long offset, long... dims) {
        return tensor(name, type.id(), offset, dims);
    }

    /** Zero bytes up to the next multiple of {@code alignment}, as before the data section. */
    RawGGUF padTo(int alignment) {
        return zeros((int) (GGUFFile.alignUp(size(), alignment) - size()));
    }

    RawGGUF zeros(int n) {
        return bytes(new byte[n]);
    }

    int size() {
        return buffer.position();
    }

    byte[] toBytes() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    Path write(Path file) throws IOException {
        return Files.write(file, toBytes());
    }

    private ByteBuffer room(int n) {
        if (buffer.remaining() < n) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + n))
                    .order(ByteOrder.LITTLE_ENDIAN);
            buffer.flip();
            grown.put(buffer);
            buffer = grown;
        }
        return buffer;
    }
}
