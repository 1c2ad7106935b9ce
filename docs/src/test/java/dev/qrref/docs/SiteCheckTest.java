package dev.qrref.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.qrref.spec.Rule;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the built site ({@code target/site}, written during process-classes) the way a reader would notice problems,
 * without a browser: every internal link points to an existing file (and, for HTML pages, an existing anchor), every image
 * and other embedded resource exists, and nothing is loaded from the network (no http/https or protocol-relative
 * resource in any page, inline style or SVG). Hyperlinks to external sites are allowed: following them is the reader's
 * choice and loads nothing by itself. {@code docs/check-browser.sh} does the same in a real browser and adds console errors.
 */
class SiteCheckTest {
    private static Path site;
    private static List<Path> pages;
    private static final Map<Path, Set<String>> ANCHORS = new HashMap<>();

    @BeforeAll
    static void findSite() throws IOException {
        site = Path.of(System.getProperty("qr.docs.site", "target/site")).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(site.resolve("index.html")), "no site at " + site
                + ": the documentation is built during process-classes (./mvnw -pl docs -am verify)");
        try (Stream<Path> s = Files.walk(site)) {
            pages = s.filter(p -> p.toString().endsWith(".html")).sorted().toList();
        }
    }

    @Test
    void everyTopLevelPageExists() {
        for (String p : List.of("index.html", "spec.html", "guide.html", "python.html", "reports.html", "api/index.html")) {
            assertTrue(Files.isRegularFile(site.resolve(p)), "missing page " + p);
        }
    }

    @Test
    void linksImagesAndResourcesResolveAndNothingIsLoadedFromTheNetwork() throws IOException {
        List<String> problems = new ArrayList<>();
        int links = 0;
        int external = 0;
        for (Path page : pages) {
            Document doc = Jsoup.parse(page.toFile(), "UTF-8");
            String rel = site.relativize(page).toString();
            // embedded resources: must be local and exist
            for (Element e : doc.select("img[src], script[src], iframe[src], embed[src], source[src], video[src], audio[src], "
                    + "input[type=image][src], track[src]")) {
                checkResource(page, rel, e.tagName(), e.attr("src"), problems);
            }
            for (Element e : doc.select("object[data]")) {
                checkResource(page, rel, "object", e.attr("data"), problems);
            }
            for (Element e : doc.select("link[href]")) {
                String relAttr = e.attr("rel").toLowerCase(Locale.ROOT);
                if (relAttr.contains("stylesheet") || relAttr.contains("icon") || relAttr.contains("preload")
                        || relAttr.contains("modulepreload") || relAttr.contains("manifest")) {
                    checkResource(page, rel, "link rel=" + relAttr, e.attr("href"), problems);
                }
            }
            for (Element e : doc.select("[srcset]")) {
                for (String part : e.attr("srcset").split(",")) {
                    String url = part.trim().split("\\s+")[0];
                    if (!url.isEmpty()) {
                        checkResource(page, rel, e.tagName() + " srcset", url, problems);
                    }
                }
            }
            for (Element e : doc.select("style")) {
                checkCss(page, rel, "<style>", e.data(), problems);
            }
            for (Element e : doc.select("[style]")) {
                checkCss(page, rel, "style attribute", e.attr("style"), problems);
            }
            // hyperlinks: internal ones must resolve, external ones are counted
            for (Element a : doc.select("a[href]")) {
                String href = a.attr("href");
                if (isExternal(href)) {
                    external++;
                    continue;
                }
                if (href.startsWith("mailto:") || href.startsWith("javascript:") || href.startsWith("data:")) {
                    continue;
                }
                links++;
                checkLink(page, rel, href, problems);
            }
            if (doc.text().contains("Unresolved directive")) {
                problems.add(rel + ": contains an unresolved AsciiDoc include");
            }
        }
        try (Stream<Path> s = Files.walk(site)) {
            for (Path svg : s.filter(p -> p.toString().endsWith(".svg")).toList()) {
                checkSvg(svg, problems);
            }
        }
        System.out.printf("site check: %d pages, %d internal links, %d external hyperlinks (not followed), %d problems%n",
                pages.size(), links, external, problems.size());
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) in the site:\n" + String.join("\n", problems.subList(0, Math.min(200, problems.size()))));
        }
    }

    @Test
    void everyRuleHasExactlyOneAnchorInTheSpecification() throws IOException {
        Document spec = Jsoup.parse(site.resolve("spec.html").toFile(), "UTF-8");
        List<String> problems = new ArrayList<>();
        for (Rule r : Rule.values()) {
            // exact, case-sensitive match (jsoup's [id=x] selector ignores case, and "api-2" is a section id)
            long n = spec.select("[id]").stream().filter(e -> e.id().equals(r.id)).count();
            if (n != 1) {
                problems.add(r.id + " is anchored " + n + " times in spec.html (expected once: include rules/" + r.id + ".adoc once)");
            }
            Element box = spec.getElementById(r.id);
            if (box != null && !box.text().contains(r.statement.substring(0, Math.min(40, r.statement.length())))) {
                problems.add(r.id + ": the box does not show the statement of dev.qrref.spec.Rule");
            }
        }
        // every rule-like identifier the prose links to must exist
        for (Element a : spec.select("a[href^=#]")) {
            String id = a.attr("href").substring(1);
            if (id.matches("[A-Z]+-[0-9]+")) {
                boolean known = false;
                for (Rule r : Rule.values()) {
                    known |= r.id.equals(id);
                }
                if (!known) {
                    problems.add("spec.html links to rule " + id + ", which dev.qrref.spec.Rule does not define");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void generatedDrawingsAreThere() throws IOException {
        Path gen = site.resolve("images/gen");
        for (String name : List.of("layout-fp", "layout-int8", "layout-int6", "layout-int4", "span-groups", "tile-ownership",
                "buffer-w4", "error-by-codec", "error-by-w", "cliff")) {
            Path p = gen.resolve(name + ".svg");
            assertTrue(Files.isRegularFile(p), "missing drawing " + p);
            String svg = Files.readString(p, StandardCharsets.UTF_8);
            assertTrue(svg.contains("<svg") && svg.contains("</svg>"), p + " is not a complete SVG");
        }
        assertTrue(Files.isRegularFile(site.resolve("images/protocol-sequence.svg")), "the PlantUML protocol diagram was not rendered");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    static boolean isExternal(String url) {
        String u = url.trim().toLowerCase(Locale.ROOT);
        return u.startsWith("http:") || u.startsWith("https:") || u.startsWith("//") || u.startsWith("ftp:") || u.startsWith("ws:")
                || u.startsWith("wss:");
    }

    private static void checkResource(Path page, String rel, String what, String url, List<String> problems) {
        if (url.isBlank()) {
            problems.add(rel + ": empty " + what + " reference");
            return;
        }
        if (isExternal(url)) {
            problems.add(rel + ": " + what + " loads " + url + " from the network");
            return;
        }
        if (url.startsWith("data:")) {
            return;
        }
        Path target = target(page, url, rel, problems);
        if (target != null && !Files.isRegularFile(target)) {
            problems.add(rel + ": " + what + " " + url + " does not exist (" + site.relativize(target) + ")");
        } else if (target != null && sizeOf(target) == 0) {
            problems.add(rel + ": " + what + " " + url + " is empty");
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static final Pattern CSS_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern CSS_URL = Pattern.compile("(?:@import\\s+(?:url\\()?\\s*|url\\(\\s*)['\"]?([^'\")\\s;]+)");

    private static void checkCss(Path page, String rel, String what, String css, List<String> problems) {
        Matcher m = CSS_URL.matcher(CSS_COMMENT.matcher(css).replaceAll(""));
        while (m.find()) {
            String url = m.group(1);
            if (url.startsWith("data:") || url.startsWith("#")) {
                continue;
            }
            checkResource(page, rel, what + " url()", url, problems);
        }
    }

    private static final Pattern SVG_REF = Pattern.compile("(?:xlink:href|href|src)\\s*=\\s*[\"']([^\"']+)[\"']");

    private static void checkSvg(Path svg, List<String> problems) throws IOException {
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        String rel = site.relativize(svg).toString();
        Matcher m = SVG_REF.matcher(text);
        while (m.find()) {
            String url = m.group(1);
            if (isExternal(url)) {
                // a hyperlink inside an <a> of an SVG loads nothing; an <image> or <use> would
                int start = text.lastIndexOf('<', m.start());
                String tag = text.substring(start + 1, Math.min(text.length(), start + 8)).toLowerCase(Locale.ROOT);
                if (!tag.startsWith("a ") && !tag.startsWith("a\n")) {
                    problems.add(rel + ": SVG references " + url + " from the network");
                }
            }
        }
        Matcher c = CSS_URL.matcher(CSS_COMMENT.matcher(text).replaceAll(""));
        while (c.find()) {
            if (isExternal(c.group(1))) {
                problems.add(rel + ": SVG style loads " + c.group(1) + " from the network");
            }
        }
    }

    private static Path target(Path page, String url, String rel, List<String> problems) {
        URI uri;
        try {
            uri = new URI(url.replace(" ", "%20"));
        } catch (URISyntaxException e) {
            problems.add(rel + ": malformed reference " + url);
            return null;
        }
        String path = uri.getPath();
        if (path == null) {
            problems.add(rel + ": reference without a path " + url);
            return null;
        }
        if (path.startsWith("/")) {
            problems.add(rel + ": absolute path " + url + " (links must be relative so the site works from any folder)");
            return null;
        }
        Path t = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!t.startsWith(site)) {
            problems.add(rel + ": " + url + " points outside the site");
            return null;
        }
        if (Files.isDirectory(t)) {
            t = t.resolve("index.html");
        }
        return t;
    }

    private static void checkLink(Path page, String rel, String href, List<String> problems) throws IOException {
        Path t = target(page, href, rel, problems);
        if (t == null) {
            return;
        }
        if (!Files.isRegularFile(t)) {
            problems.add(rel + ": link " + href + " points to a missing file (" + site.relativize(t) + ")");
            return;
        }
        String fragment;
        try {
            fragment = new URI(href.replace(" ", "%20")).getFragment();
        } catch (URISyntaxException e) {
            return; // already reported
        }
        if (fragment == null || fragment.isEmpty() || !t.toString().endsWith(".html")) {
            return;
        }
        Set<String> ids = ANCHORS.get(t);
        if (ids == null) {
            ids = new HashSet<>();
            Document d = Jsoup.parse(t.toFile(), "UTF-8");
            for (Element e : d.select("[id]")) {
                ids.add(e.id());
            }
            for (Element e : d.select("a[name]")) {
                ids.add(e.attr("name"));
            }
            ANCHORS.put(t, ids);
        }
        if (!ids.contains(fragment) && !fragment.equals("top")) {
            problems.add(rel + ": link " + href + " points to a missing anchor #" + fragment + " in " + site.relativize(t));
        }
    }
}
