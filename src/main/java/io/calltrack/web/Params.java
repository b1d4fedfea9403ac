package io.calltrack.web;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;
import java.util.function.Function;

/**
 * Numbers and booleans in paths and queries, read strictly and refused with a 400 naming the parameter
 * (JAX-RS would answer a path or query value that does not convert with a bare 404, and read any word
 * but "true" as false).
 */
@Provider
public class Params implements ParamConverterProvider {

    /** A parameter whose value does not convert; ProblemMappers answers it as problem+json naming the parameter. */
    public static final class InvalidParameterException extends BadRequestException {
        private final String parameter;

        InvalidParameterException(String parameter, String detail) {
            super(detail);
            this.parameter = parameter;
        }

        public String parameter() {
            return parameter;
        }
    }

    /** A page size asked for with {@code limit}: 1-1000, else a 400 naming it. */
    public static int pageLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiException.badField("limit", "limit must be between 1 and 1000");
        }
        return limit;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> type, Type genericType, Annotation[] annotations) {
        String name = nameOf(annotations);
        if (name == null) {
            return null;
        }
        if (type == int.class || type == Integer.class) {
            return (ParamConverter<T>) strict(name, "an integer", Integer::valueOf);
        }
        if (type == long.class || type == Long.class) {
            return (ParamConverter<T>) strict(name, "an integer", Long::valueOf);
        }
        if (type == double.class || type == Double.class) {
            return (ParamConverter<T>) strict(name, "a finite number", Params::finite);
        }
        if (type == boolean.class || type == Boolean.class) {
            return (ParamConverter<T>) strict(name, "true or false", Params::bool);
        }
        return null;
    }

    private static <T> ParamConverter<T> strict(String name, String expected, Function<String, T> parse) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return parse.apply(value.trim());
                } catch (IllegalArgumentException e) {
                    throw new InvalidParameterException(name, name + " must be " + expected + ", not '"
                            + Text.printable(value) + "'");
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    private static Double finite(String value) {
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d)) {
            throw new NumberFormatException(value);
        }
        return d;
    }

    private static Boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException(value);
        };
    }

    private static String nameOf(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                return q.value();
            }
            if (a instanceof PathParam p) {
                return p.value();
            }
        }
        return null;
    }
}
