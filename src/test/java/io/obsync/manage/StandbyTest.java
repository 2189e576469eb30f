package io.obsync.manage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.obsync.config.TaskConfig;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.Test;

/** The standby options become the cluster service's settings; one lease drives each service's timing. */
class StandbyTest {

    private static TaskConfig config(Map<String, String> values) {
        return new TaskConfig(values::get);
    }

    @Test
    void theLeaseSetsEachServicesTiming() {
        var file = (FileLockClusterService) Standby.clusterService(Standby.Service.FILE, config(Map.of("obsync.standby.lease-ms", "5000",
                "obsync.data-dir", "/srv/obsync", "obsync.standby.instance-id", "node-1")));
        assertThat(file.getRoot()).isEqualTo("/srv/obsync/standby");
        assertThat(TimeUnit.MILLISECONDS.convert(file.getAcquireLockInterval(), file.getAcquireLockIntervalUnit())).isEqualTo(1000);
        assertThat(file.getHeartbeatTimeoutMultiplier()).isEqualTo(5);
        assertThat(file.getId()).isEqualTo("node-1");

        var zookeeper = (ZooKeeperClusterService) Standby.clusterService(Standby.Service.ZOOKEEPER, config(Map.of("obsync.standby.lease-ms", "8000",
                "obsync.standby.zookeeper.nodes", "zk1:2181,zk2:2181")));
        assertThat(zookeeper.getNodes()).isEqualTo("zk1:2181,zk2:2181");
        assertThat(zookeeper.getSessionTimeout()).isEqualTo(8000);
        assertThat(zookeeper.getBasePath()).isEqualTo("/obsync");
        assertThat(zookeeper.getId()).isNotBlank();

        var kubernetes = (KubernetesClusterService) Standby.clusterService(Standby.Service.KUBERNETES, config(Map.of("obsync.standby.lease-ms", "15000",
                "obsync.standby.kubernetes.namespace", "sync", "obsync.standby.instance-id", "obsync-0")));
        assertThat(kubernetes.getLeaseDurationMillis()).isEqualTo(15000);
        assertThat(kubernetes.getRenewDeadlineMillis()).isEqualTo(10000);
        assertThat(kubernetes.getRetryPeriodMillis()).isEqualTo(3000);
        assertThat(kubernetes.getKubernetesNamespace()).isEqualTo("sync");
        assertThat(kubernetes.getPodName()).isEqualTo("obsync-0");
    }

    @Test
    void withoutAClusterServiceTheRouteSimplyRunsAndWithOneItWaitsForTheElection() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            TaskStatus status = new TaskStatus();
            assertThat(Standby.policy(camel, config(Map.of()), status)).isNotInstanceOf(ClusteredRoutePolicy.class);
            assertThat(status.getRole()).isEqualTo(TaskStatus.Role.SINGLE);
            assertThat(Standby.policy(camel, config(Map.of("obsync.standby.cluster-service", "File", "obsync.data-dir", "target/standby-test")),
                    status)).isInstanceOf(ClusteredRoutePolicy.class);
            assertThat(status.getRole()).isEqualTo(TaskStatus.Role.STANDBY);
        }
    }

    @Test
    void aStandbyRefusesPauseAndResumeInOneLine() {
        TaskStatus status = new TaskStatus();
        status.role(TaskStatus.Role.STANDBY);
        TaskManagement task = new TaskManagement(new DefaultCamelContext(), status, "source", null);
        assertThatThrownBy(task::pause).hasMessage("This instance of the task is a standby and reads nothing: pause the active instance "
                + "(its Role attribute is ACTIVE).");
        assertThatThrownBy(task::resume).hasMessageStartingWith("This instance of the task is a standby and reads nothing: resume");
        assertThat(task.getRole()).isEqualTo("STANDBY");
    }

    @Test
    void theHealthCheckSaysTheRoleAndAWaitingStandbyIsHealthy() {
        TaskStatus status = new TaskStatus();
        status.role(TaskStatus.Role.STANDBY);
        TaskHealthCheck check = new TaskHealthCheck("t1", status);
        check.setCamelContext(new DefaultCamelContext());
        var result = check.call();
        assertThat(result.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
        assertThat(result.getDetails()).containsEntry("role", "STANDBY").containsEntry("task", "t1");
    }
}
