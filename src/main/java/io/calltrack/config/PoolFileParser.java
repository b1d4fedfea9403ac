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

import static io.calltrack.config.YamlScalars.duration;
import static io.calltrack.config.YamlScalars.enumValue;
import static io.calltrack.config.YamlScalars.fraction;
import static io.calltrack.config.YamlScalars.integer;
import static io.calltrack.config.YamlScalars.number;
import static io.calltrack.config.YamlScalars.numberOrRange;
import static io.calltrack.config.YamlScalars.required;
import static io.calltrack.config.YamlScalars.text;
import static io.calltrack.config.YamlScalars.zone;

/**
 * Reads and validates number-pool.yaml as a whole. Every problem is collected (not just the first), each
 * naming its path and line, and nothing is returned unless the whole file is valid.
 */
public final class PoolFileParser {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\\d{1,5})?");

    private final PbxParser pbx;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, String> numberOwners = new HashMap<>();

    private PoolFileParser(Function<String, String> environment) {
        this.pbx = new PbxParser(environment);
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
        YamlNode sitesNode = top.getOrDefault("sites", doc.absent("sites"));
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
        for (YamlNode pbxNode : top.getOrDefault("pbx", doc.absent("pbx")).items()) {
            pbxes.add(pbx.read(pbxNode));
        }
        SizingDefaults sizing = sizing(top.getOrDefault("sizing", doc.absent("sizing")));
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
        YamlNode domainsNode = f.getOrDefault("domains", node.absent("domains"));
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
        YamlNode printedNode = f.getOrDefault("printedNumbers", node.absent("printedNumbers"));
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
        YamlNode poolsNode = f.getOrDefault("pools", node.absent("pools"));
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
        MatchRule match = match(f.getOrDefault("match", node.absent("match")));
        List<String> numbers = new ArrayList<>();
        YamlNode numbersNode = f.getOrDefault("numbers", node.absent("numbers"));
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
        for (YamlNode r : f.getOrDefault("replaces", node.absent("replaces")).items()) {
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
        f.getOrDefault("attribute", node.absent("attribute")).fields(Set.of("source", "medium", "campaign"))
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
}
