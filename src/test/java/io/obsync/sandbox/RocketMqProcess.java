package io.obsync.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * Apache RocketMQ's own name server and broker ({@code NamesrvStartup}, {@code BrokerStartup}) as
 * two processes on 127.0.0.1 with small heaps. The broker can be stopped and started again on the
 * same ports and store.
 */
public final class RocketMqProcess implements AutoCloseable {

    public static final String CLUSTER = "ObsyncCluster";
    public static final String BROKER = "broker-a";

    private final Path dir;
    private final int namesrvPort;
    private final Path brokerConfig;
    private RPCHook adminAcl;
    private Process namesrv;
    private Process broker;

    private RocketMqProcess(Path dir, int namesrvPort, Path brokerConfig) {
        this.dir = dir;
        this.namesrvPort = namesrvPort;
        this.brokerConfig = brokerConfig;
    }

    /** Starts a name server and a broker under dir and waits until the broker is registered. */
    /** CPU time the name server and broker processes used so far, in nanoseconds. */
    public long cpuNanos() {
        return JavaProcess.cpuNanos(namesrv) + JavaProcess.cpuNanos(broker);
    }

    public static RocketMqProcess start(Path dir) throws Exception {
        return start(dir, null, null);
    }

    /**
     * A broker with RocketMQ's ACL 2.0 on (authentication and authorization): every request must be
     * signed; the given keys are its first user, a super user, which the sandbox's admin client uses too.
     */
    public static RocketMqProcess startWithAcl(Path dir, String accessKey, String secretKey) throws Exception {
        return start(dir, accessKey, secretKey);
    }

    private static RocketMqProcess start(Path dir, String accessKey, String secretKey) throws Exception {
        Path home = Files.createDirectories(dir.resolve("rocketmq-home"));
        int namesrvPort = FreePorts.next();
        Properties ns = new Properties();
        ns.put("listenPort", Integer.toString(namesrvPort));
        ns.put("bindAddress", "127.0.0.1");
        Path nsConfig = JavaProcess.write(home.resolve("namesrv.properties"), ns);

        int brokerPort = brokerPort();
        Properties b = new Properties();
        b.put("brokerClusterName", CLUSTER);
        b.put("brokerName", BROKER);
        b.put("brokerId", "0");
        b.put("namesrvAddr", "127.0.0.1:" + namesrvPort);
        b.put("brokerIP1", "127.0.0.1");
        b.put("bindAddress", "127.0.0.1");
        b.put("listenPort", Integer.toString(brokerPort));
        b.put("storePathRootDir", home.resolve("store").toString());
        b.put("storePathCommitLog", home.resolve("store/commitlog").toString());
        b.put("autoCreateTopicEnable", "false");
        b.put("flushDiskType", "ASYNC_FLUSH");
        b.put("mappedFileSizeCommitLog", Integer.toString(64 * 1024 * 1024));
        b.put("mappedFileSizeConsumeQueue", Integer.toString(300_000 * 20));
        b.put("diskMaxUsedSpaceRatio", "95");
        if (accessKey != null) {
            String user = new ObjectMapper().writeValueAsString(Map.of("username", accessKey, "password", secretKey));
            String credentials = new ObjectMapper().writeValueAsString(Map.of("accessKey", accessKey, "secretKey", secretKey));
            b.put("authConfigPath", Files.createDirectories(home.resolve("auth")).toString());
            b.put("authenticationEnabled", "true");
            b.put("authenticationProvider", "org.apache.rocketmq.auth.authentication.provider.DefaultAuthenticationProvider");
            b.put("authenticationMetadataProvider", "org.apache.rocketmq.auth.authentication.provider.LocalAuthenticationMetadataProvider");
            b.put("initAuthenticationUser", user);
            b.put("innerClientAuthenticationCredentials", credentials);
            b.put("authorizationEnabled", "true");
            b.put("authorizationProvider", "org.apache.rocketmq.auth.authorization.provider.DefaultAuthorizationProvider");
            b.put("authorizationMetadataProvider", "org.apache.rocketmq.auth.authorization.provider.LocalAuthorizationMetadataProvider");
        }
        Path brokerConfig = JavaProcess.write(home.resolve("broker.properties"), b);

        RocketMqProcess rocketmq = new RocketMqProcess(home, namesrvPort, brokerConfig);
        if (accessKey != null) {
            rocketmq.adminAcl = new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
        }
        rocketmq.namesrv = JavaProcess.start(home.resolve("namesrv.log"), jvm(home, "256m"),
                "org.apache.rocketmq.namesrv.NamesrvStartup", "-c", nsConfig.toString());
        try {
            rocketmq.startBroker();
        } catch (Exception | Error e) {
            // a broker that never registered: stop both processes, which would otherwise outlive this JVM
            rocketmq.close();
            throw e;
        }
        return rocketmq;
    }

