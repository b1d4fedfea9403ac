package io.calltrack.config;

import io.calltrack.config.PoolSpec.Exhaustion;
import io.calltrack.config.PoolSpec.Kind;
import io.calltrack.config.SiteSpec.PrintedNumber;
import io.calltrack.phone.PhoneNumbers;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates number-pool.yaml as a whole. Every problem is collected (not just the first), each
 * naming its path and line, and nothing is returned unless the whole file is valid.
 */
public final class PoolFileParser {

    static final int MAX_RANGE = 100_000;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\\d{1,5})?");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Function<String, String> environment;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, String> numberOwners = new HashMap<>();

    private PoolFileParser(Function<String, String> environment) {
        this.environment = environment;
    }

    /** @param environment resolves {@code ${NAME}} in secrets (System::getenv in production) */
    public static PoolFile parse(String yaml, Function<String, String> environment) {
        return new PoolFileParser(environment).read(yaml);
    }

    private PoolFile read(String yaml) {
        Node root;
        try {
            YamlShape.check(yaml);
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new InvalidPoolFileException(List.of(new ConfigProblem("", line, "not valid YAML: " + e.getProblem())));
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            throw new InvalidPoolFileException(List.of(new ConfigProblem("", 0, "not valid YAML: character "
                    + String.format("U+%04X", e.getCodePoint()) + " at offset " + e.getPosition() + " is not allowed")));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new InvalidPoolFileException(List.of(new ConfigProblem("", 0, "not valid YAML: " + e.getMessage())));
        }
        YamlNode doc = new YamlNode(root, "", 1, problems);
        if (doc.isMissing()) {
            throw new InvalidPoolFileException(List.of(new ConfigProblem("", 1, "the file is empty")));
        }
        Map<String, YamlNode> top = doc.fields(Set.of("sites", "pbx", "sizing"));
        List<SiteSpec> sites = new ArrayList<>();
        YamlNode sitesNode = top.getOrDefault("sites", missing("sites", doc));
        if (sitesNode.items().isEmpty()) {
            sitesNode.problem("at least one site is required");
        }
        Set<String> poolIds = new java.util.HashSet<>();
        Set<String> siteKeys = new java.util.HashSet<>();
        for (YamlNode siteNode : sitesNode.items()) {
            SiteSpec site = site(siteNode, poolIds);
            if (site.key() != null && !siteKeys.add(site.key())) {
                siteNode.problem("duplicate site key '" + site.key() + "'");
            }
            sites.add(site);
        }
        List<PbxSpec> pbxes = new ArrayList<>();
        for (YamlNode pbxNode : top.getOrDefault("pbx", missing("pbx", doc)).items()) {
            pbxes.add(pbx(pbxNode));
        }
        SizingDefaults sizing = sizing(top.getOrDefault("sizing", missing("sizing", doc)));
        if (!problems.isEmpty()) {
            throw new InvalidPoolFileException(problems);
        }
        return new PoolFile(List.copyOf(sites), List.copyOf(pbxes), sizing);
    }

    private SiteSpec site(YamlNode node, Set<String> poolIds) {
        Map<String, YamlNode> f = node.fields(Set.of("key", "name", "region", "timezone", "domains", "printedNumbers",
                "defaultNumber", "pools", "attribution"));
        if (f.containsKey("attribution")) {
            f.get("attribution").problem("there is no attribution model to choose: a call goes to the visit that held its "
                    + "number when it rang (and a repeat caller is linked to their first call); remove this field");
        }
        String key = required(f, node, "key");
        if (key != null && !KEY.matcher(key).matches()) {
            f.get("key").problem("must be 2-63 lowercase letters, digits or '-'");
        }
        String region = required(f, node, "region");
        if (region != null && !PhoneNumbers.isKnownRegion(region)) {
            f.get("region").problem("'" + region + "' is not a known ISO 3166 region code (e.g. US, GB, RU)");
            region = null;
        }
        region = region == null ? null : region.toUpperCase(Locale.ROOT);
        List<String> domains = new ArrayList<>();
        YamlNode domainsNode = f.getOrDefault("domains", missing("domains", node));
        for (YamlNode d : domainsNode.items()) {
            String host = d.text();
            if (host != null && !HOST.matcher(host.toLowerCase(Locale.ROOT)).matches()) {
                d.problem("'" + host + "' is not a host name (e.g. example.com, *.example.com, localhost:8080)");
            } else if (host != null) {
                domains.add(host.toLowerCase(Locale.ROOT));
            }
        }
        if (domainsNode.items().isEmpty()) {
            domainsNode.problem("at least one domain is required (the script is refused elsewhere)");
        }
        List<PrintedNumber> printed = new ArrayList<>();
        YamlNode printedNode = f.getOrDefault("printedNumbers", missing("printedNumbers", node));
        for (YamlNode p : printedNode.items()) {
            String e164 = number(p, region);
            if (e164 != null) {
                printed.add(new PrintedNumber(p.text(), e164));
            }
        }
        if (printedNode.items().isEmpty()) {
            printedNode.problem("list the phone numbers printed on the site, as printed");
        }
        String defaultNumber = f.containsKey("defaultNumber") ? number(f.get("defaultNumber"), region)
                : printed.isEmpty() ? null : printed.get(0).e164();
        List<PoolSpec> pools = new ArrayList<>();
        YamlNode poolsNode = f.getOrDefault("pools", missing("pools", node));
        for (YamlNode p : poolsNode.items()) {
            PoolSpec pool = pool(p, key, region, printed);
            if (pool.id() != null && !poolIds.add(pool.id())) {
                p.problem("duplicate pool id '" + pool.id() + "' (pool ids are unique across sites)");
            }
            if (defaultNumber != null && pool.numbers().contains(defaultNumber)) {
                p.problem("the site's default number " + defaultNumber + " cannot also be a pool number");
            }
            pools.add(pool);
        }
        if (poolsNode.items().isEmpty()) {
            poolsNode.problem("at least one pool is required");
        }
        return new SiteSpec(key, text(f.get("name"), key), region, zone(f.get("timezone")), List.copyOf(domains),
                List.copyOf(printed), defaultNumber, List.copyOf(pools));
    }

    private PoolSpec pool(YamlNode node, String siteKey, String region, List<PrintedNumber> printed) {
        Map<String, YamlNode> f = node.fields(Set.of("id", "kind", "match", "numbers", "hold", "lateCallWindow",
                "exhaustion", "replaces", "attribute", "coolDown"));
        if (f.containsKey("coolDown")) {
            f.get("coolDown").problem("pools have no cool-down: numbers are reissued least recently released "
                    + "first, which already rests each one as long as the pool allows; remove this field");
        }
        String id = required(f, node, "id");
        if (id != null && !KEY.matcher(id).matches()) {
            f.get("id").problem("must be 2-63 lowercase letters, digits or '-'");
        }
        Kind kind = f.containsKey("kind") ? enumValue(f.get("kind"), Kind.class, null) : null;
        if (!f.containsKey("kind")) {
            node.problem("kind is required (static or dynamic)");
        }
        MatchRule match = match(f.getOrDefault("match", missing("match", node)));
        List<String> numbers = new ArrayList<>();
        YamlNode numbersNode = f.getOrDefault("numbers", missing("numbers", node));
        for (YamlNode n : numbersNode.items()) {
            for (String e164 : numberOrRange(n, region)) {
                String owner = numberOwners.putIfAbsent(e164, n.path());
                if (owner != null) {
                    n.problem("duplicate number " + e164 + " (already at " + owner + ")");
                } else {
                    numbers.add(e164);
                }
            }
        }
        if (numbersNode.items().isEmpty()) {
            numbersNode.problem("at least one number is required");
        }
        Duration hold = duration(f.get("hold"), Duration.ofMinutes(15));
        Duration lateCallWindow = duration(f.get("lateCallWindow"), Duration.ofHours(24));
        Exhaustion exhaustion = enumValue(f.get("exhaustion"), Exhaustion.class, Exhaustion.SHARE);
        List<String> replaces = new ArrayList<>();
        for (YamlNode r : f.getOrDefault("replaces", missing("replaces", node)).items()) {
            String e164 = number(r, region);
            if (e164 != null && printed.stream().noneMatch(p -> p.e164().equals(e164))) {
                r.problem(e164 + " is not one of the site's printedNumbers");
            } else if (e164 != null) {
                replaces.add(e164);
            }
        }
        if (replaces.isEmpty()) {
            printed.forEach(p -> replaces.add(p.e164()));
        }
        Map<String, String> attribute = new LinkedHashMap<>();
        f.getOrDefault("attribute", missing("attribute", node)).fields(Set.of("source", "medium", "campaign"))
                .forEach((k, v) -> attribute.put(k, v.text()));
        return new PoolSpec(id, siteKey, kind, match, List.copyOf(numbers), hold, lateCallWindow, exhaustion,
                List.copyOf(replaces), Map.copyOf(attribute));
    }

    private MatchRule match(YamlNode node) {
        Map<String, List<String>> conditions = new LinkedHashMap<>();
        node.fields(Set.copyOf(MatchRule.FIELDS)).forEach((field, value) -> {
            List<String> patterns = value.items().stream().map(YamlNode::text).filter(t -> t != null && !t.isEmpty()).toList();
            if (patterns.isEmpty()) {
                value.problem("give a value or a list of values");
            }
            conditions.put(field, patterns);
        });
        return new MatchRule(Map.copyOf(conditions));
    }

    private PbxSpec pbx(YamlNode node) {
        Map<String, YamlNode> f = node.fields(Set.of("id", "host", "port", "username", "secret", "contexts",
                "did", "region", "cdr"));
        String id = required(f, node, "id");
        String host = required(f, node, "host");
        int port = integer(f.get("port"), 5038, 1, 65535);
        String username = required(f, node, "username");
        String secret = secret(f.containsKey("secret") ? f.get("secret") : null, node);
        List<String> contexts = f.getOrDefault("contexts", missing("contexts", node)).items().stream()
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

    /** An IANA time zone (UTC when the field is absent). */
    private java.time.ZoneId zone(YamlNode node) {
        String tz = text(node, "UTC");
        try {
            return java.time.ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            node.problem("'" + tz + "' is not a time zone (e.g. Europe/Moscow, UTC)");
            return java.time.ZoneOffset.UTC;
        }
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

    private SizingDefaults sizing(YamlNode node) {
        Map<String, YamlNode> f = node.fields(Set.of("target", "callsAfterVisitShare", "callDelay", "minCalls"));
        double target = fraction(f.get("target"), 0.99);
        double after = fraction(f.get("callsAfterVisitShare"), 0.6);
        TreeMap<Double, Duration> delays = new TreeMap<>();
        YamlNode delayNode = f.get("callDelay");
        if (delayNode == null || delayNode.isMissing()) {
            delays.put(0.5, Duration.ofMinutes(30));
            delays.put(0.9, Duration.ofHours(6));
            delays.put(0.99, Duration.ofHours(24));
        } else {
            delayNode.fields(null).forEach((k, v) -> {
                Matcher m = Pattern.compile("p(\\d{1,2}(\\.\\d+)?)").matcher(k);
                if (!m.matches()) {
                    v.problem("quantile keys are written p50, p90, p99");
                } else {
                    delays.put(Double.parseDouble(m.group(1)) / 100, duration(v, Duration.ZERO));
                }
            });
        }
        return new SizingDefaults(target, after, delays, integer(f.get("minCalls"), 50, 1, 1_000_000));
    }

    // ---- scalars ----

    private String required(Map<String, YamlNode> fields, YamlNode parent, String name) {
        YamlNode node = fields.get(name);
        String value = node == null ? null : node.text();
        if (value == null || value.isEmpty()) {
            (node == null ? parent : node).problem(name + " is required");
            return null;
        }
        return value;
    }

    private static String text(YamlNode node, String fallback) {
        String value = node == null ? null : node.text();
        return value == null || value.isEmpty() ? fallback : value;
    }

    private String number(YamlNode node, String region) {
        String raw = node.text();
        if (raw == null) {
            return null;
        }
        if (region == null) {
            return null; // already reported on the site's region
        }
        return PhoneNumbers.toE164(raw, region).orElseGet(() -> {
            node.problem("'" + raw + "' is not a valid phone number in region " + region);
            return null;
        });
    }

    private List<String> numberOrRange(YamlNode node, String region) {
        String raw = node.text();
        if (raw == null || !raw.contains("..")) {
            String one = number(node, region);
            return one == null ? List.of() : List.of(one);
        }
        String[] ends = raw.split("\\.\\.", 2);
        String from = region == null ? null : PhoneNumbers.toE164(ends[0], region).orElse(null);
        String to = region == null ? null : PhoneNumbers.toE164(ends[1], region).orElse(null);
        if (from == null || to == null) {
            if (region != null) {
                node.problem("'" + raw + "' is not a range of two valid phone numbers (FIRST..LAST)");
            }
            return List.of();
        }
        long first = Long.parseLong(from.substring(1));
        long last = Long.parseLong(to.substring(1));
        if (from.length() != to.length() || last < first) {
            node.problem("range must run upwards between numbers of the same length");
            return List.of();
        }
        if (last - first + 1 > MAX_RANGE) {
            node.problem("range holds " + (last - first + 1) + " numbers; at most " + MAX_RANGE + " per range");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (long n = first; n <= last; n++) {
            out.add("+" + n);
        }
        return out;
    }

    private Duration duration(YamlNode node, Duration fallback) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(raw);
        if (parsed == null) {
            node.problem("'" + raw + "' is not a duration (e.g. 90s, 15m, 24h, 2d, 1h30m)");
            return fallback;
        }
        return parsed;
    }

    /** "90s", "15m", "1h30m", "2d" or ISO-8601 ("PT15M"); null when unreadable or negative. */
    static Duration parseDuration(String raw) {
        String text = raw.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("p")) {
            try {
                Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
                return d.isNegative() ? null : d;
            } catch (java.time.format.DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = DURATION_PART.matcher(text);
        Duration total = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        return at == text.length() && at > 0 ? total : null;
    }

    private int integer(YamlNode node, int fallback, int min, int max) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        node.problem("'" + raw + "' must be a whole number from " + min + " to " + max);
        return fallback;
    }

    private double fraction(YamlNode node, double fallback) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            double value = raw.endsWith("%") ? Double.parseDouble(raw.substring(0, raw.length() - 1)) / 100
                    : Double.parseDouble(raw);
            if (value > 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        node.problem("'" + raw + "' must be a share between 0 and 1 (or a percentage like 99%)");
        return fallback;
    }

    private <E extends Enum<E>> E enumValue(YamlNode node, Class<E> type, E fallback) {
        String raw = node == null ? null : node.text();
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        String name = raw.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        node.problem("'" + raw + "' is not one of: " + String.join(", ", allowed));
        return fallback;
    }

    private YamlNode missing(String key, YamlNode parent) {
        return new YamlNode(null, parent.path().isEmpty() ? key : parent.path() + "." + key, parent.line(), problems);
    }
}
