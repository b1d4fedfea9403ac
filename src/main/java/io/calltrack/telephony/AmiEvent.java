package io.calltrack.telephony;

import java.time.Instant;
import java.util.Map;

/**
 * One AMI event as received: its name, its headers as Asterisk sent them, and when it arrived (AMI events
 * carry no timestamp unless timestampevents is on, so arrival time is the clock a call is measured by).
 */
public record AmiEvent(String name, Map<String, String> headers, Instant receivedAt) {

    public String get(String header) {
        return headers.get(header);
    }
}
