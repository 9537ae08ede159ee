package io.palabre.dashboard.rest;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

import io.palabre.dashboard.service.GraphQueries.Account;
import io.palabre.dashboard.service.GraphQueries.Edge;
import io.palabre.dashboard.service.GraphQueries.Graph;
import io.palabre.dashboard.service.GraphQueries.Pruning;

/**
 * A graph written as GEXF 1.3 (Gephi), GEXF 1.2draft (Gephi, networkx and other readers that know only 1.1 and
 * 1.2draft), GraphML, or a CSV edge list. Edges are directed; an edge's type is its GEXF label (and {@code kind} in
 * 1.3, which 1.2draft does not have), and a GEXF, GraphML or CSV attribute. The XML formats say in their description
 * how the graph was pruned; every format says it in the {@value #PRUNING_HEADER} response header.
 */
public final class GraphFormats {

    /** The GEXF versions written: the current one, and the one most other readers know. */
    enum GexfVersion {
        V1_3("http://gexf.net/1.3", "1.3", "http://gexf.net/1.3/gexf.xsd"),
        V1_2_DRAFT("http://www.gexf.net/1.2draft", "1.2", "http://www.gexf.net/1.2draft/gexf.xsd");

        final String namespace;
        final String version;
        final String schema;

        GexfVersion(String namespace, String version, String schema) {
            this.namespace = namespace;
            this.version = version;
            this.schema = schema;
        }
    }

    static final String PRUNING_HEADER = "Palabre-Pruning";
    static final String GEXF = "application/gexf+xml";
    static final String GRAPHML = "application/graphml+xml";
    static final String CSV = "text/csv";

    private GraphFormats() {
    }

    /**
     * How the graph was pruned, in words: which relationships it keeps of how many that matched, by which rule. Plain
     * ASCII, so that it fits an HTTP header as it is.
     */
    static String pruning(Pruning p) {
        if (p.pruned()) {
            return "Pruned: " + p.keptEdges() + " of " + p.matchingEdges() + " matching relationships kept, "
                    + p.method();
        }
        return "Not pruned: all " + p.keptEdges() + " matching relationships (of weight " + p.minWeight()
                + " or more)";
    }

