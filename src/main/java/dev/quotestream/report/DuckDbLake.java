package dev.quotestream.report;

import org.apache.camel.support.service.ServiceSupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** One in-memory DuckDB database per JVM for the local report path; it holds only the {@code raw_data} view. */
public class DuckDbLake extends ServiceSupport {

    private Connection connection;

    public synchronized Connection connection() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection("jdbc:duckdb:");
            }
            return connection;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB: " + e.getMessage(), e);
        }
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
