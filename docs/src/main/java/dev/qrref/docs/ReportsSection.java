package dev.qrref.docs;

import dev.qrref.conformance.plot.Svg;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The Reports page: whatever other parts of the project committed under {@code docs/conformance/},
 * {@code docs/benchmarks/} and {@code docs/mutation/}. Every file of a folder is copied into the site
 * ({@code reports/<folder>/...}) and shown: Markdown rendered in place (its {@code plantuml} code blocks as diagrams),
 * CSV as a table, SVG/PNG as images, text as a literal block, HTML pages linked. An absent or empty folder is reported
 * as "not produced yet"; nothing is ever made up. Writes {@code reports-<folder>.adoc}.
 */
final class ReportsSection {
    private ReportsSection() {
    }

    static final List<String> FOLDERS = List.of("conformance", "benchmarks", "mutation");
    static final Set<String> IMAGES = Set.of("svg", "png", "jpg", "jpeg", "gif");
    static final int MAX_ROWS = 300;
    static final int MAX_TEXT_LINES = 400;

    static void write(Out out, Path module) throws IOException {
        StringBuilder status = new StringBuilder();
        for (String folder : FOLDERS) {
            Path dir = module.resolve(folder);
            List<Path> files = files(dir);
            String what = switch (folder) {
                case "conformance" -> "conformance report";
                case "benchmarks" -> "benchmark report";
                default -> "mutation-testing report";
            };
            if (files.isEmpty()) {
                out.adoc("reports-" + folder + ".adoc", "[.not-produced]\nThe " + what + " has not been produced yet: `docs/" + folder
                        + "/` " + (Files.isDirectory(dir) ? "holds no report files" : "does not exist") + " in this checkout.\n\n");
                status.append(Adoc.attr("reports-" + folder, "not produced"));
                continue;
            }
            StringBuilder sb = new StringBuilder();
            sb.append("Files committed under `docs/").append(folder).append("/` (").append(files.size()).append("), shown as they are:\n\n");
            Set<String> shownInline = referencedFromMarkdown(dir, files);
            int index = 0;
            for (Path f : ordered(dir, files)) {
                String rel = dir.relativize(f).toString().replace('\\', '/');
                out.copyToSite(f, "reports/" + folder + "/" + rel);
                if (!shownInline.contains(rel)) {
                    sb.append(render(folder, dir, f, rel, index++));
                }
            }
            out.adoc("reports-" + folder + ".adoc", sb.toString());
            status.append(Adoc.attr("reports-" + folder, files.size() + " file(s)"));
        }
        out.adoc("reports-attrs.adoc", status.toString());
    }

    /** Regular, non-hidden files under {@code dir}, sorted by path. */
    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        for (Path part : dir.relativize(p)) {
                            if (part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        }
    }

    /** Main documents first (README, index, report, summary), then other Markdown, then data and images, each by path. */
    static List<Path> ordered(Path dir, List<Path> files) {
        return files.stream().sorted(java.util.Comparator.<Path>comparingInt(p -> dir.relativize(p).getNameCount())
                .thenComparingInt(ReportsSection::rank).thenComparing(p -> dir.relativize(p).toString())).toList();
    }

    private static int rank(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        String e = ext(p);
        boolean main = n.startsWith("readme") || n.startsWith("index") || n.startsWith("report") || n.startsWith("summary");
        if (e.equals("md") || e.equals("markdown") || e.equals("html") || e.equals("htm")) {
            return main ? 0 : 1;
        }
        return e.equals("csv") ? 2 : IMAGES.contains(e) ? 3 : 4;
    }

