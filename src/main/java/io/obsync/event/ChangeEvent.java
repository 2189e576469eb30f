package io.obsync.event;

import java.util.Objects;

/**
 * One change read from the source, in the single shape every stage of the pipeline reads.
 *
 * <p>Row images are arrays aligned with {@link TableSchema#columns()}; values are plain Java
 * types: Long/Integer/Short/Byte, BigDecimal (exact DECIMAL and unsigned BIGINT), Float/Double,
 * Boolean (BIT(1)), String (text, JSON, ENUM, SET), byte[] (binary, BLOB, BIT(n)),
 * LocalDate (DATE), LocalDateTime (DATETIME, zone-less wall clock of the source),
 * Instant (TIMESTAMP, an absolute instant), Duration (TIME, may be negative or past 24 h),
 * Integer (YEAR).
 */
public final class ChangeEvent {

    private final String eventId;
    private final Operation operation;
    private final String tenant;
    private final String database;
    private final String table;
    private final TableSchema schema;
    private final Object[] before;
    private final Object[] after;
    private final long commitTimeMillis;
    private final String transactionId;
    private final SourcePosition position;
    private final DdlKind ddlKind;
    private final String ddl;
    private final long transactionOrder;
    private final long transactionSize;

    private ChangeEvent(Builder b) {
        this.eventId = Objects.requireNonNull(b.eventId, "eventId");
        this.operation = Objects.requireNonNull(b.operation, "operation");
        this.tenant = b.tenant;
        this.database = b.database;
        this.table = b.table;
        this.schema = b.schema;
        this.before = b.before;
        this.after = b.after;
        this.commitTimeMillis = b.commitTimeMillis;
        this.transactionId = b.transactionId;
        this.position = b.position;
        this.ddlKind = b.ddlKind;
        this.ddl = b.ddl;
        this.transactionOrder = b.transactionOrder;
        this.transactionSize = b.transactionSize;
    }

    public static Builder builder(Operation operation) {
        return new Builder(operation);
    }

    /** Identity that is the same every time the same change is read again; consumers drop repeats by it. */
    public String eventId() {
        return eventId;
    }

    public Operation operation() {
        return operation;
    }

    /** Tenant name from configuration (the binlog does not carry it). */
    public String tenant() {
        return tenant;
    }

    /** Database name as in the source, without the tenant. */
    public String database() {
        return database;
    }

    /** "tenant.database", the form OceanBase tooling writes; just the database when no tenant is set. */
    public String qualifiedDatabase() {
        return tenant == null || tenant.isEmpty() ? database : tenant + "." + database;
    }

    public String table() {
        return table;
    }

    /** Columns of the table; for DDL the structure after the statement (null when none is left or known); null for heartbeats. */
    public TableSchema schema() {
        return schema;
    }

    /** Row before the change (UPDATE, DELETE), else null. Do not modify. */
    public Object[] before() {
        return before;
    }

    /** Row after the change (INSERT, UPDATE, ROW), else null. Do not modify. */
    public Object[] after() {
        return after;
    }

    /** The image that identifies the row now: after, or before for deletes. */
    public Object[] currentImage() {
        return after != null ? after : before;
    }

    /** Commit time of the transaction at the source, epoch milliseconds (second precision in MySQL binlogs). */
    public long commitTimeMillis() {
        return commitTimeMillis;
    }

    public String transactionId() {
        return transactionId;
    }

    public SourcePosition position() {
        return position;
    }

    public DdlKind ddlKind() {
        return ddlKind;
    }

    /** DDL statement text, verbatim; null unless operation is DDL. */
    public String ddl() {
        return ddl;
    }

    /** 1-based position of this change among the row changes of its transaction; 0 when not known. */
    public long transactionOrder() {
        return transactionOrder;
    }

    /** How many row changes its transaction has; 0 when not known (boundaries off, or a transaction past the buffer bound). */
    public long transactionSize() {
        return transactionSize;
    }

    /** Whether this is the last row change of its transaction (known only when the size is). */
    public boolean lastInTransaction() {
        return transactionSize > 0 && transactionOrder == transactionSize;
    }

    /** The same change under another database and table name (an object renamed in messages). */
    public ChangeEvent withNames(String newDatabase, String newTable) {
        Builder b = toBuilder();
        b.database = newDatabase;
        b.table = newTable;
        return new ChangeEvent(b);
    }

    /** The same change with fewer columns (column selection). */
    public ChangeEvent withColumns(TableSchema newSchema, Object[] newBefore, Object[] newAfter) {
        Builder b = toBuilder();
        b.schema = newSchema;
        b.before = newBefore;
        b.after = newAfter;
        return new ChangeEvent(b);
    }

    /** The same change with its 1-based position among its transaction's row changes. */
    public ChangeEvent withTransactionOrder(long order) {
        Builder b = toBuilder();
        b.transactionOrder = order;
        return new ChangeEvent(b);
    }

    /** The same change, now that its transaction's size is known. */
    public ChangeEvent withTransactionSize(long size) {
        Builder b = toBuilder();
        b.transactionSize = size;
        return new ChangeEvent(b);
    }

    /** The same change seen as another operation with other images, e.g. an UPDATE split into DELETE and INSERT. */
    public ChangeEvent withOperation(Operation newOperation, Object[] newBefore, Object[] newAfter, String idSuffix) {
        Builder b = toBuilder();
        b.operation = newOperation;
        b.before = newBefore;
        b.after = newAfter;
        b.eventId = eventId + idSuffix;
        return new ChangeEvent(b);
    }

    private Builder toBuilder() {
        Builder b = new Builder(operation);
        b.eventId = eventId;
        b.tenant = tenant;
        b.database = database;
        b.table = table;
        b.schema = schema;
        b.before = before;
        b.after = after;
        b.commitTimeMillis = commitTimeMillis;
        b.transactionId = transactionId;
        b.position = position;
        b.ddlKind = ddlKind;
        b.ddl = ddl;
        b.transactionOrder = transactionOrder;
        b.transactionSize = transactionSize;
        return b;
    }

    @Override
    public String toString() {
        return operation + " " + database + "." + table + " " + eventId;
    }

    /** Assembles a {@link ChangeEvent}; only the source edge and tests build events. */
    public static final class Builder {
        private String eventId;
        private Operation operation;
        private String tenant;
        private String database;
        private String table;
        private TableSchema schema;
        private Object[] before;
        private Object[] after;
        private long commitTimeMillis;
        private String transactionId;
        private SourcePosition position;
        private DdlKind ddlKind;
        private String ddl;
        private long transactionOrder;
        private long transactionSize;

        private Builder(Operation operation) {
            this.operation = operation;
        }

        public Builder eventId(String value) { this.eventId = value; return this; }
        public Builder tenant(String value) { this.tenant = value; return this; }
        public Builder database(String value) { this.database = value; return this; }
        public Builder table(String value) { this.table = value; return this; }
        public Builder schema(TableSchema value) { this.schema = value; return this; }
        public Builder before(Object[] value) { this.before = value; return this; }
        public Builder after(Object[] value) { this.after = value; return this; }
        public Builder commitTimeMillis(long value) { this.commitTimeMillis = value; return this; }
        public Builder transactionId(String value) { this.transactionId = value; return this; }
        public Builder position(SourcePosition value) { this.position = value; return this; }
        public Builder ddl(DdlKind kind, String statement) { this.ddlKind = kind; this.ddl = statement; return this; }
        public Builder transaction(long order, long size) { this.transactionOrder = order; this.transactionSize = size; return this; }

        public ChangeEvent build() {
            return new ChangeEvent(this);
        }
    }
}
