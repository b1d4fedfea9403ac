package io.calltrack.auth;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An API key as stored: never the secret itself, only its hash and a prefix to recognise it by. */
@Schema(name = "ApiKey")
public record ApiKey(
        @Schema(examples = "3") long id,
        @Schema(description = "what the key is for", examples = "amoCRM sync") String name,
        @Schema(description = "the first characters of the key, to tell keys apart", examples = "ct_Qm7xP") String prefix,
        Role role,
        @Schema(description = "the one site the key is limited to; null: every site", examples = "demo") String site,
        Instant createdAt,
        @Schema(description = "when the key was last used (to within 30 s); null if never") Instant lastUsedAt,
        @Schema(description = "when the key was revoked; null while it works") Instant revokedAt) {

    public boolean allSites() {
        return site == null;
    }
}
