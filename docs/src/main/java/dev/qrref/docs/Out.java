package dev.qrref.docs;

import dev.qrref.conformance.plot.Svg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the generator writes. AsciiDoc includes go to {@code <root>/*.adoc}; files that must end up in the site (SVG
 * drawings, copied report assets) go to {@code <root>/site/...}, which the AsciiDoctor step copies into
 * {@code target/site}. Images are referenced from the pages as {@code image::gen/NAME.svg[]} ({@code imagesdir} is
 * {@code images}).
 */
final class Out {
    final Path root;
    final Path site;
    private int files;

    Out(Path root) {
        this.root = root;
        this.site = root.resolve("site");
    }

    /** Writes an include file {@code <root>/<name>}. */
    void adoc(String name, String content) {
        write(root.resolve(name), content);
    }

    /** Writes an SVG drawing to {@code site/images/gen/<name>.svg}; returns the image target for {@code image::}. */
    String svg(String name, Svg svg) {
        write(site.resolve("images/gen/" + name + ".svg"), svg.render());
        return "gen/" + name + ".svg";
    }

    /** Writes a site file at {@code site/<relative>}. */
    void siteFile(String relative, String content) {
        write(site.resolve(relative), content);
    }

    void copyToSite(Path source, String relative) {
        try {
            Path dst = site.resolve(relative);
            Files.createDirectories(dst.getParent());
            Files.copy(source, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            files++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to the site", e);
        }
    }

    private void write(Path p, String content) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            files++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + p, e);
        }
    }

    int files() {
        return files;
    }
}
