package io.obsync.source;

/** A change could not be delivered and resending cannot cure it: the task stops before it, with this one line. */
public class DeliveryStoppedException extends IllegalStateException {

    public DeliveryStoppedException(String message) {
        super(message);
    }
}
