package io.obsync.format;

import io.obsync.event.SourcePosition;

/** Numbers for transactions where a format wants a number rather than a transaction id string. */
final class TransactionNumbers {

    private static final long FILE_FACTOR = 10_000_000_000L;

    private TransactionNumbers() {
    }

    /**
     * {binlog file number}{transaction start position, 10 digits}: mariadb-bin.000003 at 3713 is
     * 30000003713. The same for every change of a transaction, increasing from one to the next.
     */
    static long of(SourcePosition position) {
        if (position == null) {
            return 0;
        }
        return fileNumber(position.file()) * FILE_FACTOR + position.transactionStart();
    }

    private static long fileNumber(String file) {
        if (file == null) {
            return 0;
        }
        int dot = file.lastIndexOf('.');
        String digits = dot < 0 ? file : file.substring(dot + 1);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
