package io.calltrack.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What an API key may do. Each role includes the ones before it. */
@Schema(description = "What the key may do (each includes the ones before it; any letter case is read)", examples = "READ")
public enum Role {
    /** Call log and reports. */
    READ,
    /** Also outcomes, spend and call events. */
    WRITE,
    /** Also pools, configuration, keys and webhooks. */
    ADMIN;

    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }
}
