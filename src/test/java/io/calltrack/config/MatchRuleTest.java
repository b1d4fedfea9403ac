package io.calltrack.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchRuleTest {

    @Test
    void everyConditionMustMatchOneOfItsPatterns() {
        MatchRule rule = new MatchRule(Map.of("medium", List.of("cpc", "ppc"), "campaign", List.of("spring-*")));
        Map<String, String> session = Map.of("medium", "CPC", "campaign", "spring-sale");
        assertTrue(rule.matches(session::get));
        assertFalse(rule.matches(Map.of("medium", "cpc", "campaign", "winter")::get));
        assertFalse(rule.matches(Map.of("campaign", "spring-sale")::get), "an absent field does not match");
    }

    @Test
    void emptyRuleIsACatchAll() {
        assertTrue(new MatchRule(Map.of()).matches(f -> null));
    }

    @Test
    void globWildcards() {
        assertTrue(MatchRule.glob("*.google.*", "www.google.com"));
        assertTrue(MatchRule.glob("a*b*c", "aXXbYYc"));
        assertFalse(MatchRule.glob("a*b*c", "aXXcYYb"));
        assertFalse(MatchRule.glob("ab*ba", "aba"));
    }
}