    // the broker also listens on listenPort - 2 (fast channel) and listenPort + 1 (HA)
    private static int brokerPort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = FreePorts.next();
            if (port > 1100 && isFree(port - 2) && isFree(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no three free ports for the RocketMQ broker on 127.0.0.1");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> jvm(Path home, String heap) {
        return List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Drocketmq.home.dir=" + home, "-Duser.home=" + home, "-Drocketmq.client.logRoot=" + home.resolve("logs"));
    }

    /** Starts the broker (again) and waits until the name server lists it, which takes about 10 s. */
    public synchronized void startBroker() throws Exception {
        if (broker != null && broker.isAlive()) {
            return;
        }
        broker = JavaProcess.start(dir.resolve("broker.log"), jvm(dir, "512m"),
                "org.apache.rocketmq.broker.BrokerStartup", "-c", brokerConfig.toString());
        long deadline = System.currentTimeMillis() + 90_000;
        while (brokerAddress() == null) {
            if (!broker.isAlive() || !namesrv.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("RocketMQ broker did not register with the name server; see " + dir);
            }
            Thread.sleep(500);
        }
    }

    /** Stops the broker (SIGTERM) and waits for it to exit; its store stays. */
    public synchronized void stopBroker() throws InterruptedException {
        JavaProcess.stop(broker);
    }

    public String namesrvAddress() {
        return "127.0.0.1:" + namesrvPort;
    }

    /** The broker's address as the name server lists it, or null while it is not registered. */
    public String brokerAddress() {
        DefaultMQAdminExt admin = admin();
        try {
            admin.start();
            ClusterInfo info = admin.examineBrokerClusterInfo();
            BrokerData data = info.getBrokerAddrTable().get(BROKER);
            return data == null ? null : data.getBrokerAddrs().get(0L);
        } catch (Exception notYet) {
            return null;
        } finally {
            admin.shutdown();
        }
    }

    /** Creates partition-ordered topics with the given number of queues, and waits until producers can see them. */
    public void createTopics(int queues, String... topics) throws Exception {
        DefaultMQAdminExt admin = admin();
        admin.start();
        try {
            String brokerAddress = brokerAddress();
            for (String topic : topics) {
                TopicConfig config = new TopicConfig(topic, queues, queues);
                config.setOrder(true);
                admin.createAndUpdateTopicConfig(brokerAddress, config);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            for (String topic : topics) {
                while (true) {
                    try {
                        if (!admin.examineTopicRouteInfo(topic).getQueueDatas().isEmpty()) {
                            break;
                        }
                    } catch (Exception notYet) {
                        // the broker registers the topic with the name server on its next heartbeat
                    }
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("topic " + topic + " did not appear in the name server");
                    }
                    Thread.sleep(250);
                }
            }
        } finally {
            admin.shutdown();
        }
    }

    private DefaultMQAdminExt admin() {
        DefaultMQAdminExt admin = adminAcl == null ? new DefaultMQAdminExt() : new DefaultMQAdminExt(adminAcl);
        admin.setNamesrvAddr(namesrvAddress());
        admin.setInstanceName("obsync-sandbox-admin-" + System.nanoTime());
        admin.setAdminExtGroup("obsync_sandbox_admin_" + System.nanoTime());
        return admin;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            JavaProcess.stop(broker);
        } finally {
            JavaProcess.stop(namesrv);
        }
    }
}
