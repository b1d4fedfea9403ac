package io.calltrack.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;

import java.io.StringReader;
import java.util.List;

/**
 * What number-pool.yaml may not be, checked on the parser's event stream before a node tree is built, each
 * refusal naming its line: larger than {@link #MAX_CHARS} (a 5 MB file took 18 s to reload), holding a NUL
 * character, using aliases (the format needs none, and an alias bomb expands a small file into billions of
 * nodes) or nested deeper than {@link #MAX_DEPTH} (the format needs 6 levels).
 */
final class YamlShape {

    static final int MAX_CHARS = 1 << 20;
    static final int MAX_DEPTH = 16;
    static final String TOO_LARGE = "the file is larger than " + MAX_CHARS
            + " characters; use number ranges (a..b) for long lists";

    private YamlShape() {
    }

    static void check(String yaml) {
        if (yaml.length() > MAX_CHARS) {
            refuse(0, TOO_LARGE);
        }
        int nul = yaml.indexOf('\0');
        if (nul >= 0) {
            refuse(lineOf(yaml, nul), "the file holds a NUL character");
        }
        int depth = 0;
        try {
            for (Event event : new Yaml(new SafeConstructor(new LoaderOptions())).parse(new StringReader(yaml))) {
                if (event instanceof AliasEvent alias) {
                    refuse(line(event), "aliases (*" + alias.getAnchor() + ") are not supported: write the value out");
                } else if (event instanceof CollectionStartEvent && ++depth > MAX_DEPTH) {
                    refuse(line(event), "nested deeper than " + MAX_DEPTH + " levels");
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (InvalidPoolFileException e) {
            throw e;
        } catch (YAMLException e) {
            // the compose step that follows reports syntax errors with their line
        }
    }

    private static int line(Event event) {
        return event.getStartMark() == null ? 0 : event.getStartMark().getLine() + 1;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static void refuse(int line, String message) {
        throw new InvalidPoolFileException(List.of(new ConfigProblem("", line, message)));
    }
}
