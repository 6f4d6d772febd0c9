package io.github.asyncore.benchmarks.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The command table: runs one parsed command against the {@link RespStore} and writes its reply, in the
 * words redis-server uses. Command names match in any case, without being decoded.
 * <ul>
 * <li>{@code PING [message]}: {@code +PONG}, or the message as a bulk string</li>
 * <li>{@code ECHO message}: the message</li>
 * <li>{@code SET key value}: {@code +OK} (plain SET only: options are a syntax error)</li>
 * <li>{@code GET key}: the value, or the null bulk string {@code $-1}</li>
 * <li>{@code DEL key [key ...]}: how many were there</li>
 * <li>{@code INCR key}: the new value; a value that is not a 64-bit integer is an error</li>
 * <li>{@code QUIT}: {@code +OK}, then the connection closes once it is written</li>
 * <li>{@code CONFIG GET parameter}: {@code save} is empty and {@code appendonly} is {@code no} (what
 * {@code redis-benchmark} asks at start), any other parameter an empty array</li>
 * </ul>
 * Loop thread only.
 */
final class RespCommands {

    /** What the connection does after a command. */
    enum Next {
        /** Go on with the next command. */
        CONTINUE,
        /** Stop reading and close once the replies are written. */
        CLOSE
    }

    private static final byte[] PONG = ascii("+PONG\r\n");

    private static final byte[] OK = ascii("+OK\r\n");

    private static final byte[] NULL_BULK = ascii("$-1\r\n");

    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");

    private static final byte[] NOT_AN_INTEGER = ascii("-ERR value is not an integer or out of range\r\n");

    private static final byte[] OVERFLOW = ascii("-ERR increment or decrement would overflow\r\n");

    private static final byte[] SYNTAX_ERROR = ascii("-ERR syntax error\r\n");

    private static final byte[] NAME_PING = ascii("PING");

    private static final byte[] NAME_ECHO = ascii("ECHO");

    private static final byte[] NAME_INCR = ascii("INCR");

    private static final byte[] NAME_QUIT = ascii("QUIT");

    private static final byte[] NAME_SET = ascii("SET");

    private static final byte[] NAME_GET = ascii("GET");

    private static final byte[] NAME_DEL = ascii("DEL");

    private static final byte[] NAME_CONFIG = ascii("CONFIG");

    private static final byte[] NAME_SAVE = ascii("SAVE");

    private static final byte[] NAME_APPENDONLY = ascii("APPENDONLY");

    private static final byte[] PAIR = ascii("*2\r\n");

    private final RespStore store;

    RespCommands(RespStore store) {
        this.store = store;
    }

    /**
     * Runs the command the parser holds, at least one argument long.
     * @param in the request bytes the parser pointed into
     * @param args the parsed command
     * @param out where the reply goes
     * @return what the connection does next
     * @throws IOException from a send when the reply buffer fills
     */
    Next run(byte[] in, RespParser args, RespReply out) throws IOException {
        int count = args.count();
        int name = args.start(0);
        switch (args.length(0)) {
            case 3 -> {
                if (is(in, name, NAME_GET)) {
                    if (count != 2) {
                        return arity(out, "get");
                    }
                    byte[] value = this.store.get(in, args.start(1), args.length(1));
                    if (value == null) {
                        out.raw(NULL_BULK);
                    }
                    else {
                        out.bulk(value, 0, value.length);
                    }
                    return Next.CONTINUE;
                }
                if (is(in, name, NAME_SET)) {
                    if (count < 3) {
                        return arity(out, "set");
                    }
                    if (count > 3) {
                        out.raw(SYNTAX_ERROR);
                        return Next.CONTINUE;
                    }
                    int start = args.start(2);
                    this.store.set(in, args.start(1), args.length(1),
                            Arrays.copyOfRange(in, start, start + args.length(2)));
                    out.raw(OK);
                    return Next.CONTINUE;
                }
                if (is(in, name, NAME_DEL)) {
                    if (count < 2) {
                        return arity(out, "del");
                    }
                    int deleted = 0;
                    for (int i = 1; i < count; i++) {
                        if (this.store.delete(in, args.start(i), args.length(i))) {
                            deleted++;
                        }
                    }
                    out.integer(deleted);
                    return Next.CONTINUE;
                }
            }
            case 4 -> {
                if (is(in, name, NAME_PING)) {
                    if (count > 2) {
                        return arity(out, "ping");
                    }
                    if (count == 2) {
                        out.bulk(in, args.start(1), args.length(1));
                    }
                    else {
                        out.raw(PONG);
                    }
                    return Next.CONTINUE;
                }
                if (is(in, name, NAME_ECHO)) {
                    if (count != 2) {
                        return arity(out, "echo");
                    }
                    out.bulk(in, args.start(1), args.length(1));
                    return Next.CONTINUE;
                }
                if (is(in, name, NAME_INCR)) {
                    if (count != 2) {
                        return arity(out, "incr");
                    }
                    incr(in, args.start(1), args.length(1), out);
                    return Next.CONTINUE;
                }
                if (is(in, name, NAME_QUIT)) {
                    out.raw(OK);
                    return Next.CLOSE;
                }
            }
            case 6 -> {
                if (is(in, name, NAME_CONFIG)) {
                    if (count == 3 && args.length(1) == 3 && is(in, args.start(1), NAME_GET)) {
                        configGet(in, args.start(2), args.length(2), out);
                    }
                    else if (count < 2) {
                        return arity(out, "config");
                    }
                    else {
                        out.error("ERR unknown subcommand or wrong number of arguments for CONFIG '"
                                + text(in, args.start(1), args.length(1)) + "'");
                    }
                    return Next.CONTINUE;
                }
            }
            default -> {
                // no command of that length
            }
        }
        out.error("ERR unknown command '" + text(in, name, args.length(0)) + "'");
        return Next.CONTINUE;
    }

