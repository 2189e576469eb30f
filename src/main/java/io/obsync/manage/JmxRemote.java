package io.obsync.manage;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;

import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.obsync.config.Options;

/**
 * A JMX connector for remote tools (JConsole, VisualVM, jmxterm) on {@code obsync.jmx.port}: the
 * task's MBean and Camel's route MBeans. It listens on {@code obsync.jmx.host} (127.0.0.1 by
 * default) and asks for a user and password from {@code obsync.jmx.password-file}; listening on
 * another address without a password file is refused.
 */
public class JmxRemote extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(JmxRemote.class);

    private final String host;
    private final int port;
    private final String passwordFile;
    private final String accessFile;
    private Registry registry;
    private JMXConnectorServer server;

    /** Checks the settings; a port of 0 means no remote connector (local attach only). */
    public JmxRemote(String host, String port, String passwordFile) {
        this(host, port, passwordFile, "");
    }

    /** @param accessFile JDK access file: "user readonly" (monitoring) or "user readwrite" (control) per line; empty: all may do all */
    public JmxRemote(String host, String port, String passwordFile, String accessFile) {
        this.accessFile = accessFile == null ? "" : accessFile.trim();
        this.host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
        this.passwordFile = passwordFile == null ? "" : passwordFile.trim();
        String portText = port == null ? "" : port.trim();
        try {
            this.port = portText.isEmpty() ? 0 : Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Options.JMX_PORT.key() + " is '" + port + "': give a port number, or leave it empty for no remote JMX.");
        }
        if (this.port < 0 || this.port > 65535) {
            throw new IllegalArgumentException(Options.JMX_PORT.key() + " is " + port + ": give a port from 1 to 65535, or leave it empty for no remote JMX.");
        }
        if (!this.accessFile.isEmpty() && (this.passwordFile.isEmpty() || !Files.isReadable(Path.of(this.accessFile)))) {
            throw new IllegalArgumentException(Options.JMX_ACCESS_FILE.key() + " '" + this.accessFile + "' " + (this.passwordFile.isEmpty()
                    ? "needs users: set " + Options.JMX_PASSWORD_FILE.key() + " too." : "cannot be read: give a file with one 'user readonly' or "
                    + "'user readwrite' line per user."));
        }
        if (!this.passwordFile.isEmpty() && !Files.isReadable(Path.of(this.passwordFile))) {
            throw new IllegalArgumentException(Options.JMX_PASSWORD_FILE.key() + " '" + this.passwordFile + "' cannot be read: give a file with one "
                    + "'user password' line per user.");
        }
    }

    /** Where remote tools connect, or null when the connector is off. */
    public JMXServiceURL url() throws IOException {
        return port == 0 ? null : new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":" + port + "/jmxrmi");
    }

    @Override
    protected void doStart() throws Exception {
        if (port == 0) {
            return;
        }
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress() && passwordFile.isEmpty()) {
            throw new IllegalArgumentException(Options.JMX_HOST.key() + " is '" + host + "', reachable from other machines, and obsync.jmx.password-file is empty: "
                    + "set a password file (one 'user password' line per user) or keep obsync.jmx.host=127.0.0.1.");
        }
        RMIServerSocketFactory sockets = new LocalSockets(address);
        registry = LocateRegistry.createRegistry(port, null, sockets);
        Map<String, Object> environment = new HashMap<>();
        environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        if (!passwordFile.isEmpty()) {
            // the JDK's file-based authenticator: every connection gives a user and password from the file
            environment.put("jmx.remote.x.password.file", passwordFile);
        }
        if (!accessFile.isEmpty()) {
            // the JDK's file-based roles: readonly users read, readwrite users may also invoke and set
            environment.put("jmx.remote.x.access.file", accessFile);
        }
        server = JMXConnectorServerFactory.newJMXConnectorServer(url(), environment, ManagementFactory.getPlatformMBeanServer());
        server.start();
        LOG.info("JMX listens on {} ({})", url(), passwordFile.isEmpty() ? "no authentication: loopback only" : "users of " + passwordFile);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
        if (registry != null) {
            UnicastRemoteObject.unexportObject(registry, true);
            registry = null;
        }
    }

    /** Server sockets on one address only (RMI's default listens on every address). */
    private record LocalSockets(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
