package io.calltrack.web;

/** A backing service (PostgreSQL, Redis) was out of reach; {@link Outages} answers it 503 and logs it once. */
public class ServiceUnavailableException extends RuntimeException {

    private final String service;

    public ServiceUnavailableException(String service, Throwable cause) {
        super(service + " is unavailable: " + cause.getMessage(), cause);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
