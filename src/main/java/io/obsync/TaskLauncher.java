package io.obsync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.manage.TaskStatus;
import io.obsync.settings.TaskSettings;
import org.apache.camel.main.Main;

/** Builds the Camel Main that runs one task from a properties file and a folder of YAML routes. */
public final class TaskLauncher {

    private TaskLauncher() {
    }

    /**
     * @param config    properties file, or null for ./application.properties (else the copy inside the jar)
     * @param routes    folder of *.camel.yaml files, or null for ./routes (else the copy inside the jar)
     * @param overrides properties that win over the file and the environment (used by demo, bench, tests)
     */
    public static Main create(Path config, Path routes, Map<String, String> overrides, TaskStatus status) {
        String location = configLocation(config);
        // an obsync.* key no option declares is a typo: refused before anything starts
        Properties file = read(location);
        Options.checkKnown(file.stringPropertyNames(), location.replaceFirst("^file:", ""));
        Options.checkKnown(overrides.keySet(), "the task's settings");
        // then the whole configuration as the task will see it (its own settings, the environment, the file),
        // judged as the precheck judges it, before anything starts
        TaskSettings.of(new TaskConfig(key -> overrides.containsKey(key) ? overrides.get(key)
                : Options.fromEnvironment(key) != null ? Options.fromEnvironment(key) : file.getProperty(key)));
        Main main = new Main();
        main.setPropertyPlaceholderLocations(location);
        // options the file leaves out read as their declared defaults
        main.setInitialProperties(ObsyncConfiguration.defaults());
        Properties override = new Properties();
        override.put("camel.main.routes-include-pattern", routesPattern(routes));
        override.putAll(overrides);
        main.setOverrideProperties(override);
        main.bind("taskStatus", status);
        return main;
    }

    /** The properties of a location configLocation gave (file: or classpath:). */
    public static Properties read(String location) {
        Properties properties = new Properties();
        try (InputStream in = location.startsWith("file:") ? Files.newInputStream(Path.of(location.substring("file:".length())))
                : TaskLauncher.class.getResourceAsStream("/" + location.substring("classpath:".length()))) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Configuration file " + location + " cannot be read (" + e.getMessage() + "): give a readable file with --config.");
        }
        return properties;
    }

    public static String configLocation(Path config) {
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("Configuration file '" + config + "' does not exist: give an existing file with --config.");
            }
            return "file:" + config.toAbsolutePath();
        }
        Path local = Path.of("application.properties");
        return Files.isRegularFile(local) ? "file:" + local.toAbsolutePath() : "classpath:application.properties";
    }

    public static String routesPattern(Path routes) {
        if (routes != null) {
            if (!Files.isDirectory(routes)) {
                throw new IllegalArgumentException("Routes folder '" + routes + "' does not exist: give the folder that holds the *.camel.yaml files with --routes.");
            }
            return "file:" + routes.toAbsolutePath() + "/*.camel.yaml";
        }
        Path local = Path.of("routes");
        return Files.isDirectory(local) ? "file:" + local.toAbsolutePath() + "/*.camel.yaml" : "classpath:routes/*.camel.yaml";
    }
}
