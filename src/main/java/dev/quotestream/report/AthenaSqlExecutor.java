package dev.quotestream.report;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.athena.Athena2Constants;
import org.apache.camel.component.aws2.athena.Athena2Operations;
import org.apache.camel.component.aws2.athena.Athena2OutputType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs a report query on Athena through camel-aws2-athena: {@code startQueryExecution} with the component's wait
 * (workgroup, output location, database and wait settings are on the endpoint URI), then {@code getQueryResults}
 * page by page ({@code NextToken}). Parameters become Athena execution parameters (typed literals), never SQL text.
 */
public class AthenaSqlExecutor implements SqlExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(AthenaSqlExecutor.class);
    /** What a text parameter may contain: ticker symbols and commas. No quote can reach the literal. */
    private static final Pattern SAFE_TEXT = Pattern.compile("[A-Za-z0-9.,=^_\\-]*");

    private final CamelContext context;
    private final String startUri;
    private final String resultsUri;
    private volatile ProducerTemplate template;

    public AthenaSqlExecutor(CamelContext context, String startUri, String resultsUri) {
        this.context = context;
        this.startUri = startUri;
        this.resultsUri = resultsUri;
    }

    /** An Athena execution parameter: the typed value as a Trino literal. */
    static String literal(Object value) {
        if (value instanceof LocalDate d) {
            return "'" + d + "'";
        }
        if (value instanceof String s) {
            if (!SAFE_TEXT.matcher(s).matches()) {
                throw new IllegalArgumentException("query parameter '" + s + "' has characters outside [A-Za-z0-9.,=^_-]");
            }
            return "'" + s + "'";
        }
        if (value instanceof BigDecimal n) {
            return n.toPlainString();
        }
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return BigDecimal.valueOf(d).toPlainString();
        }
        throw new IllegalArgumentException("unsupported query parameter: " + value);
    }

    private ProducerTemplate template() {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = context.createProducerTemplate();
                }
            }
        }
        return template;
    }

    /** Runs a statement without results (DDL) and waits until it SUCCEEDED; returns its query execution id. */
    public String execute(String sql) {
        return start(sql, List.of());
    }

    /** Runs a statement without results (INSERT INTO) with execution parameters; returns its query execution id. */
    public String execute(String sql, List<Object> parameters) {
        return start(sql, parameters);
    }

    /** StartQueryExecution with the component's wait; the query execution id once it SUCCEEDED, else an error. */
    private String start(String sql, List<Object> parameters) {
        List<String> literals = parameters.stream().map(AthenaSqlExecutor::literal).toList();
        Exchange started = AthenaExecutionParameters.with(literals, () -> template().send(startUri, e -> {
            e.getIn().setBody(sql);
            e.getIn().setHeader(Athena2Constants.OPERATION, Athena2Operations.startQueryExecution);
        }));
        if (started.getException() != null) {
            throw new IllegalStateException("Athena StartQueryExecution failed: " + started.getException().getMessage(),
                    started.getException());
        }
        String id = started.getMessage().getHeader(Athena2Constants.QUERY_EXECUTION_ID, String.class);
        GetQueryExecutionResponse execution = started.getMessage().getBody(GetQueryExecutionResponse.class);
        QueryExecutionState state = execution == null ? null : execution.queryExecution().status().state();
        if (state != QueryExecutionState.SUCCEEDED) {
            String reason = execution == null ? "no status within the wait timeout"
                    : execution.queryExecution().status().stateChangeReason();
            throw new IllegalStateException("Athena query " + id + " ended " + state + ": " + reason);
        }
        return id;
    }

    @Override
    public QueryResult query(String sql, List<Object> parameters) {
        String id = start(sql, parameters);

        List<String> columns = null;
        List<List<String>> rows = new ArrayList<>();
        String nextToken = null;
        int pages = 0;
        do {
            String token = nextToken;
            Exchange page = template().send(resultsUri, e -> {
                e.getIn().setHeader(Athena2Constants.OPERATION, Athena2Operations.getQueryResults);
                e.getIn().setHeader(Athena2Constants.OUTPUT_TYPE, Athena2OutputType.SelectList);
                e.getIn().setHeader(Athena2Constants.QUERY_EXECUTION_ID, id);
                if (token != null) {
                    e.getIn().setHeader(Athena2Constants.NEXT_TOKEN, token);
                }
            });
            if (page.getException() != null) {
                throw new IllegalStateException("Athena GetQueryResults failed for " + id + ": "
                        + page.getException().getMessage(), page.getException());
            }
            GetQueryResultsResponse response = page.getMessage().getBody(GetQueryResultsResponse.class);
            List<Row> pageRows = response.resultSet().rows();
            int first = 0;
            if (columns == null) {
                columns = response.resultSet().resultSetMetadata().columnInfo().stream().map(ColumnInfo::name).toList();
                // The first row of a SELECT's first page holds the column names.
                if (!pageRows.isEmpty() && text(pageRows.get(0)).equals(columns)) {
                    first = 1;
                }
            }
            for (int i = first; i < pageRows.size(); i++) {
                rows.add(text(pageRows.get(i)));
            }
            nextToken = response.nextToken();
            pages++;
        } while (nextToken != null && !nextToken.isEmpty());
        LOG.info("Athena query {}: {} rows in {} page(s)", id, rows.size(), pages);
        return new QueryResult(columns, rows);
    }

    private static List<String> text(Row row) {
        List<String> values = new ArrayList<>(row.data().size());
        for (Datum d : row.data()) {
            values.add(d.varCharValue());
        }
        return values;
    }
}
