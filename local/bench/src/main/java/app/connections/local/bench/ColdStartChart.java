package app.connections.local.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** A bar chart of median cold start per function, with the hello-world baseline and the 2.5x line. */
final class ColdStartChart {
    private ColdStartChart() {
    }

    static void draw(List<ColdStartBenchmark.Result> results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int rowHeight = 34;
        int left = 130;
        int top = 60;
        int width = 900;
        int height = top + rowHeight * results.size() + 60;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        long hello = results.get(0).median(ColdStartBenchmark.Run::totalMs);
        long max = Math.max(results.stream().mapToLong(r -> r.median(ColdStartBenchmark.Run::totalMs)).max().orElse(1),
                Math.round(hello * ColdStartBenchmark.TARGET_RATIO));
        double scale = (width - left - 160) / (double) max;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Cold start, process start to first handled invocation (median ms)", left - 110, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int y = top;
        for (ColdStartBenchmark.Result r : results) {
            long total = r.median(ColdStartBenchmark.Run::totalMs);
            long init = r.median(ColdStartBenchmark.Run::initMs);
            boolean baseline = r.target().jar() == null;
            int bar = (int) Math.round(total * scale);
            g.setColor(baseline ? new Color(150, 150, 150) : new Color(60, 110, 180));
            g.fillRect(left, y, bar, rowHeight - 10);
            g.setColor(baseline ? new Color(110, 110, 110) : new Color(30, 70, 130));
            g.fillRect(left, y, (int) Math.round(Math.min(init, total) * scale), 6);
            g.setColor(Color.BLACK);
            g.drawString(r.target().name(), 10, y + 17);
            g.drawString(String.format("%d ms  (%.2fx)", total, (double) total / hello), left + bar + 6, y + 17);
            y += rowHeight;
        }
        int limit = left + (int) Math.round(hello * ColdStartBenchmark.TARGET_RATIO * scale);
        g.setColor(new Color(200, 40, 40));
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        g.drawLine(limit, top - 8, limit, y);
        g.drawString("2.5x hello-world", limit - 50, y + 18);
        g.setColor(Color.DARK_GRAY);
        g.drawString("dark strip: init (handler construction); bar: JVM start + init + first invoke", 10, height - 12);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
