package io.calltrack.call;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** A call event from a PBX or cloud telephony that is not an Asterisk on AMI. */
@JsonIgnoreProperties(ignoreUnknown = true)
@Schema(name = "CallEvent", description = "start when the call rings, answer when someone picks up, end at hang-up")
public record CallEvent(
        @Schema(required = true, description = "the sending system; with externalId it identifies the call", examples = "freeswitch-1")
        String source,
        @Schema(required = true, description = "the call's id in the sending system", examples = "6f1c2d9e-call-42") String externalId,
        @Schema(required = true, enumeration = {"start", "answer", "end"}, examples = "start") String type,
        @Schema(description = "when it happened (default: now)", examples = "2026-11-23T10:15:30Z") Instant at,
        @Schema(description = "the dialled tracking number, E.164 (required on start)", examples = "+74951110005") String did,
        @Schema(description = "the caller's number, E.164; omit when withheld", examples = "+79161234567") String caller,
        @Schema(examples = "Ivan Petrov") String callerName,
        @Schema(description = "who answered (extension, agent)", examples = "101") String answeredBy,
        @Schema(description = "on an unanswered end: no-answer, busy, abandoned or failed", examples = "no-answer") String outcome) {
}
