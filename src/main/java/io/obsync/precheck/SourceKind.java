package io.obsync.precheck;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kind of server the source is, from the version it reports: an OceanBase tenant (through
 * obproxy and its Binlog Service, version {@code 5.7.25-OceanBase_CE-v4.2.1.2}) or another
 * MySQL-protocol server standing in for one (MariaDB, MySQL). The checks that only OceanBase needs
 * are asked of it.
 */
record SourceKind(String version, boolean oceanBase, boolean community, int[] oceanBaseVersion) {

    /** The first observer version that has the Binlog Service. */
    static final int[] MINIMUM = {4, 2, 1};

    private static final Pattern OCEANBASE = Pattern.compile("OceanBase(_CE)?[-_ ]?v?(\\d+)\\.(\\d+)\\.(\\d+)", Pattern.CASE_INSENSITIVE);

    /** The kind a server's {@code version} and {@code version_comment} variables tell. */
    static SourceKind of(Map<String, String> variables) {
        String version = variables.getOrDefault("version", "");
        String comment = variables.getOrDefault("version_comment", "");
        for (String text : new String[] {version, comment}) {
            Matcher m = OCEANBASE.matcher(text);
            if (m.find()) {
                int[] numbers = {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))};
                return new SourceKind(version, true, m.group(1) != null, numbers);
            }
        }
        return new SourceKind(version, false, false, null);
    }

    /** Whether the observer is older than the first version with the Binlog Service. */
    boolean tooOld() {
        if (!oceanBase) {
            return false;
        }
        for (int i = 0; i < MINIMUM.length; i++) {
            if (oceanBaseVersion[i] != MINIMUM[i]) {
                return oceanBaseVersion[i] < MINIMUM[i];
            }
        }
        return false;
    }

    /** "OceanBase CE 4.2.1", or the version another server reports. */
    String describe() {
        if (!oceanBase) {
            return version.isEmpty() ? "a server that reports no version" : version;
        }
        return "OceanBase" + (community ? " CE " : " ") + oceanBaseVersion[0] + "." + oceanBaseVersion[1] + "." + oceanBaseVersion[2];
    }

    /** The tenant and cluster an obproxy login names ({@code user@tenant#cluster}, {@code user@tenant}); nulls where absent. */
    static String[] tenantAndCluster(String user) {
        int at = user.lastIndexOf('@');
        if (at < 0) {
            return new String[] {null, null};
        }
        String rest = user.substring(at + 1);
        int hash = rest.indexOf('#');
        String tenant = hash < 0 ? rest : rest.substring(0, hash);
        String cluster = hash < 0 ? null : rest.substring(hash + 1);
        return new String[] {tenant.isEmpty() ? null : tenant, cluster == null || cluster.isEmpty() ? null : cluster};
    }

    static boolean same(String a, String b) {
        return a != null && b != null && a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
