package io.obsync.cli;

import java.nio.file.Path;
import java.util.Properties;

import io.obsync.TaskLauncher;
import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.settings.TaskSettings;
import picocli.CommandLine.Option;

/** The --config option of commands that read the task's configuration without running it. */
class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (default: ./application.properties, else the one in the jar).")
    Path config;

    private Properties loaded;

    /** A property as the task would see it: environment variable (OBSYNC_...) first, then the file; null when unset. */
    String property(String key) {
        String env = Options.fromEnvironment(key);
        if (env != null) {
            return env;
        }
        return file().getProperty(key);
    }

    /** The task's configuration as the task would see it, read through the option declarations. */
    TaskConfig config() {
        return new TaskConfig(this::property);
    }

    private Properties file() {
        if (loaded == null) {
            String location = TaskLauncher.configLocation(config);
            Properties properties = TaskLauncher.read(location);
            Options.checkKnown(properties.stringPropertyNames(), location.replaceFirst("^file:", ""));
            loaded = properties;
            // every value by its declaration; the commands that run a task or read the source (run, precheck,
            // verify) judge the whole configuration with TaskSettings
            TaskSettings.checkValues(config());
        }
        return loaded;
    }

    Path objectsFile() {
        String file = config().text(Options.OBJECTS_FILE);
        if (file.isBlank()) {
            throw new IllegalArgumentException(Options.OBJECTS_FILE.key() + " is empty: set it to the objects YAML file (e.g. objects.yaml) first.");
        }
        return Path.of(file.trim());
    }
}
