package io.calltrack.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link TestServices} for every @QuarkusTest in the suite (one application for all). */
@QuarkusTestResource(TestServices.class)
public final class WithTestServices {
    private WithTestServices() {
    }
}
