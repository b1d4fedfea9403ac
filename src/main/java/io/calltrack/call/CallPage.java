package io.calltrack.call;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * @param nextCursor pass as {@code cursor} for the next page; null when this page is the last one (with
 *                   updatedSince: the last one for now; keep the cursor and ask again later)
 */
@Schema(name = "CallPage")
public record CallPage(List<CallView> items,
                       @Schema(description = "Opaque; pass as cursor= for the next page; null after the last page (never null in incremental sync)", example = "dTE3OTUzNzE2NzYwMDAwMDB8MTg0Mg")
                       String nextCursor) {
}
