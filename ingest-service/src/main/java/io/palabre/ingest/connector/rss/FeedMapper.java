package io.palabre.ingest.connector.rss;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.enterprise.context.ApplicationScoped;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import io.palabre.ingest.connector.Mapping;
import io.palabre.ingest.connector.MentionBuilder;
import io.palabre.ingest.connector.MentionBuilder.Source;
import io.palabre.ingest.connector.MentionBuilder.UnmappableException;
import io.palabre.ingest.connector.Text;

/**
 * Maps RSS 2.0 and Atom feeds to canonical mentions: an item's id is its {@code guid} or {@code link} (RSS) or
 * {@code id} (Atom), its author the feed (or the item's author when it names one), its text the title and the
 * content without HTML. Atom Threading Extensions ({@code thr:in-reply-to}, RFC 4685) give the parent. An Atom
 * entry updated after it was published is an edit. DTDs are refused (no external entities).
 */
@ApplicationScoped
public class FeedMapper {

    static final String THREADING = "http://purl.org/syndication/thread/1.0";
    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String DC = "http://purl.org/dc/elements/1.1/";

    public Mapping map(String xml, String feedUrl, Source source) {
        Mapping mapping = new Mapping();
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            doc = builder.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            mapping.problem("not a well-formed feed: " + e.getMessage(), xml);
            return mapping;
        }
        Element root = doc.getDocumentElement();
        if ("feed".equals(root.getLocalName())) {
            String feedTitle = childText(root, ATOM, "title");
            NodeList entries = root.getElementsByTagNameNS(ATOM, "entry");
            for (int i = 0; i < entries.getLength(); i++) {
                Element entry = (Element) entries.item(i);
                add(mapping, () -> atomEntry(entry, feedUrl, feedTitle, source), entry);
            }
        } else if ("rss".equals(root.getLocalName()) || "RDF".equals(root.getLocalName())) {
            Element channel = firstChild(root, null, "channel");
            String feedTitle = channel == null ? null : childText(channel, null, "title");
            NodeList items = doc.getElementsByTagName("item");
            for (int i = 0; i < items.getLength(); i++) {
                Element item = (Element) items.item(i);
                add(mapping, () -> rssItem(item, feedUrl, feedTitle, source), item);
            }
        } else {
            mapping.problem("neither RSS nor Atom (root element " + root.getLocalName() + ")", feedUrl);
        }
        return mapping;
    }

    private interface ItemMapping {
        io.palabre.ingest.domain.MentionCaptured map() throws UnmappableException;
    }

    private static void add(Mapping mapping, ItemMapping item, Node node) {
        try {
            mapping.add(item.map());
        } catch (UnmappableException | RuntimeException e) {
            mapping.problem("feed item: " + e.getMessage(), node.getTextContent());
        }
    }

    private static io.palabre.ingest.domain.MentionCaptured atomEntry(Element entry, String feedUrl, String feedTitle,
            Source source) throws UnmappableException {
        String id = childText(entry, ATOM, "id");
        String published = childText(entry, ATOM, "published");
        String updated = childText(entry, ATOM, "updated");
        Instant created = Text.instant(published != null ? published : updated);
        boolean edited = published != null && updated != null && Text.instant(updated).isAfter(created);
        Element authorElement = firstChild(entry, ATOM, "author");
        String author = authorElement == null ? null : childText(authorElement, ATOM, "name");
        String html = childText(entry, ATOM, "content");
        if (html == null) {
            html = childText(entry, ATOM, "summary");
        }
        String link = null;
        NodeList links = entry.getElementsByTagNameNS(ATOM, "link");
        for (int i = 0; i < links.getLength(); i++) {
            Element l = (Element) links.item(i);
            if (l.getAttribute("rel").isEmpty() || "alternate".equals(l.getAttribute("rel"))) {
                link = l.getAttribute("href");
                break;
            }
        }
        MentionBuilder b = item(id, link, created, author, feedUrl, feedTitle, childText(entry, ATOM, "title"), html,
                source);
        if (edited) {
            b.kind("edit").createdAt(Text.instant(updated));
        }
        Element reply = firstChild(entry, THREADING, "in-reply-to");
        if (reply != null && !reply.getAttribute("ref").isEmpty()) {
            b.replyTo(reply.getAttribute("ref"), null);
        }
        for (Element category : children(entry, ATOM, "category")) {
            b.hashtag(category.getAttribute("term"));
        }
        return b.build();
    }

    private static io.palabre.ingest.domain.MentionCaptured rssItem(Element item, String feedUrl, String feedTitle,
            Source source) throws UnmappableException {
        String guid = childText(item, null, "guid");
        String link = childText(item, null, "link");
        String date = childText(item, null, "pubDate");
        Instant created = date == null ? source.capturedAt()
                : ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        String author = childText(item, DC, "creator");
        if (author == null) {
            author = childText(item, null, "author");
        }
        String html = childText(item, "http://purl.org/rss/1.0/modules/content/", "encoded");
        if (html == null) {
            html = childText(item, null, "description");
        }
        MentionBuilder b = item(guid != null ? guid : link, link, created, author, feedUrl, feedTitle,
                childText(item, null, "title"), html, source);
        Element reply = firstChild(item, THREADING, "in-reply-to");
        if (reply != null && !reply.getAttribute("ref").isEmpty()) {
            b.replyTo(reply.getAttribute("ref"), null);
        }
        for (Element category : children(item, null, "category")) {
            b.hashtag(category.getTextContent().trim().replace(' ', '-'));
        }
        return b.build();
    }

    private static MentionBuilder item(String id, String link, Instant created, String author, String feedUrl,
            String feedTitle, String title, String html, Source source) throws UnmappableException {
        if (id == null || id.isBlank()) {
            throw new UnmappableException("an item without guid, link or id");
        }
        String local = id.trim();
        if (!local.contains("://") && !local.startsWith("urn:") && !local.startsWith("tag:")) {
            local = feedUrl + "#" + local; // a bare guid is only unique within its feed
        }
        String text = Text.fromHtml(html);
        String authorId = author == null ? feedUrl : feedUrl + "#" + author.trim().replace(' ', '_');
        MentionBuilder b = new MentionBuilder("rss", source)
                .id(local)
                .url(link)
                .createdAt(created)
                .author(authorId, author != null ? author.trim() : feedTitle, feedTitle, false)
                .text(title == null ? text : text.isEmpty() ? title.trim() : title.trim() + "\n\n" + text);
        Text.linksInHtml(html).forEach(b::link);
        return b;
    }

    private static String childText(Element parent, String namespace, String name) {
        Element child = firstChild(parent, namespace, name);
        if (child == null) {
            return null;
        }
        String text = child.getTextContent();
        return text == null || text.isBlank() ? null : text;
    }

    private static Element firstChild(Element parent, String namespace, String name) {
        java.util.List<Element> found = children(parent, namespace, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static java.util.List<Element> children(Element parent, String namespace, String name) {
        java.util.List<Element> found = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName() != null ? e.getLocalName() : e.getNodeName())
                    && (namespace == null ? e.getNamespaceURI() == null : namespace.equals(e.getNamespaceURI()))) {
                found.add(e);
            }
        }
        return found;
    }
}
