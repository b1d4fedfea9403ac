package io.calltrack.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The test PBX's CDR store: a table with the columns Asterisk's cdr_pgsql writes (the schema of its
 * contrib/scripts), in a schema of the suite's database that Flyway does not manage, emptied when the suite starts.
 */
public final class CdrTable {

    private static String url;
    private static String user;

    private CdrTable() {
    }

    public static void create(String dbUrl, String dbUser) {
        url = "jdbc:" + dbUrl;
        user = dbUser;
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS asterisk_cdr");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS asterisk_cdr.cdr (
                        calldate timestamp with time zone NOT NULL DEFAULT now(),
                        clid varchar(80) NOT NULL DEFAULT '', src varchar(80) NOT NULL DEFAULT '',
                        dst varchar(80) NOT NULL DEFAULT '', dcontext varchar(80) NOT NULL DEFAULT '',
                        channel varchar(80) NOT NULL DEFAULT '', dstchannel varchar(80) NOT NULL DEFAULT '',
                        lastapp varchar(80) NOT NULL DEFAULT '', lastdata varchar(80) NOT NULL DEFAULT '',
                        duration bigint NOT NULL DEFAULT 0, billsec bigint NOT NULL DEFAULT 0,
                        disposition varchar(45) NOT NULL DEFAULT '', amaflags bigint NOT NULL DEFAULT 0,
                        accountcode varchar(20) NOT NULL DEFAULT '', uniqueid varchar(150) NOT NULL DEFAULT '',
                        userfield varchar(255) NOT NULL DEFAULT '', peeraccount varchar(20) NOT NULL DEFAULT '',
                        linkedid varchar(150) NOT NULL DEFAULT '', sequence int NOT NULL DEFAULT 0)""");
            s.execute("TRUNCATE asterisk_cdr.cdr");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot make the test CDR table", e);
        }
    }

    /** Writes one record as cdr_pgsql does at a channel's hang-up. */
    public static void insert(Instant calldate, String clid, String src, String dst, String dcontext, String channel,
                              String dstchannel, String lastapp, int duration, int billsec, String disposition, String uniqueid) {
        try (Connection c = DriverManager.getConnection(url, user, "");
             PreparedStatement ps = c.prepareStatement("INSERT INTO asterisk_cdr.cdr (calldate, clid, src, dst, dcontext, "
                     + "channel, dstchannel, lastapp, duration, billsec, disposition, uniqueid, linkedid) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, calldate.atOffset(ZoneOffset.UTC));
            Object[] rest = {clid, src, dst, dcontext, channel, dstchannel, lastapp, duration, billsec, disposition, uniqueid, uniqueid};
            for (int i = 0; i < rest.length; i++) {
                ps.setObject(i + 2, rest[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
