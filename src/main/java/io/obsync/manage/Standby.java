package io.obsync.manage;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hot standby: the same task runs on several instances and exactly one of them reads the binlog.
 * The pipeline route's policy (the route that reads the binlog) is Camel's clustered route policy over a cluster service users already
 * run (a file lock on shared storage, ZooKeeper, a Kubernetes Lease): the route starts on the
 * instance elected for the task's group (named after the task, so each task is elected on its own)
 * and stops when it loses the election; the others wait. Without a cluster service the route simply
 * runs. The task's status says which role this instance has.
 */
public final class Standby {

    private static final Logger LOG = LoggerFactory.getLogger(Standby.class);

    /** The cluster services a group of instances can elect through. */
    public enum Service {
        NONE, FILE, ZOOKEEPER, KUBERNETES
    }

    private Standby() {
    }

    /**
     * The policy of the route that reads the binlog.
     *
     * @throws IllegalArgumentException one line when the cluster service's options do not fit together
     */
    public static RoutePolicy policy(CamelContext camel, TaskConfig config, TaskStatus status) throws Exception {
        Service service = config.choice(Options.STANDBY_CLUSTER_SERVICE, Service.class);
        if (service == Service.NONE) {
            status.role(TaskStatus.Role.SINGLE);
            // the route runs as any other
            return new RoutePolicySupport() {
            };
        }
        String task = config.text(Options.TASK_NAME);
        CamelClusterService cluster = clusterService(service, config);
        status.role(TaskStatus.Role.STANDBY);
        camel.addService(cluster);
        // the role follows the election, for the MBean, the metrics and the health check
        camel.addService(new RoleListener(cluster, task, status));
        LOG.info("Task {} runs as one instance ({}) of a group electing through {}: it reads the binlog only while it is the active one",
                task, cluster.getId(), service.name().toLowerCase(Locale.ROOT));
        return ClusteredRoutePolicy.forNamespace(cluster, task);
    }

    /**
     * The rules between the cluster service and its options.
     *
     * @throws IllegalArgumentException one line naming the option missing and the fix
     */
    public static void check(TaskConfig config, Service service) {
        if (service == Service.ZOOKEEPER && config.text(Options.STANDBY_ZOOKEEPER_NODES).isEmpty()) {
            throw new IllegalArgumentException(Options.STANDBY_ZOOKEEPER_NODES.key() + " is empty but " + Options.STANDBY_CLUSTER_SERVICE.key()
                    + " is zookeeper: name the ZooKeeper servers (host:port, comma-separated).");
        }
    }

    /** The cluster service the options describe, not yet started. */
    static CamelClusterService clusterService(Service service, TaskConfig config) {
        check(config, service);
        long lease = Long.parseLong(config.text(Options.STANDBY_LEASE_MS));
        String id = config.text(Options.STANDBY_INSTANCE_ID);
        if (id.isEmpty()) {
            // in a pod the host name is the pod's name, which a Lease names as its holder; elsewhere pid@host
            String host = System.getenv("HOSTNAME");
            id = service == Service.KUBERNETES && host != null && !host.isBlank() ? host : ManagementFactory.getRuntimeMXBean().getName();
        }
        switch (service) {
            case FILE -> {
                FileLockClusterService file = new FileLockClusterService();
                String root = config.text(Options.STANDBY_FILE_ROOT);
                file.setRoot(root.isEmpty() ? Path.of(config.text(Options.DATA_DIR), "standby").toString() : root);
                // the lock is tried every fifth of the lease; a leader whose heartbeat is older than the lease is stale
                file.setAcquireLockInterval(Math.max(200, lease / 5), TimeUnit.MILLISECONDS);
                file.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
                file.setHeartbeatTimeoutMultiplier(5);
                file.setId(id);
                return file;
            }
            case ZOOKEEPER -> {
                String nodes = config.text(Options.STANDBY_ZOOKEEPER_NODES);
                ZooKeeperClusterService zookeeper = new ZooKeeperClusterService();
                zookeeper.setNodes(nodes);
                zookeeper.setBasePath(config.text(Options.STANDBY_ZOOKEEPER_BASE_PATH));
                // an instance that stops answering for the session timeout loses its ephemeral node, and the role with it
                zookeeper.setSessionTimeout(lease);
                zookeeper.setConnectTimeout(Math.min(lease, 15_000));
                zookeeper.setId(id);
                return zookeeper;
            }
            case KUBERNETES -> {
                KubernetesClusterService kubernetes = new KubernetesClusterService();
                String namespace = config.text(Options.STANDBY_KUBERNETES_NAMESPACE);
                if (!namespace.isEmpty()) {
                    kubernetes.setKubernetesNamespace(namespace);
                }
                String master = config.text(Options.STANDBY_KUBERNETES_MASTER_URL);
                if (!master.isEmpty()) {
                    kubernetes.setMasterUrl(master);
                }
                // a leader renews its Lease within two thirds of it, and stops reading when it could not
                kubernetes.setLeaseDurationMillis(lease);
                kubernetes.setRenewDeadlineMillis(lease * 2 / 3);
                kubernetes.setRetryPeriodMillis(Math.max(200, lease / 5));
                kubernetes.setKubernetesResourceName("obsync");
                kubernetes.setPodName(id);
                kubernetes.setId(id);
                return kubernetes;
            }
            default -> throw new IllegalStateException("no cluster service for " + service);
        }
    }

    /** Keeps the task's role in step with the election of the task's group. */
    private static final class RoleListener extends ServiceSupport implements CamelClusterEventListener.Leadership {
        private final CamelClusterService cluster;
        private final String task;
        private final TaskStatus status;
        private CamelClusterView view;

        RoleListener(CamelClusterService cluster, String task, TaskStatus status) {
            this.cluster = cluster;
            this.task = task;
            this.status = status;
        }

        @Override
        protected void doStart() throws Exception {
            view = cluster.getView(task);
            view.addEventListener(this);
        }

        @Override
        protected void doStop() throws Exception {
            if (view != null) {
                view.removeEventListener(this);
                cluster.releaseView(view);
                view = null;
            }
        }

        @Override
        public void leadershipChanged(CamelClusterView changed, CamelClusterMember leader) {
            boolean active = leader != null && leader.isLocal();
            TaskStatus.Role role = active ? TaskStatus.Role.ACTIVE : TaskStatus.Role.STANDBY;
            if (status.getRole() != role) {
                LOG.info("Task {}: this instance ({}) is now the {} one{}", task, cluster.getId(), active ? "active" : "standby",
                        active ? ": it reads the binlog from the saved position" : ": it waits while another instance reads");
            }
            status.role(role);
        }
    }
}
