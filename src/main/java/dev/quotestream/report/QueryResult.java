package dev.quotestream.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** A query's result as text, the way Athena returns it: column names (lower case) and rows of nullable strings. */
public record QueryResult(List<String> columns, List<List<String>> rows) {

    public QueryResult {
        columns = columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        List<List<String>> copy = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        rows = Collections.unmodifiableList(copy);
    }

    public int size() {
        return rows.size();
    }

    public String get(int row, String column) {
        int index = columns.indexOf(column.toLowerCase(Locale.ROOT));
        if (index < 0) {
            throw new IllegalArgumentException("no column '" + column + "' in " + columns);
        }
        return rows.get(row).get(index);
    }

    public double getDouble(int row, String column) {
        String v = get(row, column);
        if (v == null) {
            throw new IllegalStateException("column '" + column + "' is null in row " + row);
        }
        return Double.parseDouble(v);
    }

    public Double getNullableDouble(int row, String column) {
        String v = get(row, column);
        return v == null || v.isEmpty() ? null : Double.parseDouble(v);
    }

    public long getLong(int row, String column) {
        String v = get(row, column);
        if (v == null) {
            throw new IllegalStateException("column '" + column + "' is null in row " + row);
        }
        // DuckDB may widen integers to DOUBLE (see DuckDbCatalogRefresher); "123.0" is still whole.
        return v.contains(".") || v.contains("E") ? Math.round(Double.parseDouble(v)) : Long.parseLong(v);
    }
}
