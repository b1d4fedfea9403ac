package io.calltrack.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Every JSON body's text fields are refused when they hold what PostgreSQL text cannot store (see {@link Text}):
 * checked once where the JSON is read, so the 400 names the field (a path like {@code events[2]}) and no route
 * can forget it.
 */
@Singleton
public class JsonText implements ObjectMapperCustomizer {

    /** A text field that cannot be stored; ProblemMappers names it. */
    public static final class UnstorableTextException extends MismatchedInputException {
        UnstorableTextException(JsonParser p, String reason) {
            super(p, reason, String.class);
        }
    }

    private static final class StorableStrings extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            String fault = Text.unstorable(value);
            if (fault != null) {
                throw new UnstorableTextException(p, fault);
            }
            return value;
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("storable-text").addDeserializer(String.class, new StorableStrings()));
    }
}
