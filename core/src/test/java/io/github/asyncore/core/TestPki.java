package io.github.asyncore.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for the tests with the JDK's {@code keytool}, once per test JVM, in a temporary
 * directory deleted at exit: nothing secret is committed. A test CA signs the server and client
 * certificates (so that an expired certificate really is refused: the JDK does not check the validity of
 * a trust anchor itself); {@link #stranger} is self-signed and trusted by nobody.
 */
public final class TestPki {

    public static final String PASSWORD = "changeit";

    private static TestPki instance;

    /** The test CA every peer trusts. */
    public final Identity ca;

    /** A server certificate for 127.0.0.1 and localhost, valid now. */
    public final Identity server;

    /** A server certificate for 127.0.0.1 and localhost that expired in 2020. */
    public final Identity expiredServer;

    /** A server certificate valid now, but for other.example.com only. */
    public final Identity wrongHostServer;

    /** A client certificate signed by the CA. */
    public final Identity client;

    /** A self-signed client certificate nobody trusts. */
    public final Identity stranger;

    private final Path directory;

    private TestPki(Path directory) throws Exception {
        this.directory = directory;
        this.ca = selfSigned("ca", "bc:c");
        this.server = signed("server", "san=ip:127.0.0.1,dns:localhost", null);
        this.expiredServer = signed("expired", "san=ip:127.0.0.1,dns:localhost", "2020/01/01");
        this.wrongHostServer = signed("wronghost", "san=dns:other.example.com", null);
        this.client = signed("client", null, null);
        this.stranger = selfSigned("stranger", null);
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path directory = Files.createTempDirectory("asyncore-tls-test");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(directory)));
                instance = new TestPki(directory);
            }
            catch (Exception ex) {
                throw new IllegalStateException("could not make the test certificates with keytool", ex);
            }
        }
        return instance;
    }

    /**
     * @param key the identity to present, or {@code null} for none
     * @param trusted the certificates to trust
     * @return a TLS context
     */
    public static SSLContext context(Identity key, Identity... trusted) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (key != null) {
                keys.init(key.keyStore(), PASSWORD.toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (Identity identity : trusted) {
                trust.setCertificateEntry(identity.name(), identity.certificate());
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init((key != null) ? keys.getKeyManagers() : null, trustManagers.getTrustManagers(), null);
            return context;
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Writes the identity as a PKCS#12 key store (password {@link #PASSWORD}), for
     * {@code spring.ssl.bundle.jks.*.keystore}.
     */
    public static Path writePkcs12(Identity identity, Path file) throws Exception {
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            identity.keyStore().store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** Writes a PKCS#12 trust store with the certificates, for {@code spring.ssl.bundle.jks.*.truststore}. */
    public static Path writeTrustStore(Path file, Identity... trusted) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (Identity identity : trusted) {
            store.setCertificateEntry(identity.name(), identity.certificate());
        }
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD.toCharArray());
        }
        return file;
    }

    /** Writes the identity's certificate chain as PEM, for {@code spring.ssl.bundle.pem.*.certificate}. */
    public static Path writeCertificatesPem(Identity identity, Path file) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : identity.chain()) {
            pem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Files.writeString(file, pem);
        return file;
    }

    /** Writes the identity's private key as unencrypted PKCS#8 PEM, for {@code spring.ssl.bundle.pem.*.private-key}. */
    public static Path writePrivateKeyPem(Identity identity, Path file) throws Exception {
        Files.writeString(file, pem("PRIVATE KEY", identity.key().getEncoded()));
        return file;
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** @return a PEM file holding the certificate, for tools such as {@code openssl} */
    public Path pem(Identity identity) throws IOException {
        Path file = this.directory.resolve(identity.name() + ".pem");
        if (!Files.exists(file)) {
            try {
                String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(identity.certificate().getEncoded());
                Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
            }
            catch (java.security.cert.CertificateEncodingException ex) {
                throw new IOException(ex);
            }
        }
        return file;
    }

    private Identity selfSigned(String name, String extension) throws Exception {
        Path store = this.directory.resolve(name + ".p12");
        List<String> command = new ArrayList<>(List.of("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=" + name, "-validity", "2", "-keystore", store.toString(), "-storetype",
                "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (extension != null) {
            command.addAll(List.of("-ext", extension));
        }
        keytool(command);
        KeyStore keyStore = load(store);
        return new Identity(name, (PrivateKey) keyStore.getKey(name, PASSWORD.toCharArray()),
                new X509Certificate[] { (X509Certificate) keyStore.getCertificate(name) });
    }

    private Identity signed(String name, String san, String startDate) throws Exception {
        Identity own = selfSigned(name, null);
        Path request = this.directory.resolve(name + ".csr");
        Path certificate = this.directory.resolve(name + ".crt");
        keytool(List.of("-certreq", "-alias", name, "-keystore", this.directory.resolve(name + ".p12").toString(),
                "-storepass", PASSWORD, "-file", request.toString()));
        List<String> command = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore",
                this.directory.resolve("ca.p12").toString(), "-storepass", PASSWORD, "-infile", request.toString(),
                "-outfile", certificate.toString(), "-validity", (startDate != null) ? "1" : "2"));
        if (startDate != null) {
            command.addAll(List.of("-startdate", startDate));
        }
        if (san != null) {
            command.addAll(List.of("-ext", san));
        }
        keytool(command);
        X509Certificate leaf;
        try (InputStream in = Files.newInputStream(certificate)) {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        return new Identity(name, own.key(), new X509Certificate[] { leaf, this.ca.certificate() });
    }

    private static void keytool(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool did not finish in 60 s: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool failed (" + process.exitValue() + "): " + command + "\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
        }
        catch (IOException ex) {
            // a temporary directory: the OS cleans it eventually
        }
    }

    /**
     * A private key and its certificate chain.
     * @param name the alias and common name
     * @param key the private key
     * @param chain the certificate first, then its issuer's
     */
    public record Identity(String name, PrivateKey key, X509Certificate[] chain) {

        public X509Certificate certificate() {
            return this.chain[0];
        }

        public KeyStore keyStore() throws Exception {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(this.name, this.key, PASSWORD.toCharArray(), this.chain);
            return store;
        }

    }

}