    private static final Pattern MD_IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?[^)]*\\)");

    /** Images that a Markdown file of the folder shows itself (relative paths resolved against the Markdown file). */
    static Set<String> referencedFromMarkdown(Path dir, List<Path> files) throws IOException {
        Set<String> out = new java.util.HashSet<>();
        for (Path f : files) {
            String e = ext(f);
            if (!e.equals("md") && !e.equals("markdown")) {
                continue;
            }
            String rel = dir.relativize(f).toString().replace('\\', '/');
            String base = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/') + 1) : "";
            Matcher m = MD_IMAGE.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue;
                }
                try {
                    out.add(URI.create("x:/" + base).resolve(target.replace(" ", "%20")).getPath().substring(1));
                } catch (IllegalArgumentException ignored) {
                    // not a usable path: the rendered page shows it as it is
                }
            }
        }
        return out;
    }

    static String ext(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    static String anchor(String folder, String rel) {
        return "report-" + folder + "-" + Adoc.id(rel);
    }

    static String render(String folder, Path dir, Path f, String rel, int index) throws IOException {
        String href = "reports/" + folder + "/" + rel;
        String heading = "[#" + anchor(folder, rel) + "]\n=== " + Adoc.text(rel) + "\n\n";
        String e = ext(f);
        if (e.equals("md") || e.equals("markdown")) {
            return heading + markdown(folder, dir, f, rel) + "\n_Source:_ link:" + href + "[" + Adoc.text(rel) + "]\n\n";
        }
        if (e.equals("html") || e.equals("htm")) {
            return heading + "An HTML report, shown below; link:" + href + "[open " + Adoc.text(rel) + " on its own].\n\n"
                    + "++++\n<iframe class=\"report-frame\" src=\"" + href.replace("\"", "%22") + "\" title=\""
                    + Svg.esc(rel) + "\"></iframe>\n++++\n\n";
        }
        if (e.equals("csv")) {
            return heading + csv(Files.readString(f, StandardCharsets.UTF_8), rel) + "_Data:_ link:" + href + "[" + Adoc.text(rel) + "]\n\n";
        }
        if (IMAGES.contains(e)) {
            return heading + Adoc.image("../" + href, rel, "plot");
        }
        if (e.equals("txt") || e.equals("log") || e.equals("out") || e.isEmpty()) {
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            String body = String.join("\n", lines.subList(0, Math.min(lines.size(), MAX_TEXT_LINES)));
            String more = lines.size() > MAX_TEXT_LINES ? "The first " + MAX_TEXT_LINES + " of " + lines.size() + " lines; " : "";
            return heading + Adoc.literal("", body) + more + "_File:_ link:" + href + "[" + Adoc.text(rel) + "]\n\n";
        }
        return heading + "link:" + href + "[" + Adoc.text(rel) + "] (" + String.format("%,d", Files.size(f)) + " bytes)\n\n";
    }

    // ---- Markdown ---------------------------------------------------------------------------------------------------

    private static final Pattern FENCE = Pattern.compile("(?m)^```+\\s*plantuml\\s*$\\n(.*?)^```+\\s*$", Pattern.DOTALL);

    static String markdown(String folder, Path dir, Path f, String rel) throws IOException {
        String md = Files.readString(f, StandardCharsets.UTF_8);
        List<Extension> ext = List.of(TablesExtension.create());
        Parser parser = Parser.builder().extensions(ext).build();
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(ext).escapeHtml(false).build();
        StringBuilder sb = new StringBuilder();
        Matcher m = FENCE.matcher(md);
        int at = 0;
        int diagrams = 0;
        while (m.find()) {
            sb.append(html(renderer.render(parser.parse(md.substring(at, m.start()))), folder, dir, rel));
            String uml = m.group(1);
            if (!uml.contains("@startuml")) {
                uml = "@startuml\n" + uml + "@enduml\n";
            }
            sb.append("[plantuml,").append(anchor(folder, rel)).append("-").append(++diagrams).append(",svg]\n----\n").append(uml)
                    .append(uml.endsWith("\n") ? "" : "\n").append("----\n\n");
            at = m.end();
        }
        sb.append(html(renderer.render(parser.parse(md.substring(at))), folder, dir, rel));
        return sb.toString();
    }

    private static final Pattern ATTR = Pattern.compile("(<(?:a|img)\\b[^>]*?\\b(?:href|src)=\")([^\"]*)(\")", Pattern.CASE_INSENSITIVE);

    /** Passthrough block of rendered Markdown, headings demoted below the page's own, relative links made site-relative. */
    static String html(String rendered, String folder, Path dir, String rel) {
        if (rendered.isBlank()) {
            return "";
        }
        String h = rendered.replaceAll("<(/?)h([1-6])>", "<$1h__$2>");
        for (int level = 1; level <= 6; level++) {
            int to = Math.min(6, level + 3);
            h = h.replace("<h__" + level + ">", "<h" + to + ">").replace("</h__" + level + ">", "</h" + to + ">");
        }
        String base = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/') + 1) : "";
        Matcher m = ATTR.matcher(h);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + rewrite(m.group(2), folder, dir, base) + m.group(3)));
        }
        m.appendTail(out);
        return "++++\n<div class=\"report-md\">\n" + out + "</div>\n++++\n\n";
    }

    static String rewrite(String target, String folder, Path dir, String base) {
        if (target.isEmpty() || target.startsWith("#") || target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return target; // anchors and absolute URLs (http:, mailto:, data:) stay as they are
        }
        String path = target;
        String fragment = "";
        int hash = target.indexOf('#');
        if (hash >= 0) {
            path = target.substring(0, hash);
            fragment = target.substring(hash);
        }
        String resolved = URI.create("x:/" + base).resolve(path.replace(" ", "%20")).getPath().substring(1);
        if (resolved.endsWith(".md") && Files.isRegularFile(dir.resolve(resolved))) {
            return "#" + anchor(folder, resolved);
        }
        String trimmed = resolved.endsWith("/") ? resolved.substring(0, resolved.length() - 1) : resolved;
        if (!trimmed.isEmpty() && Files.isDirectory(dir.resolve(trimmed))) {
            // a link to a report folder: its main page (index/report HTML as it is, main Markdown by its heading on this page)
            for (String name : List.of("index.html", "report.html")) {
                if (Files.isRegularFile(dir.resolve(trimmed).resolve(name))) {
                    return "reports/" + folder + "/" + trimmed + "/" + name;
                }
            }
            for (String name : List.of("README.md", "report.md", "summary.md", "index.md")) {
                if (Files.isRegularFile(dir.resolve(trimmed).resolve(name))) {
                    return "#" + anchor(folder, trimmed + "/" + name);
                }
            }
            return "#" + anchor(folder, firstFile(dir, trimmed));
        }
        return "reports/" + folder + "/" + resolved + fragment;
    }

    /** The first file of a report folder in page order: where a link to the folder itself lands. */
    private static String firstFile(Path dir, String sub) {
        try {
            List<Path> inside = files(dir.resolve(sub));
            if (inside.isEmpty()) {
                return sub;
            }
            return dir.relativize(ordered(dir, inside).getFirst()).toString().replace('\\', '/');
        } catch (IOException e) {
            return sub;
        }
    }

    // ---- CSV --------------------------------------------------------------------------------------------------------

    static String csv(String text, String rel) {
        List<List<String>> rows = parseCsv(text);
        if (rows.isEmpty()) {
            return "_(empty file)_\n\n";
        }
        List<String> header = rows.getFirst();
        List<List<String>> body = new ArrayList<>();
        for (List<String> r : rows.subList(1, Math.min(rows.size(), MAX_ROWS + 1))) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                cells.add(i < r.size() ? Adoc.text(r.get(i)) : "");
            }
            body.add(cells);
        }
        String cols = String.join(",", java.util.Collections.nCopies(header.size(), "1"));
        String note = rows.size() - 1 > MAX_ROWS ? "The first " + MAX_ROWS + " of " + (rows.size() - 1) + " rows. " : "";
        return Adoc.table(rel, cols, header, body, "", "small") + note;
    }

    /** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    any = true;
                }
                case ',' -> {
                    row.add(cell.toString());
                    cell.setLength(0);
                    any = true;
                }
                case '\r' -> { }
                case '\n' -> {
                    if (any || !cell.isEmpty()) {
                        row.add(cell.toString());
                        rows.add(row);
                    }
                    row = new ArrayList<>();
                    cell.setLength(0);
                    any = false;
                }
                default -> {
                    cell.append(c);
                    any = true;
                }
            }
        }
        if (any || !cell.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
