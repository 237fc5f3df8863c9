package dev.wisp.store;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a row's columns left to right, so a mapper reads in the same order it appended. */
final class Columns {
    private final ResultSet rs;
    private int next = 1;

    Columns(ResultSet rs) { this.rs = rs; }

    String string() throws SQLException { return rs.getString(next++); }

    long int64() throws SQLException { return rs.getLong(next++); }

    int int32() throws SQLException { return rs.getInt(next++); }

    double float64() throws SQLException { return rs.getDouble(next++); }

    boolean bool() throws SQLException { return rs.getBoolean(next++); }
}
