package io.calltrack.config;

import io.calltrack.support.TestPoolFile;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.calltrack.support.Api.given;
import static io.calltrack.support.Api.when;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class ConfigReloadTest {

    @AfterEach
    void restoreFile() {
        TestPoolFile.restore();
        when().post("/v1/admin/config/reload").then().statusCode(200);
    }

    @Test
    void validChangeIsAppliedAndTheNewNumberJoinsThePool() {
        TestPoolFile.write(TestPoolFile.read().replace("020 7946 0300..020 7946 0302", "020 7946 0300..020 7946 0303"));

        when().post("/v1/admin/config/reload").then()
                .statusCode(200)
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(4));
        when().get("/v1/admin/config").then()
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(4));
    }

    @Test
    void invalidFileAnswers422WithEveryErrorAndKeepsTheRunningConfig() {
        TestPoolFile.write(TestPoolFile.read()
                .replace("kind: dynamic\n        match: { medium: [cpc, ppc, paid] }", "kind: dynamite\n        match: { medium: [cpc, ppc, paid] }")
                .replace("020 7946 0300..020 7946 0302", "020 7946 0300..020 7946 0303\", \"not a number"));

        given().when().post("/v1/admin/config/reload").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("title", equalTo("Invalid number-pool.yaml"))
                .body("errors.path", hasItem("sites[1].pools[1].kind"))
                .body("errors.path", hasItem("sites[1].pools[2].numbers[1]"))
                .body("errors.line", hasItems(30, 37))
                .body("detail", containsString("running configuration is unchanged"));

        when().get("/v1/admin/config").then()
                .statusCode(200)
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-paid' }.kind", equalTo("dynamic"))
                .body("sites.find { it.key == 'shop' }.pools.find { it.id == 'shop-rest' }.numbers", equalTo(3));
    }
}
