/**
 * The bench report: per scenario the series worth seeing (response time per invocation, warm
 * instances, CPU) with injection windows and incidents drawn over them, as PNG plots, and one HTML
 * page that puts them beside the scores. Entry: {@link dev.wisp.bench.report.HtmlReport}.
 */
package dev.wisp.bench.report;
