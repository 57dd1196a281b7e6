import Foundation
import Testing
@testable import AgentPath

/// The HTML report: stable bytes (golden file), every model string escaped for its context,
/// a CSP whose hash matches the inline script, and the Markdown, DOT and Mermaid exports.
@Suite struct ReportTests {
    static let fixtures = RepoPaths.path("Tests/AgentPathTests/Fixtures/report")
    static let templates = try! ReportTemplates.load(directory: RepoPaths.path("templates/report"))

    func load(_ path: String) throws -> (ValidatedModel, AnalysisResult) {
        let diagnostics = DiagnosticCollector()
        let model = try #require(Pipeline().load(path: path, diagnostics: diagnostics), "\(path) must validate: \(diagnostics.sorted)")
        return (model, Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(model))
    }

    func render(_ path: String) throws -> String {
        let (model, result) = try load(path)
        let html = ReportHTML.render(model: model, analysis: result, frameworks: FrameworkFixtures.builtin.set, templates: Self.templates)
        // Model paths are absolute here; the golden file holds them relative to the repository.
        return html.replacingOccurrences(of: RepoPaths.root.path + "/", with: "")
    }

    /// Markup outside <style> and <script> elements, whose content is ours.
    static func markup(_ html: String) -> String {
        var out = html
        for tag in ["style", "script"] {
            while let open = out.range(of: "<\(tag)"), let close = out.range(of: "</\(tag)>", range: open.upperBound..<out.endIndex) {
                out.replaceSubrange(open.lowerBound..<close.upperBound, with: "[\(tag)]")
            }
        }
        return out
    }

    /// Every tag name and attribute name in the markup.
    static func tags(_ markup: String) -> (names: Set<String>, attributes: Set<String>) {
        var names = Set<String>(), attributes = Set<String>()
        let tagRegex = try! Regex("<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>")
        let attrRegex = try! Regex("([A-Za-z_:][-A-Za-z0-9_:.]*)\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s\"'>]+)|\\s([A-Za-z-]+)(?=\\s|$|/)")
        for m in markup.matches(of: tagRegex) {
            names.insert(String(m.output[2].substring!).lowercased())
            let rest = String(m.output[3].substring ?? "")
            for a in rest.matches(of: attrRegex) {
                if let n = a.output[1].substring ?? a.output[3].substring { attributes.insert(String(n).lowercased()) }
            }
        }
        return (names, attributes)
    }

