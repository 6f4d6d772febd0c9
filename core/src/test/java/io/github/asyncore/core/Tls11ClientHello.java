package io.github.asyncore.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Random;

/**
 * A ClientHello as a TLS 1.1 client sends it (RFC 4346): client_version 3.2, no supported_versions
 * extension, two ECDHE CBC suites, the P-256 group. A JDK client cannot send one while its
 * {@code jdk.tls.disabledAlgorithms} names TLSv1.1, and changing that security property would change it
 * for every test in the JVM, so the tests write the bytes themselves.
 */
public final class Tls11ClientHello {

    private Tls11ClientHello() {
    }

    /**
     * Sends the ClientHello to 127.0.0.1 and reads what the server answers until it closes the connection.
     * @param port the server's port
     * @return the server's bytes, for {@link #isProtocolVersionAlert(byte[])}
     */
    public static byte[] sendTo(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(bytes());
            socket.getOutputStream().flush();
            return readUntilClosed(socket.getInputStream());
        }
    }

    /** @return whether the bytes start with a fatal protocol_version alert record */
    public static boolean isProtocolVersionAlert(byte[] answer) {
        return answer.length >= 7 && answer[0] == 21 && answer[5] == 2 && answer[6] == 70;
    }

    /** @return the record that carries the ClientHello */
    public static byte[] bytes() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] { 3, 2 }); // client_version TLS 1.1
        byte[] random = new byte[32];
        new Random(11).nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        // two suites: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA
        body.writeBytes(new byte[] { 0, 4, (byte) 0xC0, 0x09, (byte) 0xC0, 0x13 });
        body.writeBytes(new byte[] { 1, 0 }); // compression: null
        byte[] extensions = { 0x00, 0x0a, 0, 4, 0, 2, 0, 0x17, // supported_groups: secp256r1
                0x00, 0x0b, 0, 2, 1, 0 }; // ec_point_formats: uncompressed
        body.writeBytes(new byte[] { 0, (byte) extensions.length });
        body.writeBytes(extensions);
        int length = body.size();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] { 22, 3, 1, 0, (byte) (length + 4) }); // handshake record, TLS 1.0 framing
        record.writeBytes(new byte[] { 1, 0, 0, (byte) length }); // client_hello
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    /** @return what the server sent until it closed the connection (or reset it) */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[512];
        try {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                received.write(chunk, 0, read);
            }
        }
        catch (SocketException reset) {
            // what arrived before the reset stays
        }
        return received.toByteArray();
    }

}
