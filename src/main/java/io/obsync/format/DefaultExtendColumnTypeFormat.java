package io.obsync.format;

/** OMS "DefaultExtendColumnType" (DEFAULT_WITH_SCHEMA): Default plus each image's column types in {@code __light_type}. */
public class DefaultExtendColumnTypeFormat extends DefaultFormat {

    public DefaultExtendColumnTypeFormat() {
        super(true);
    }
}