    static String gexf(Graph g, String description, GexfVersion v) {
        StringBuilder out = new StringBuilder(256 + g.edges().size() * 160);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<gexf xmlns=\"").append(v.namespace)
                .append("\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ")
                .append("xsi:schemaLocation=\"").append(v.namespace).append(' ').append(v.schema)
                .append("\" version=\"").append(v.version).append("\">\n")
                .append("  <meta lastmodifieddate=\"").append(LocalDate.now(ZoneOffset.UTC)).append("\">\n")
                .append("    <creator>Palabre</creator>\n    <description>").append(xml(description))
                .append("</description>\n  </meta>\n")
                .append("  <graph defaultedgetype=\"directed\" mode=\"static\">\n")
                .append("    <attributes class=\"node\" mode=\"static\">\n")
                .append("      <attribute id=\"platform\" title=\"platform\" type=\"string\"/>\n")
                .append("      <attribute id=\"pagerank\" title=\"pagerank\" type=\"double\"/>\n")
                .append("      <attribute id=\"community\" title=\"community\" type=\"integer\"/>\n")
                .append("      <attribute id=\"subCommunity\" title=\"subCommunity\" type=\"integer\"/>\n")
                .append("      <attribute id=\"core\" title=\"core\" type=\"integer\"/>\n")
                .append("      <attribute id=\"betweenness\" title=\"betweenness\" type=\"double\"/>\n")
                .append("    </attributes>\n")
                .append("    <attributes class=\"edge\" mode=\"static\">\n")
                .append("      <attribute id=\"type\" title=\"type\" type=\"string\"/>\n")
                .append("    </attributes>\n    <nodes>\n");
        for (Account a : g.nodes()) {
            out.append("      <node id=\"").append(xml(a.id())).append("\" label=\"").append(xml(label(a)))
                    .append("\">\n        <attvalues>\n");
            attvalue(out, "platform", a.platform());
            attvalue(out, "pagerank", a.pagerank() == null ? null : number(a.pagerank()));
            attvalue(out, "community", a.community() == null ? null : a.community().toString());
            attvalue(out, "subCommunity", a.subCommunity() == null ? null : a.subCommunity().toString());
            attvalue(out, "core", a.core() == null ? null : a.core().toString());
            attvalue(out, "betweenness", a.betweenness() == null ? null : number(a.betweenness()));
            out.append("        </attvalues>\n      </node>\n");
        }
        out.append("    </nodes>\n    <edges>\n");
        int id = 0;
        for (Edge e : g.edges()) {
            out.append("      <edge id=\"").append(id++).append("\" source=\"").append(xml(e.source()))
                    .append("\" target=\"").append(xml(e.target()));
            if (v == GexfVersion.V1_3) {
                out.append("\" kind=\"").append(e.type());
            }
            out.append("\" label=\"").append(e.type()).append("\" weight=\"").append(e.weight())
                    .append("\">\n        <attvalues>\n");
            attvalue(out, "type", e.type());
            out.append("        </attvalues>\n      </edge>\n");
        }
        return out.append("    </edges>\n  </graph>\n</gexf>\n").toString();
    }

    static String graphml(Graph g, String description) {
        StringBuilder out = new StringBuilder(256 + g.edges().size() * 160);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ")
                .append("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ")
                .append("xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ")
                .append("http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n")
                .append("  <desc>").append(xml(description)).append("</desc>\n")
                .append("  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n")
                .append("  <key id=\"platform\" for=\"node\" attr.name=\"platform\" attr.type=\"string\"/>\n")
                .append("  <key id=\"pagerank\" for=\"node\" attr.name=\"pagerank\" attr.type=\"double\"/>\n")
                .append("  <key id=\"community\" for=\"node\" attr.name=\"community\" attr.type=\"int\"/>\n")
                .append("  <key id=\"subCommunity\" for=\"node\" attr.name=\"subCommunity\" attr.type=\"int\"/>\n")
                .append("  <key id=\"core\" for=\"node\" attr.name=\"core\" attr.type=\"int\"/>\n")
                .append("  <key id=\"type\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n")
                .append("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"long\"/>\n")
                .append("  <graph id=\"palabre\" edgedefault=\"directed\">\n");
        for (Account a : g.nodes()) {
            out.append("    <node id=\"").append(xml(a.id())).append("\">\n");
            data(out, "label", label(a));
            data(out, "platform", a.platform());
            data(out, "pagerank", a.pagerank() == null ? null : number(a.pagerank()));
            data(out, "community", a.community() == null ? null : a.community().toString());
            data(out, "subCommunity", a.subCommunity() == null ? null : a.subCommunity().toString());
            data(out, "core", a.core() == null ? null : a.core().toString());
            out.append("    </node>\n");
        }
        int id = 0;
        for (Edge e : g.edges()) {
            out.append("    <edge id=\"e").append(id++).append("\" source=\"").append(xml(e.source()))
                    .append("\" target=\"").append(xml(e.target())).append("\">\n");
            data(out, "type", e.type());
            data(out, "weight", Long.toString(e.weight()));
            out.append("    </edge>\n");
        }
        return out.append("  </graph>\n</graphml>\n").toString();
    }

    static String csv(Graph g) {
        StringBuilder out = new StringBuilder(64 + g.edges().size() * 120);
        out.append("source,target,type,weight,first_seen_at,last_seen_at\r\n");
        for (Edge e : g.edges()) {
            out.append(csvField(e.source())).append(',').append(csvField(e.target())).append(',').append(e.type())
                    .append(',').append(e.weight()).append(',')
                    .append(e.firstSeenAt() == null ? "" : e.firstSeenAt().toString()).append(',')
                    .append(e.lastSeenAt() == null ? "" : e.lastSeenAt().toString()).append("\r\n");
        }
        return out.toString();
    }

    private static String label(Account a) {
        return a.handle() != null ? a.handle() : a.id();
    }

    private static void attvalue(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append("          <attvalue for=\"").append(key).append("\" value=\"").append(xml(value))
                    .append("\"/>\n");
        }
    }

    private static void data(StringBuilder out, String key, String value) {
        if (value != null) {
            out.append("      <data key=\"").append(key).append("\">").append(xml(value)).append("</data>\n");
        }
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.8g", value);
    }

    /**
     * A CSV cell: quoted when it holds a separator, a quote or a line end, and, as OWASP's CSV injection guidance
     * says, with a leading apostrophe when it begins like a formula (=, +, -, @, tab or carriage return, or their
     * full-width forms), so that a spreadsheet shows it as text instead of running it.
     */
    public static String csvField(String value) {
        String cell = value;
        if (!cell.isEmpty() && "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20".indexOf(cell.charAt(0)) >= 0) {
            cell = "'" + cell;
        }
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /** Text safe in XML content and attributes; characters XML 1.0 cannot carry are dropped. */
    static String xml(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') {
                        if (ch != 0xFFFE && ch != 0xFFFF) {
                            out.append(ch);
                        }
                    }
                }
            }
        }
        return out.toString();
    }
}
