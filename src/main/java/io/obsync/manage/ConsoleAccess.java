package io.obsync.manage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.obsync.config.Options;

/**
 * Who may act from the task console: the users of the JMX password file (obsync.jmx.password-file, JDK format:
 * {@code user password} per line) with the control role of the JMX access file (obsync.jmx.access-file: {@code user
 * readwrite}; {@code readonly} is the monitoring role; no access file: every user of the password file may act). Without a
 * password file the console is read-only.
 */
public final class ConsoleAccess {

    /** What a request's credentials allow. */
    public enum Decision { ALLOWED, NOT_CONFIGURED, NO_CREDENTIALS, WRONG_CREDENTIALS, MONITORING_ONLY }

    // a line longer than this in a credentials header is refused before it is decoded
    private static final int MAX_HEADER = 1024;

    private final Map<String, byte[]> passwords;
    private final Map<String, String> roles;

    private ConsoleAccess(Map<String, byte[]> passwords, Map<String, String> roles) {
        this.passwords = passwords;
        this.roles = roles;
    }

    /** No one may act: the console shows the task and refuses every action. */
    public static ConsoleAccess readOnly() {
        return new ConsoleAccess(Map.of(), Map.of());
    }

    /**
     * Reads the files once, at start-up.
     *
     * @throws IllegalArgumentException naming the option and the file when one cannot be read
     */
    public static ConsoleAccess of(String passwordFile, String accessFile) {
        if (passwordFile == null || passwordFile.isBlank()) {
            return readOnly();
        }
        Map<String, byte[]> passwords = new HashMap<>();
        for (String[] entry : entries(passwordFile.trim(), Options.JMX_PASSWORD_FILE.key())) {
            passwords.put(entry[0], entry.length > 1 ? entry[1].getBytes(StandardCharsets.UTF_8) : new byte[0]);
        }
        Map<String, String> roles = new HashMap<>();
        if (accessFile != null && !accessFile.isBlank()) {
            for (String[] entry : entries(accessFile.trim(), Options.JMX_ACCESS_FILE.key())) {
                roles.put(entry[0], entry.length > 1 ? entry[1] : "");
            }
        } else {
            passwords.keySet().forEach(user -> roles.put(user, "readwrite"));
        }
        return new ConsoleAccess(passwords, roles);
    }

    /** Whether anyone may act at all (a password file is set). */
    public boolean actionsPossible() {
        return !passwords.isEmpty();
    }

    /** Judges an {@code Authorization} header for an action: the control role (readwrite) is needed. */
    public Decision decide(String authorization) {
        if (passwords.isEmpty()) {
            return Decision.NOT_CONFIGURED;
        }
        if (authorization == null || authorization.isBlank()) {
            return Decision.NO_CREDENTIALS;
        }
        if (authorization.length() > MAX_HEADER || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Decision.WRONG_CREDENTIALS;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Decision.WRONG_CREDENTIALS;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Decision.WRONG_CREDENTIALS;
        }
        String user = decoded.substring(0, colon);
        byte[] expected = passwords.get(user);
        // compared in constant time, and a missing user costs the same comparison
        boolean matches = MessageDigest.isEqual(expected == null ? new byte[0] : expected,
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        if (expected == null || !matches) {
            return Decision.WRONG_CREDENTIALS;
        }
        return "readwrite".equals(roles.get(user)) ? Decision.ALLOWED : Decision.MONITORING_ONLY;
    }

    private static List<String[]> entries(String file, String option) {
        try {
            return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream().map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).map(line -> line.split("\\s+")).toList();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(option + " '" + file + "' cannot be read (" + e.getClass().getSimpleName()
                    + "): point it at a readable file, or leave it empty for a read-only console.");
        }
    }
}
