package io.nemotron4j.engine.tokenizer;

/** UTF-8 boundary checks for streaming decoding. */
final class Utf8 {

    private Utf8() {
    }

    static boolean isSurrogate(int codePoint) {
        return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }

    /**
     * The length of the longest prefix of {@code bytes[0, size)} that can be decoded now: everything except a
     * trailing sequence that is a valid start of a character still missing bytes. Malformed bytes are not held
     * back (they would never complete); decoding turns them into U+FFFD straight away.
     */
    static int completePrefix(byte[] bytes, int size) {
        // A character has at most 4 bytes, so an unfinished one starts within the last 3.
        for (int i = size - 1; i >= Math.max(0, size - 3); i--) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                return size;
            }
            if (b >= 0xC0) {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return size - i < needed && startsValidly(bytes, i, size) ? i : size;
            }
        }
        return size;
    }

    // The lead byte must be one UTF-8 allows, and a second byte present must be in the range that lead permits
    // (which excludes overlong forms, surrogates and code points above U+10FFFF). Later bytes were already seen
    // to be continuation bytes.
    private static boolean startsValidly(byte[] bytes, int lead, int size) {
        int b = bytes[lead] & 0xFF;
        if (b < 0xC2 || b > 0xF4) {
            return false;
        }
        if (size - lead < 2) {
            return true;
        }
        int second = bytes[lead + 1] & 0xFF;
        int low = b == 0xE0 ? 0xA0 : b == 0xF0 ? 0x90 : 0x80;
        int high = b == 0xED ? 0x9F : b == 0xF4 ? 0x8F : 0xBF;
        return second >= low && second <= high;
    }
}
