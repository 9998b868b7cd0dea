package io.nemotron4j.spring.model;

import java.util.Locale;

/** Byte counts for people: {@code 9.4 GB}, {@code 512 KB}. */
final class Units {

    private Units() {
    }

    /** The count in decimal units (the units download pages use), one decimal from KB on. */
    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = { "KB", "MB", "GB", "TB" };
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
