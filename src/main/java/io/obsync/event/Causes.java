package io.obsync.event;

import java.util.function.Predicate;

/** The one walk along an exception's causes that every failure classifier shares (a cause may point to itself). */
public final class Causes {

    private Causes() {
    }

    /** The first exception in the chain, the error itself first, that is of the type; null when none is. */
    public static <T extends Throwable> T find(Throwable error, Class<T> type) {
        Throwable found = find(error, type::isInstance);
        return found == null ? null : type.cast(found);
    }

    /** The first exception in the chain, the error itself first, that matches; null when none does. */
    public static Throwable find(Throwable error, Predicate<Throwable> matches) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (matches.test(e)) {
                return e;
            }
        }
        return null;
    }

    /** The deepest cause (the error itself when it has none). */
    public static Throwable root(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
