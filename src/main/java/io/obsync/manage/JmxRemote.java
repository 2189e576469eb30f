package io.obsync.manage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.Remote;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private final SSLContext tls;
    private Registry registry;
    private JMXConnectorServer server;

    /** The connector the task's options describe (obsync.jmx.*). */
    public static JmxRemote of(TaskConfig config) {
        return new JmxRemote(config.text(Options.JMX_HOST), (int) config.number(Options.JMX_PORT), config.text(Options.JMX_PASSWORD_FILE),
                config.text(Options.JMX_ACCESS_FILE), config.text(Options.JMX_SSL_KEYSTORE_LOCATION), config.text(Options.JMX_SSL_KEYSTORE_PASSWORD));
    }

    /**
     * Checks the settings; a port of 0 means no remote connector (local attach only).
     *
     * @param accessFile       JDK access file: "user readonly" (monitoring) or "user readwrite" (control) per line; empty: all may do all
     * @param keystore         key store with the connector's certificate (empty: no TLS)
     * @param keystorePassword its password, also the key's
     */
    public JmxRemote(String host, int port, String passwordFile, String accessFile, String keystore, String keystorePassword) {
        this.tls = keystore == null || keystore.isBlank() ? null : tlsContext(keystore.trim(), keystorePassword);
        this.accessFile = accessFile == null ? "" : accessFile.trim();
        this.host = host == null || host.isBlank() ? "127.0.0.1" : host.trim();
        this.passwordFile = passwordFile == null ? "" : passwordFile.trim();
        this.port = port;
        if (!this.accessFile.isEmpty() && (this.passwordFile.isEmpty() || !Files.isReadable(Path.of(this.accessFile)))) {
            throw new IllegalArgumentException(Options.JMX_ACCESS_FILE.key() + " '" + this.accessFile + "' " + (this.passwordFile.isEmpty()
                    ? "needs users: set " + Options.JMX_PASSWORD_FILE.key() + " too." : "cannot be read: give a file with one 'user readonly' or "
                    + "'user readwrite' line per user."));
        }
        if (this.port != 0) {
            InetAddress address;
            try {
                address = InetAddress.getByName(this.host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(Options.JMX_HOST.key() + " is '" + this.host + "', which is no address of this machine: "
                        + "give one of its addresses, or keep 127.0.0.1.");
            }
            if (!address.isLoopbackAddress() && this.passwordFile.isEmpty()) {
                throw new IllegalArgumentException(Options.JMX_HOST.key() + " is '" + this.host + "', reachable from other machines, and "
                        + Options.JMX_PASSWORD_FILE.key() + " is empty: set a password file (one 'user password' line per user) or keep "
                        + Options.JMX_HOST.key() + "=127.0.0.1.");
            }
        }
        if (!this.passwordFile.isEmpty() && !Files.isReadable(Path.of(this.passwordFile))) {
            throw new IllegalArgumentException(Options.JMX_PASSWORD_FILE.key() + " '" + this.passwordFile + "' cannot be read: give a file with one "
                    + "'user password' line per user.");
        }
    }

    // the connector's key and certificate; a wrong file or password is one line naming the option, never the password
    private static SSLContext tlsContext(String keystore, String password) {
        char[] secret = password == null ? new char[0] : password.toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(keystore))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, secret);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, secret);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException || e instanceof UnrecoverableKeyException;
            throw new IllegalArgumentException(Options.JMX_SSL_KEYSTORE_LOCATION.key() + " is '" + keystore + "', which "
                    + (wrongPassword ? "does not open with " + Options.JMX_SSL_KEYSTORE_PASSWORD.key() + ": give the key store's password."
                    : "cannot be read as a key store (" + e.getClass().getSimpleName() + "): name a PKCS12 or JKS file with the connector's key and certificate."));
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
        RMIServerSocketFactory sockets = new LocalSockets(address, tls);
        // with TLS the registry and the connection both speak it, as with the JDK's jmxremote.registry.ssl
        RMIClientSocketFactory clientSockets = tls == null ? null : new SslRMIClientSocketFactory();
        registry = LocateRegistry.createRegistry(port, clientSockets, sockets);
        Map<String, Object> environment = new HashMap<>();
        environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        if (clientSockets != null) {
            environment.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
        }
        if (!passwordFile.isEmpty()) {
            // the JDK's file-based authenticator: every connection gives a user and password from the file
            environment.put("jmx.remote.x.password.file", passwordFile);
        }
        if (!accessFile.isEmpty()) {
            // the JDK's file-based roles: readonly users read, readwrite users may also invoke and set
            environment.put("jmx.remote.x.access.file", accessFile);
        }
        // the connector is bound into the registry in this process, not through a network lookup of it
        server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://" + host + ":" + port),
                environment, ManagementFactory.getPlatformMBeanServer());
        server.start();
        registry.rebind("jmxrmi", stubOf(server.getAddress()));
        LOG.info("JMX listens on {} ({}{})", url(), passwordFile.isEmpty() ? "no authentication: loopback only" : "users of " + passwordFile,
                tls == null ? "" : ", TLS");
    }

    // a connector server without a JNDI name carries its stub in its address: service:jmx:rmi://host:port/stub/<Base64>
    private static Remote stubOf(JMXServiceURL address) throws IOException, ClassNotFoundException {
        String path = address.getURLPath();
        byte[] serialized = Base64.getDecoder().decode(path.substring(path.indexOf("/stub/") + "/stub/".length()));
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
            return (Remote) in.readObject();
        }
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

    /** Server sockets on one address only (RMI's default listens on every address), TLS ones with a context. */
    private record LocalSockets(InetAddress address, SSLContext tls) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return tls == null ? new ServerSocket(port, 50, address) : tls.getServerSocketFactory().createServerSocket(port, 50, address);
        }
    }
}
