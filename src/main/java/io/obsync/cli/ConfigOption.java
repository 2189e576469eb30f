package io.obsync.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import picocli.CommandLine.Option;
import io.obsync.TaskLauncher;

/** The --config option of commands that read the task's configuration without running it. */
class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: ./application.properties, else the one in the jar).")
    Path config;

    private Properties loaded;

    /** A property as the task would see it: environment variable (OBSYNC_...) first, then the file; null when unset. */
    String property(String key) {
        String env = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        if (env != null) {
            return env;
        }
        return file().getProperty(key);
    }

    String property(String key, String fallback) {
        String value = property(key);
        return value == null ? fallback : value;
    }

    private Properties file() {
        if (loaded == null) {
            Properties properties = new Properties();
            String location = TaskLauncher.configLocation(config);
            try (InputStream in = location.startsWith("file:") ? Files.newInputStream(Path.of(location.substring("file:".length())))
                    : ConfigOption.class.getResourceAsStream("/application.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("Configuration file " + location + " cannot be read (" + e.getMessage() + "): give a readable file with --config.");
            }
            loaded = properties;
        }
        return loaded;
    }

    Path objectsFile() {
        String file = property("obsync.objects.file", "");
        if (file.isBlank()) {
            throw new IllegalArgumentException("obsync.objects.file is empty: set it to the objects YAML file (e.g. objects.yaml) first.");
        }
        return Path.of(file.trim());
    }
}
