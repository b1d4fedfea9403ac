package io.calltrack.config;

import java.util.List;

/**
 * An Asterisk server whose AMI we listen to.
 *
 * @param contexts   dialplan contexts whose channels are inbound calls (e.g. from-trunk)
 * @param didSource  where the dialled tracking number is read: {@code exten} or {@code var:NAME}
 *                   (a channel variable the dialplan sets from To / Diversion / P-Asserted-Identity)
 * @param region     the PBX's country, to normalise national-format numbers it reports
 * @param cdr        where the PBX's own call records are kept (null: none), to fill in calls that started and
 *                   ended while the AMI link was down
 */
public record PbxSpec(
        String id,
        String host,
        int port,
        String username,
        String secret,
        List<String> contexts,
        String didSource,
        String region,
        CdrSource cdr) {

    public PbxSpec(String id, String host, int port, String username, String secret, List<String> contexts,
                   String didSource, String region) {
        this(id, host, port, username, secret, contexts, didSource, region, null);
    }

    /**
     * A PostgreSQL table Asterisk's cdr_pgsql writes (its standard columns: calldate, clid, src, dst, dcontext,
     * channel, dstchannel, disposition, duration, billsec, uniqueid).
     *
     * @param url      postgresql://host:port/database
     * @param table    the table (schema-qualified if need be)
     * @param timeZone the zone of calldate when the column is a timestamp without time zone
     */
    public record CdrSource(String url, String username, String password, String table, java.time.ZoneId timeZone) {

        @Override
        public String toString() {
            return "CdrSource[url=" + url + ", table=" + table + "]"; // never print the password
        }
    }

    @Override
    public String toString() {
        // never print the secret
        return "PbxSpec[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username + "]";
    }
}