    /**
     * Answers {@code CONFIG GET save} and {@code CONFIG GET appendonly} as a server without persistence does
     * ({@code redis-benchmark} warns "Could not fetch server CONFIG" without them), anything else with an
     * empty array (no parameter matched).
     */
    private static void configGet(byte[] in, int start, int length, RespReply out) throws IOException {
        byte[] value = null;
        if (length == NAME_SAVE.length && is(in, start, NAME_SAVE)) {
            value = new byte[0];
        }
        else if (length == NAME_APPENDONLY.length && is(in, start, NAME_APPENDONLY)) {
            value = ascii("no");
        }
        if (value == null) {
            out.raw(EMPTY_ARRAY);
            return;
        }
        out.raw(PAIR);
        out.bulk(in, start, length);
        out.bulk(value, 0, value.length);
    }

    private void incr(byte[] in, int keyStart, int keyLength, RespReply out) throws IOException {
        byte[] value = this.store.get(in, keyStart, keyLength);
        long number = 0;
        if (value != null) {
            number = parseLong(value);
            if (number == Long.MIN_VALUE && !Arrays.equals(value, ascii(Long.toString(Long.MIN_VALUE)))) {
                out.raw(NOT_AN_INTEGER);
                return;
            }
        }
        if (number == Long.MAX_VALUE) {
            out.raw(OVERFLOW);
            return;
        }
        number++;
        this.store.set(in, keyStart, keyLength, ascii(Long.toString(number)));
        out.integer(number);
    }

    /**
     * Parses a value as redis-server's {@code string2ll} does: an optional {@code -}, then digits without
     * leading zeros, within 64 bits.
     * @return the number, or {@link Long#MIN_VALUE} when it is not one (the caller tells the two apart)
     */
    static long parseLong(byte[] value) {
        int length = value.length;
        if (length == 0 || length > 20) {
            return Long.MIN_VALUE;
        }
        if (length == 1 && value[0] == '0') {
            return 0;
        }
        boolean negative = value[0] == '-';
        int at = negative ? 1 : 0;
        if (at == length || value[at] < '1' || value[at] > '9') {
            return Long.MIN_VALUE;
        }
        long result = 0; // accumulated negatively, so that Long.MIN_VALUE fits
        for (; at < length; at++) {
            int digit = value[at] - '0';
            if (digit < 0 || digit > 9 || result < (Long.MIN_VALUE + digit) / 10) {
                return Long.MIN_VALUE;
            }
            result = result * 10 - digit;
        }
        if (!negative) {
            return (result == Long.MIN_VALUE) ? Long.MIN_VALUE : -result;
        }
        return result;
    }

    private static Next arity(RespReply out, String command) throws IOException {
        out.error("ERR wrong number of arguments for '" + command + "' command");
        return Next.CONTINUE;
    }

    /** @return whether the bytes at {@code start} are the upper-case name in any case (length checked by the caller) */
    private static boolean is(byte[] in, int start, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if ((in[start + i] & 0xDF) != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] in, int start, int length) {
        return new String(in, start, Math.min(length, 128), StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

}
