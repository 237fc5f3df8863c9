package dev.wisp.store;

import dev.wisp.telemetry.JsonLinesSink;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;

/**
 * One telemetry stream's table: its columns and the mapping between a model object and a row. The
 * column list is the single source of the DDL, the SELECT list and the appender's column order.
 */
sealed interface Table<T> permits InvocationTable, EventTable, ResourceTable, LogTable {
    String name();

    /** The JSON Lines stream the table holds. */
    JsonLinesSink.Stream stream();

    /** "name TYPE" pairs, in table order. */
    List<String> columns();

    /**
     * The column queries bound by time. Rows arrive in nearly its order (the bus delivers as things
     * happen), so each row group's min/max of it ("zone maps") let a query skip the rest.
     */
    String timeColumn();

    /** Appends one row; the values go in {@link #columns()} order. */
    void append(DuckDBAppender appender, T item) throws SQLException;

    /** The object of the current row of a result selected with {@link #selectList()}. */
    T read(ResultSet rs) throws SQLException;

    /** What queries select from: the table itself, or a relation with the table's columns. */
    default String relation() {
        return name();
    }

    default String ddl() {
        return "CREATE TABLE IF NOT EXISTS " + name() + " (" + String.join(", ", columns()) + ")";
    }

    default String selectList() {
        return columns().stream().map(c -> c.substring(0, c.indexOf(' '))).collect(Collectors.joining(", "));
    }
}
