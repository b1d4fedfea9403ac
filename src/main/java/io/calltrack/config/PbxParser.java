package io.calltrack.config;

import io.calltrack.phone.PhoneNumbers;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.calltrack.config.YamlScalars.integer;
import static io.calltrack.config.YamlScalars.required;
import static io.calltrack.config.YamlScalars.text;
import static io.calltrack.config.YamlScalars.zone;

/** The {@code pbx} entries of number-pool.yaml: AMI connections and their CDR stores, secrets read from the environment. */
final class PbxParser {

    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Function<String, String> environment;

    /** @param environment resolves {@code ${NAME}} in secrets (System::getenv in production) */
    PbxParser(Function<String, String> environment) {
        this.environment = environment;
    }

    PbxSpec read(YamlNode node) {
        Map<String, YamlNode> f = node.fields(Set.of("id", "host", "port", "username", "secret", "contexts",
                "did", "region", "cdr"));
        String id = required(f, node, "id");
        String host = required(f, node, "host");
        int port = integer(f.get("port"), 5038, 1, 65535);
        String username = required(f, node, "username");
        String secret = secret(f.containsKey("secret") ? f.get("secret") : null, node);
        List<String> contexts = f.getOrDefault("contexts", node.absent("contexts")).items().stream()
                .map(YamlNode::text).toList();
        String did = text(f.get("did"), "exten");
        if (!did.equals("exten") && !did.matches("var:[A-Za-z_][A-Za-z0-9_()]*")) {
            f.get("did").problem("must be 'exten' or 'var:NAME' (a channel variable set by the dialplan)");
        }
        String region = required(f, node, "region");
        if (region != null && !PhoneNumbers.isKnownRegion(region)) {
            f.get("region").problem("'" + region + "' is not a known ISO 3166 region code");
        }
        return new PbxSpec(id, host, port, username, secret, contexts, did,
                region == null ? null : region.toUpperCase(Locale.ROOT), f.containsKey("cdr") ? cdr(f.get("cdr")) : null);
    }

    private PbxSpec.CdrSource cdr(YamlNode node) {
        Map<String, YamlNode> f = node.fields(Set.of("url", "username", "password", "table", "timezone"));
        String url = required(f, node, "url");
        if (url != null && !url.matches("postgresql://[^/\\s]+/[^\\s]+")) {
            f.get("url").problem("must be postgresql://host:port/database (the database Asterisk's cdr_pgsql writes)");
        }
        String table = text(f.get("table"), "cdr");
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            f.get("table").problem("must be a table name, optionally schema-qualified (e.g. cdr or asterisk.cdr)");
        }
        java.time.ZoneId zone = zone(f.get("timezone"));
        String password = f.containsKey("password") ? secret(f.get("password"), node) : "";
        return new PbxSpec.CdrSource(url, text(f.get("username"), "asterisk"), password, table, zone);
    }

    private String secret(YamlNode node, YamlNode parent) {
        if (node == null || node.isMissing()) {
            parent.problem("secret is required (write ${ENV_VAR} to read it from the environment)");
            return null;
        }
        String raw = node.text();
        Matcher m = ENV.matcher(raw == null ? "" : raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                node.problem("environment variable " + m.group(1) + " is not set");
                value = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
