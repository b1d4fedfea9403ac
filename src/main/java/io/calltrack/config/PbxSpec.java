package io.calltrack.config;

import java.util.List;

/**
 * An Asterisk server whose AMI we listen to.
 *
 * @param contexts   dialplan contexts whose channels are inbound calls (e.g. from-trunk)
 * @param didSource  where the dialled tracking number is read: {@code exten} or {@code var:NAME}
 *                   (a channel variable the dialplan sets from To / Diversion / P-Asserted-Identity)
 * @param region     the PBX's country, to normalise national-format numbers it reports
 */
public record PbxSpec(
        String id,
        String host,
        int port,
        String username,
        String secret,
        List<String> contexts,
        String didSource,
        String region) {

    @Override
    public String toString() {
        // never print the secret
        return "PbxSpec[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username + "]";
    }
}
