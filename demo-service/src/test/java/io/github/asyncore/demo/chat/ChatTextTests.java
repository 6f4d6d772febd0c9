package io.github.asyncore.demo.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What of a chatter's text reaches other screens, without sockets. */
class ChatTextTests {

    @Test
    void everyControlCharacterButTabIsRemoved() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x100; c++) {
            all.append(c);
        }
        String kept = ChatText.printable(all.toString() + "\u2028\u2029\u00e9\u4e2d");
        assertThat(kept).hasSize(1 + (0x7F - 0x20) + (0x100 - 0xA0) + 2)
            .startsWith("\t !\"#")
            .doesNotContain("\u001b", "\r", "\n", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029")
            .endsWith("\u00ff\u00e9\u4e2d");
    }

    @Test
    void textWithoutControlCharactersIsReturnedAsItIs() {
        String text = "hello, * world\t[nick]";
        assertThat(ChatText.printable(text)).isSameAs(text);
    }

}
