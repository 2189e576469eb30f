package io.obsync.precheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The source's kind from the version it reports, and the tenant an obproxy login names. */
class SourceKindTest {

    @Test
    void oceanBaseIsRecognisedByItsVersionOrComment() {
        SourceKind ce = SourceKind.of(Map.of("version", "5.7.25-OceanBase_CE-v4.2.1.2"));
        assertThat(ce.oceanBase()).isTrue();
        assertThat(ce.describe()).isEqualTo("OceanBase CE 4.2.1");
        assertThat(ce.tooOld()).isFalse();
        SourceKind enterprise = SourceKind.of(Map.of("version", "5.7.25", "version_comment", "OceanBase 4.3.5.1 (r101000012025)"));
        assertThat(enterprise.oceanBase()).isTrue();
        assertThat(enterprise.describe()).isEqualTo("OceanBase 4.3.5");
        assertThat(enterprise.tooOld()).isFalse();
    }

    @Test
    void anObserverBefore421HasNoBinlogService() {
        assertThat(SourceKind.of(Map.of("version", "5.7.25-OceanBase_CE-v4.2.0.0")).tooOld()).isTrue();
        assertThat(SourceKind.of(Map.of("version", "5.7.25-OceanBase_CE-v3.1.4")).tooOld()).isTrue();
        assertThat(SourceKind.of(Map.of("version", "5.7.25-OceanBase_CE-v4.2.1.0")).tooOld()).isFalse();
        assertThat(SourceKind.of(Map.of("version", "5.7.25-OceanBase_CE-v4.10.0.0")).tooOld()).isFalse();
    }

    @Test
    void otherServersAreNotOceanBase() {
        SourceKind mariadb = SourceKind.of(Map.of("version", "11.4.5-MariaDB-log", "version_comment", "MariaDB Server"));
        assertThat(mariadb.oceanBase()).isFalse();
        assertThat(mariadb.tooOld()).isFalse();
        assertThat(mariadb.describe()).isEqualTo("11.4.5-MariaDB-log");
        assertThat(SourceKind.of(Map.of()).describe()).isEqualTo("a server that reports no version");
    }

    @Test
    void theTenantAndClusterOfAnObproxyLogin() {
        assertThat(SourceKind.tenantAndCluster("obsync@t1#c1")).containsExactly("t1", "c1");
        assertThat(SourceKind.tenantAndCluster("obsync@t1")).containsExactly("t1", null);
        assertThat(SourceKind.tenantAndCluster("obsync")).containsExactly(null, null);
        assertThat(SourceKind.tenantAndCluster("ob@sync@mysql_tenant#prod")).containsExactly("mysql_tenant", "prod");
        assertThat(SourceKind.tenantAndCluster("obsync@#c1")).containsExactly(null, "c1");
    }
}
