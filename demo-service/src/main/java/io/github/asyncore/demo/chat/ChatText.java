package io.github.asyncore.demo.chat;

/**
 * What of a chatter's text may reach other chatters' screens. Control characters are removed: C0 (but
 * tab), DEL and C1, which a terminal acts on (ESC starts sequences that move the cursor, rewrite lines or
 * retitle the window; a carriage return lets a line overwrite the {@code [nick]} in front of it), and the
 * Unicode line and paragraph separators, which some clients break lines at. What is left cannot start a
 * line of its own, so no chatter can forge a {@code * } system line or another chatter's {@code [nick]}.
 */
final class ChatText {

    private ChatText() {
    }

    /**
     * @param text decoded text, without its line terminator
     * @return the text without control characters; the same instance when it had none
     */
    static String printable(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder kept = new StringBuilder(text.length()).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }

}
