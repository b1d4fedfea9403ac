package io.calltrack.web;

import com.fasterxml.jackson.core.JsonProcessingException;

/** A request body a resource parsed itself and found malformed: a 400 naming the field at fault. */
public class MalformedBodyException extends RuntimeException {

    public MalformedBodyException(JsonProcessingException cause) {
        super(cause);
    }

    @Override
    public synchronized JsonProcessingException getCause() {
        return (JsonProcessingException) super.getCause();
    }
}
