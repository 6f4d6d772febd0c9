package io.github.asyncore.demo.chat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What of a chatter's text reaches other screens, and the rate of a chatter's lines, without sockets. */
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

    @Test
    void aChattersRateAllowsItsBurstThenItsLinesPerSecond() {
        long second = 1_000_000_000L;
        LineRate rate = new LineRate(10, 20, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(rate.tryAcquire(0)).as("line %d of the burst", i + 1).isTrue();
        }
        assertThat(rate.tryAcquire(0)).isFalse();
        assertThat(rate.tryAcquire(second / 20)).as("half a line's time later").isFalse();
        assertThat(rate.tryAcquire(second / 10)).as("a line's time later").isTrue();
        assertThat(rate.tryAcquire(second / 10)).isFalse();
        int allowed = 0;
        for (long now = second / 10; now <= 100 * second; now += second / 1000) {
            if (rate.tryAcquire(now)) {
                allowed++;
            }
        }
        assertThat(allowed).as("lines in the next 99.9 s").isBetween(998, 999);
        assertThat(rate.tryAcquire(1_000 * second)).isTrue(); // refilled, but never above the burst:
        int burst = 1;
        while (rate.tryAcquire(1_000 * second)) {
            burst++;
        }
        assertThat(burst).isEqualTo(20);
    }

}
