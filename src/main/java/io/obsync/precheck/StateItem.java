package io.obsync.precheck;

import java.util.Map;

import io.obsync.config.Options;
import io.obsync.config.TaskConfig;
import io.obsync.manage.Standby;
import io.obsync.precheck.Precheck.Status;
import io.obsync.state.StateStore;
import io.obsync.state.StateStores;

/**
 * The precheck's {@code state} item: the task's state store can be used (a folder it may write, state
 * topics with settings that keep the state) and its state reads; where the task resumes. A standby
 * group over state other machines may not see is worth a look.
 */
final class StateItem {

    private StateItem() {
    }

    static void check(TaskConfig config, OceanBaseItems.Results results) {
        try {
            StateStore store = StateStores.of(config);
            String found = store.inspect();
            Map<String, Object> position = store.check();
            if (!store.shared() && config.choice(Options.STANDBY_CLUSTER_SERVICE, Standby.Service.class) != Standby.Service.NONE) {
                results.add("state", Status.WARN, "state in " + store.describe() + " with a standby group: every instance must see this "
                        + "folder (shared storage), or a standby resumes from another place; " + Options.STATE_STORE.key()
                        + "=kafka shares the state without it");
                return;
            }
            results.add("state", Status.PASS, "state in " + store.describe() + ": " + found + "; " + (position == null
                    ? "no saved position (a first start)" : "resumes from " + position.get("file") + ":" + position.get("pos")));
        } catch (IllegalArgumentException | IllegalStateException e) {
            results.add("state", Status.FAIL, e.getMessage());
        }
    }
}
