/**
 * The project's one plotting package: {@link dev.qrref.conformance.plot.Svg} writes SVG (drawings and plots),
 * {@link dev.qrref.conformance.plot.LinePlot} and {@link dev.qrref.conformance.plot.BarChart} draw the charts. The
 * documentation, the conformance report and the benchmark report all plot through it. Plain text output, no AWT, no
 * fonts or scripts fetched at view time.
 */
package dev.qrref.conformance.plot;
