package dev.quotestream.report;

import java.util.List;

/**
 * Runs one report query. Parameters are positional ({@code ?}) and typed: {@link java.time.LocalDate},
 * {@link String} (already validated), {@link java.math.BigDecimal} or another {@link Number}. They are
 * bound by the engine (JDBC parameters in DuckDB, execution parameters in Athena), never concatenated.
 */
public interface SqlExecutor {

    QueryResult query(String sql, List<Object> parameters);
}
