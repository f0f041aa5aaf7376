package dev.quotestream.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads what the local profile left at rest under a data directory. */
public final class LocalData {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    public LocalData(Path dir) {
        this.dir = dir;
    }

    public List<Map<String, Object>> query(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("quotes.db"));
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Path> files(String under, String glob) {
        Path root = dir.resolve(under);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        var matcher = root.getFileSystem().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(p -> matcher.matches(root.relativize(p))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Map<String, Object>> jsonLines(Path file) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = JSON.readValue(line, Map.class);
                    out.add(m);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Map<String, Object>> lakeRecords() {
        return files("raw", "dt=*/ticker=*/part-*.json").stream().flatMap(f -> jsonLines(f).stream()).toList();
    }

    public List<Map<String, Object>> alerts() {
        Path f = dir.resolve("alerts/alerts.jsonl");
        return Files.exists(f) ? jsonLines(f) : List.of();
    }

    public List<Map<String, Object>> deadLetters(String stage) {
        return files("dead-letter", "dt=*/" + stage + "/*.json").stream()
                .map(f -> jsonLines(f).get(0)).toList();
    }
}
