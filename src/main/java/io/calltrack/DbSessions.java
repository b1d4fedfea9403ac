package io.calltrack;

/** Names the service gives its database sessions where another part of it must tell them apart. */
public final class DbSessions {

    /**
     * application_name of a transaction that writes no calls (the daily report passes): the call log's sync
     * horizon need not wait for it, however long it runs.
     */
    public static final String NO_CALL_WRITES = "calltrack-no-call-writes";

    private DbSessions() {
    }
}
