package io.scasml.reports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** A Markdown report and an HTML twin, with the table, the goals and the plots of one run. */
final class Report {
    private Report() {
    }

    static void write(Path dir, String title, String command, String markdownTable, List<String> notes,
                      List<String> pngs) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append("Machine: ").append(Machine.oneLine()).append("  \n");
        md.append("Date: ").append(Instant.now()).append("\n\n");
        md.append(markdownTable).append("\n");
        if (!notes.isEmpty()) {
            md.append("## Findings\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append("\n");
            }
            md.append("\n");
        }
        md.append("## Plots\n\n");
        for (String p : pngs) {
            md.append("![").append(p).append("](").append(p).append(")\n\n");
        }
        Files.writeString(dir.resolve("report.md"), md.toString());

        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(title))
            .append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px}"
                + "img{max-width:100%}</style></head><body>");
        h.append("<h1>").append(esc(title)).append("</h1><p>Command: <code>").append(esc(command))
            .append("</code><br>Machine: ").append(esc(Machine.oneLine())).append("</p>");
        h.append(tableHtml(markdownTable));
        if (!notes.isEmpty()) {
            h.append("<h2>Findings</h2><ul>");
            for (String n : notes) {
                h.append("<li>").append(esc(n)).append("</li>");
            }
            h.append("</ul>");
        }
        h.append("<h2>Plots</h2>");
        for (String p : pngs) {
            h.append("<p><img src=\"").append(esc(p)).append("\" alt=\"").append(esc(p)).append("\"></p>");
        }
        h.append("</body></html>\n");
        Files.writeString(dir.resolve("report.html"), h.toString());
    }

    /** Converts a pipe table (header, separator, rows) to HTML. */
    static String tableHtml(String md) {
        StringBuilder h = new StringBuilder("<table>");
        String[] lines = md.strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (i == 1) {
                continue;
            }
            String[] cells = lines[i].replaceAll("^\\|", "").replaceAll("\\|$", "").split("\\|");
            h.append("<tr>");
            for (String c : cells) {
                String tag = i == 0 ? "th" : "td";
                h.append('<').append(tag).append('>').append(esc(c.trim())).append("</").append(tag).append('>');
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
