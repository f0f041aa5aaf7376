package dev.quotestream.report;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;

/**
 * Makes sure the Athena view {@code raw_data}, which every report query reads, exists in the report's Glue database:
 * when Glue has no table of that name, the DDL in {@code sql/raw-data-view.sql} runs through Athena (the same
 * executor as the report queries). An existing view is left as it is.
 */
public class AthenaRawDataView {

    private static final Logger LOG = LoggerFactory.getLogger(AthenaRawDataView.class);
    public static final String VIEW = "raw_data";

    private final GlueClient glue;
    private final String database;
    private final AthenaSqlExecutor athena;

    public AthenaRawDataView(GlueClient glue, String database, AthenaSqlExecutor athena) {
        this.glue = glue;
        this.database = database;
        this.athena = athena;
    }

    /** @return true when the view was missing and has been created */
    public boolean ensure() {
        try {
            glue.getTable(b -> b.databaseName(database).name(VIEW));
            return false;
        } catch (EntityNotFoundException missing) {
            LOG.info("Catalog: view {}.{} is missing; creating it through Athena", database, VIEW);
            String id = athena.execute(SqlLibrary.get(SqlLibrary.RAW_DATA_VIEW));
            LOG.info("Catalog: view {}.{} created (Athena query {})", database, VIEW, id);
            return true;
        }
    }
}
