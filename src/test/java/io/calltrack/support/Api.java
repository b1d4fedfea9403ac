package io.calltrack.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSender;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured's given() and when() with the suite's admin key (calltrack.admin-key of the test profile),
 * for tests of the keyed API; {@link #as(String)} for another key.
 */
public final class Api {

    public static final String ADMIN_KEY = "ct_test_admin_key_for_the_suite";

    private Api() {
    }

    public static RequestSpecification given() {
        return as(ADMIN_KEY);
    }

    public static RequestSender when() {
        return given().when();
    }

    public static RequestSpecification as(String key) {
        return RestAssured.given().header("Authorization", "Bearer " + key);
    }
}
