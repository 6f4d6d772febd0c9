package io.github.asyncore.benchmarks;

import java.util.Locale;

/**
 * The one line a load generator prints: its name, then {@code key=value} words separated by single spaces,
 * as the benchmark scripts read them back (split at spaces, then at the first {@code =}).
 */
final class ResultLine {

    private final StringBuilder text;

    ResultLine(String name) {
        this.text = new StringBuilder(name);
    }

    /** Appends {@code key=value}; the value as {@code String.valueOf} writes it. */
    void word(String key, Object value) {
        this.text.append(' ').append(key).append('=').append(value);
    }

    /** The value with exactly {@code digits} decimals (a dot, whatever the locale), or {@code nan}. */
    static String round(double value, int digits) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        return String.format(Locale.ROOT, "%." + digits + "f", value);
    }

    @Override
    public String toString() {
        return this.text.toString();
    }

}
