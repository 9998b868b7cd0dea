package io.nemotron4j.engine.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads little-endian header fields from a mapped file, failing with a {@link GGUFException} that names what was
 * being read whenever the file ends too early. Nothing is read past the end and no length taken from the file is
 * trusted before it has been checked against the bytes that remain.
 */
final class HeaderCursor {

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** GGUF keys are at most 65,535 bytes. */
    static final int MAX_KEY_BYTES = 65_535;
    /**
     * GGUF puts no limit on value strings, but a Java string is built from at most one array's worth of bytes; a
     * longer claim in a file of many gigabytes must be refused here rather than fail inside the decoder.
     */
    static final long MAX_STRING_BYTES = Integer.MAX_VALUE - 8;

    private final MemorySegment segment;
    private final long size;
    private long position;

    HeaderCursor(MemorySegment segment) {
        this.segment = segment;
        this.size = segment.byteSize();
    }

    long position() {
        return position;
    }

    long remaining() {
        return size - position;
    }

    private long advance(long n, String what) throws GGUFException {
        if (n < 0 || n > remaining()) {
            throw new GGUFException("truncated header: reading " + what + " at byte " + position + " needs "
                    + (n < 0 ? Long.toUnsignedString(n) : n) + " bytes, but the file has " + size + " bytes");
        }
        long at = position;
        position += n;
        return at;
    }

    int u8(String what) throws GGUFException {
        return segment.get(ValueLayout.JAVA_BYTE, advance(1, what)) & 0xFF;
    }

    int u16(String what) throws GGUFException {
        return segment.get(U16, advance(2, what)) & 0xFFFF;
    }

    int u32(String what) throws GGUFException {
        return segment.get(U32, advance(4, what));
    }

    long u64(String what) throws GGUFException {
        return segment.get(U64, advance(8, what));
    }

    float f32(String what) throws GGUFException {
        return segment.get(F32, advance(4, what));
    }

    double f64(String what) throws GGUFException {
        return segment.get(F64, advance(8, what));
    }

    /** A u64 length-prefixed UTF-8 string of at most {@code maxBytes} bytes. */
    String string(String what, long maxBytes) throws GGUFException {
        long length = u64("length of " + what);
        long start = position - 8;
        if (Long.compareUnsigned(length, remaining()) > 0) {
            throw new GGUFException("truncated header: " + what + " at byte " + start + " claims "
                    + Long.toUnsignedString(length) + " bytes, but only " + remaining() + " remain in the file");
        }
        if (length > maxBytes) {
            throw new GGUFException("bad header: " + what + " at byte " + start + " claims " + length
                    + " bytes, more than the limit of " + maxBytes);
        }
        long at = advance(length, what);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(segment.asSlice(at, length).asByteBuffer())
                    .toString();
        } catch (CharacterCodingException e) {
            throw new GGUFException("bad header: " + what + " at byte " + start + " is not valid UTF-8");
        }
    }

    /**
     * Checks that {@code count} items of at least {@code minBytes} each can fit in what is left of the file, so a
     * header claiming 2^60 entries fails here instead of in an allocation.
     */
    void requireFits(long count, long minBytes, String what) throws GGUFException {
        if (count < 0 || (minBytes > 0 && count > remaining() / minBytes)) {
            throw new GGUFException("bad header: " + what + " count " + Long.toUnsignedString(count)
                    + " cannot fit in the " + remaining() + " bytes left in the file (corrupt or truncated file)");
        }
    }
}