    @Test func sha256KnownVectors() {
        func hex(_ s: String) -> String { SHA256.digest(Array(s.utf8)).map { String(format: "%02x", $0) }.joined() }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func goldenSmallModel() throws {
        let html = try render(Self.fixtures + "/small.yaml")
        let golden = Self.fixtures + "/small.golden.html"
        if ProcessInfo.processInfo.environment["AGENTPATH_UPDATE_GOLDEN"] != nil {
            try html.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(html == expected, "report.html for small.yaml differs from small.golden.html; if the change is intended, run AGENTPATH_UPDATE_GOLDEN=1 swift test --filter ReportTests")
        #expect(try render(Self.fixtures + "/small.yaml") == html, "two renders of one model must give the same bytes")
    }

    @Test func cspHashesTheOnlyInlineScript() throws {
        let html = try render(Self.fixtures + "/small.yaml")
        let csp = try #require(html.firstMatch(of: try Regex("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")))
        let policy = String(csp.output[1].substring!).replacingOccurrences(of: "&#39;", with: "'")
        #expect(policy.hasPrefix("default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-"))
        let start = try #require(html.range(of: "<script>"))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let script = String(html[start.upperBound..<end.lowerBound])
        #expect(policy.contains("script-src \(SHA256.cspSource(script))"))
        #expect(html.components(separatedBy: "<script").count - 1 == 2, "a data block and the page script, nothing else")
        #expect(!html.contains("http://") || !Self.markup(html).contains("src=\"http"), "no remote resource")
        #expect(!Self.markup(html).contains(" src=\""), "no element loads anything")
    }

    @Test func hostileStringsRenderAsText() throws {
        let html = try render(Self.fixtures + "/hostile-strings.yaml")
        let markup = Self.markup(html)
        let (names, attributes) = Self.tags(markup)
        let allowed: Set<String> = [
            "html", "head", "meta", "title", "link", "style", "body", "a", "header", "div", "span", "nav", "button", "main", "section", "p",
            "code", "h1", "h2", "h3", "h4", "br", "strong", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "ol", "ul", "li", "details",
            "summary", "kbd", "i", "label", "input", "select", "option", "svg", "defs", "marker", "path", "g", "rect", "text", "tspan", "footer",
            "script",
        ]
        #expect(names.subtracting(allowed).isEmpty, "unexpected elements: \(names.subtracting(allowed).sorted())")
        #expect(!attributes.contains { $0.hasPrefix("on") }, "event-handler attributes: \(attributes.filter { $0.hasPrefix("on") }.sorted())")
        #expect(!markup.lowercased().contains("href=\"javascript:"))
        for href in markup.matches(of: try Regex("href=\"([^\"]*)\"")) {
            let v = String(href.output[1].substring!)
            #expect(v.hasPrefix("#") || v == "data:,", "links stay inside the page: \(v)")
        }
        // The payloads are there, as text.
        #expect(html.contains("&lt;/script&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"))
        #expect(html.contains("&quot;&gt;&lt;svg onload=window.__pwned=3&gt;"))
        #expect(html.contains("&#39; onmouseover=&#39;window.__pwned=4"))
        #expect(html.contains("javascript:window.__pwned=15//&lt;script&gt;"))
        #expect(html.contains("&amp;lt;already-escaped&amp;gt;"))
        #expect(html.contains("{{system.name}}"), "Mustache tags in model text are not expanded")
        // The inline JSON block cannot close its element.
        let data = try #require(html.firstMatch(of: try Regex("<script type=\"application/json\" id=\"report-data\">(.*?)</script>").dotMatchesNewlines()))
        let json = String(data.output[1].substring!)
        #expect(!json.contains("<") && !json.contains(">"))
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(html.components(separatedBy: "</script").count - 1 == 2)
    }

    @Test func hostileStringsInMarkdownDotAndMermaid() throws {
        let (model, result) = try load(Self.fixtures + "/hostile-strings.yaml")
        let md = ReportMarkdown.render(model: model, analysis: result)
        #expect(!md.contains("<script") && !md.contains("<b>") && !md.contains("<img"))
        #expect(md.contains("&lt;/script&gt;"))
        let d = SystemDiagram(model)
        let mermaid = d.mermaid()
        #expect(!mermaid.contains("<script") && !mermaid.contains("<iframe"))
        let dot = d.dot()
        for line in dot.split(separator: "\n") where line.contains("label=") {
            // Every quote inside a label is escaped: the unescaped ones pair up.
            let unescaped = line.replacingOccurrences(of: "\\\"", with: "").filter { $0 == "\"" }.count
            #expect(unescaped % 2 == 0, "unbalanced quotes in DOT: \(line)")
        }
    }

    @Test(arguments: RepoPaths.exampleModels)
    func everyExampleRenders(model: String) throws {
        let (vm, result) = try load(model)
        let html = ReportHTML.render(model: vm, analysis: result, frameworks: FrameworkFixtures.builtin.set, templates: Self.templates)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("id=\"diagram\""))
        for f in result.paths { #expect(html.contains("data-search=\"") && html.contains(ReportEscape.html(f.summary))) }
        let files = BuildOutputs.files(for: vm, analysis: result, diagnostics: [], frameworks: FrameworkFixtures.builtin.set, report: Self.templates)
        #expect(files.map(\.path).contains("report.html"))
        let md = ReportMarkdown.render(model: vm, analysis: result)
        #expect(md.contains("| critical |"))
    }

    /// A large model's bounds (docs/report.md, "Large models"), exercised on an example with
    /// small limits: the first paths in full, the rest one table row each, every anchor once,
    /// a summarised diagram, capped inventory tables, stable bytes.
    @Test func boundedReportSummarisesTheRest() throws {
        let model = RepoPaths.path("models/devops-pipeline.yaml")
        let (vm, result) = try load(model)
        let limits = ReportLimits(detailedPaths: 5, tableRows: 20, diagramElements: 10, inventoryRows: 3)
        let html = ReportHTML.render(model: vm, analysis: result, frameworks: FrameworkFixtures.builtin.set, templates: Self.templates, limits: limits)
        let paths = result.paths
        #expect(paths.count > 25)
        #expect(html.components(separatedBy: "<details class=\"path").count - 1 == 5)
        #expect(html.components(separatedBy: "class=\"prow\"").count - 1 == 20)
        // The first 25 in report order have their anchor once; the rest are only counted.
        let order = ReportContext.reportOrder(paths)
        for (k, i) in order.enumerated() {
            #expect(html.components(separatedBy: " id=\"p\(i)\"").count - 1 == (k < 25 ? 1 : 0), "anchor p\(i)")
        }
        #expect(html.contains("id=\"path-rules\"") && html.contains("All \(paths.count) path groups by rule"))
        #expect(html.contains("the other \(paths.count - 25) are counted by rule"))
        // Every link to a path lands on something on the page.
        for link in html.matches(of: try Regex("href=\"#(p[0-9]+)\"")) {
            #expect(html.contains(" id=\"\(link.output[1].substring!)\""), "link to #\(link.output[1].substring!) has no target")
        }
        for i in order.prefix(5) { #expect(html.contains("<details class=\"path st-\(paths[i].status.rawValue)") && html.contains("id=\"p\(i)\" data-index=\"\(i)\"")) }
        #expect(html.contains("id=\"path-table\""))
        #expect(html.contains("5 of \(paths.count) path groups are shown in full"))
        // The diagram: one box per kind and zone.
        let d = SystemDiagram(vm).summarized()
        #expect(d.summary && d.nodes.count < SystemDiagram(vm).nodes.count)
        #expect(d.nodes.reduce(0) { $0 + $1.count } == SystemDiagram(vm).nodes.count)
        #expect(d.edgeCounts.reduce(0, +) <= SystemDiagram(vm).edges.count)
        #expect(html.contains("id=\"diagram-summary\"") && html.contains("System diagram, summarised"))
        for s in paths.prefix(3) {
            let h = d.highlight(s.steps)
            #expect(!h.nodes.isEmpty && h.nodes.allSatisfy { $0 < d.nodes.count } && h.edges.allSatisfy { $0 < d.edges.count })
        }
        #expect(html.contains("Showing 3 of \(vm.model.agents.count), in model order"))
        // The page data: highlights for the detailed paths, and per MAESTRO layer.
        let data = try #require(html.firstMatch(of: try Regex("<script type=\"application/json\" id=\"report-data\">(.*?)</script>").dotMatchesNewlines()))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(String(data.output[1].substring!).utf8)) as? [String: Any])
        #expect((json["paths"] as? [String: Any])?.count == 5)
        #expect((json["layers"] as? [String: Any])?.isEmpty == false)
        #expect(ReportHTML.render(model: vm, analysis: result, frameworks: FrameworkFixtures.builtin.set, templates: Self.templates, limits: limits) == html,
                "two renders of one model must give the same bytes")
        // The defaults leave an example model as it was: everything in full.
        let full = ReportHTML.render(model: vm, analysis: result, frameworks: FrameworkFixtures.builtin.set, templates: Self.templates)
        #expect(!full.contains("class=\"prow\"") && !full.contains("id=\"diagram-summary\"") && !full.contains("id=\"path-table\""))
    }

    /// Model text in the parts written without the template (path table, governance and
    /// inventory rows, summarised diagram) is escaped too.
    @Test func hostileStringsInTheBoundedReport() throws {
        let (vm, result) = try load(Self.fixtures + "/hostile-strings.yaml")
        let html = ReportHTML.render(model: vm, analysis: result, frameworks: FrameworkFixtures.builtin.set, templates: Self.templates,
                                     limits: ReportLimits(detailedPaths: 0, diagramElements: 0, inventoryRows: 1))
        let markup = Self.markup(html)
        let (_, attributes) = Self.tags(markup)
        #expect(!attributes.contains { $0.hasPrefix("on") }, "event-handler attributes: \(attributes.filter { $0.hasPrefix("on") }.sorted())")
        #expect(!markup.contains("<script>window") && !markup.lowercased().contains("href=\"javascript:"))
        #expect(html.components(separatedBy: "<script").count - 1 == 2)
        #expect(result.paths.isEmpty || html.contains("class=\"prow\""))
    }

    @Test func htmlWriterEscapesLikeReportEscape() {
        let samples = ["plain", "a & b < c > d \"e\" 'f'", "</script><script>x</script>", "ünïcødé 'quoted' — ✓", "nul\u{0}byte", ""]
        for s in samples {
            var w = HTMLWriter()
            w.text(s)
            #expect(w.string == ReportEscape.html(s))
        }
        #expect(ReportEscape.html("a<b") == "a&lt;b" && ReportEscape.html("'") == "&#39;" && ReportEscape.html("\u{0}") == "\u{FFFD}")
    }
}
