package io.obsync.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key stores and trust stores the tests make for themselves with the JDK's keytool: nothing is checked in. */
final class TestCertificates {

    private TestCertificates() {
    }

    /**
     * A PKCS12 key store holding a new EC key and a self-signed certificate for 127.0.0.1 (as common name
     * and as IP address subject alternative name), valid for two days.
     */
    static Path selfSigned(Path dir, String name, String password) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1,O=obsync tests",
                "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", password, "-keypass", password);
        return store;
    }

    /** A PKCS12 trust store holding the certificate of a key store made by {@link #selfSigned}. */
    static Path trustStoreOf(Path keystore, String alias, String keystorePassword, Path trustStore, String trustStorePassword)
            throws IOException, InterruptedException {
        Path certificate = keystore.resolveSibling(alias + ".crt");
        keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", keystore.toString(), "-storepass", keystorePassword,
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", trustStorePassword);
        return trustStore;
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
        }
    }

}
