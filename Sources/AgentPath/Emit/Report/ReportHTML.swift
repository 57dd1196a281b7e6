import Foundation
import Mustache

public struct ReportError: Error, CustomStringConvertible {
    public var description: String
}

/// The report's templates, styles and script, read from `templates/report/`.
public struct ReportTemplates: Sendable {
    public var library: MustacheLibrary
    public var css: String
    public var script: String

    public static let page = "report"

    /// Reads every `*.mustache` file (partials by file name), `report.css` and `report.js`.
    public static func load(directory: String) throws -> ReportTemplates {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            throw ReportError(description: "cannot read the report templates in \(directory)")
        }
        var templates: [String: MustacheTemplate] = [:]
        for name in names.sorted() where name.hasSuffix(".mustache") {
            let text = try read(directory + "/" + name)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw ReportError(description: "\(directory)/\(name): invalid template: \(error)")
            }
        }
        guard templates[page] != nil else { throw ReportError(description: "\(directory)/\(page).mustache is missing") }
        return ReportTemplates(library: MustacheLibrary(templates: templates), css: try read(directory + "/report.css"),
                               script: try read(directory + "/report.js"))
    }

    /// `templates/report` beside the agentpath installation or source checkout.
    public static func locate() throws -> ReportTemplates {
        guard let dir = ResourceLocator.directory("templates") else {
            throw ReportError(description: "cannot find the templates/ folder; set AGENTPATH_HOME to the agentpath folder")
        }
        return try load(directory: dir + "/report")
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ReportError(description: "cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The self-contained HTML report (docs/report.md): one file, inline CSS, script, SVG and data,
/// no request of any kind, a strict Content-Security-Policy. Pure: same inputs, same bytes.
public enum ReportHTML {
    /// The report with the gate's evaluation (`GateSettings.evaluate`): verdicts, waivers, expired waivers.
    /// `limits` bound what a large model shows in full (docs/report.md, "Large models").
    public static func render(model: ValidatedModel, analysis: AnalysisResult, frameworks: FrameworkSet,
                              gate: GateResult, templates: ReportTemplates, limits: ReportLimits = ReportLimits()) -> String {
        let full = SystemDiagram(model)
        let diagram = full.nodes.count > limits.diagramElements ? full.summarized() : full
        let paths = analysis.paths
        let layers = ReportContext.maestroHits(paths, frameworks)
        var ctx = ReportContext.build(model: model, analysis: analysis, paths: paths, frameworks: frameworks, gate: gate, limits: limits, layers: layers)
        // The script must never close its own element; report.js is ours, but check anyway.
        let script = templates.script.replacingOccurrences(of: "</", with: "<\\/")
        ctx["css"] = templates.css
        ctx["script"] = script
        ctx["csp"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src \(SHA256.cspSource(script)); base-uri 'none'; form-action 'none'"
        ctx["svg"] = diagram.svg()
        ctx["diagramSummary"] = diagram.summary
        ctx["diagramLimit"] = limits.diagramElements
        ctx["diagramGroups"] = diagram.nodes.count
        ctx["data"] = ReportEscape.scriptJSON(data(paths, diagram, frameworks, limits, layers: layers))
        ctx["diagramWidth"] = diagram.width
        return templates.library.render(ctx, withTemplate: ReportTemplates.page) ?? ""
    }

    /// The report under a bare threshold: no waivers, no baseline.
    public static func render(model: ValidatedModel, analysis: AnalysisResult, frameworks: FrameworkSet,
                              gate: Gate = Gate(), templates: ReportTemplates, limits: ReportLimits = ReportLimits()) -> String {
        render(model: model, analysis: analysis, frameworks: frameworks, gate: gate.evaluateWithoutWaivers(analysis), templates: templates, limits: limits)
    }

    /// What the page's script needs: for each path shown in full, the diagram nodes and edges
    /// it touches (an array by path index when every path is shown in full, else an object
    /// keyed by index); when some are not, also each MAESTRO layer's highlight, the union over
    /// its paths.
    static func data(_ paths: [Finding], _ d: SystemDiagram, _ fw: FrameworkSet, _ limits: ReportLimits = ReportLimits(),
                     layers: ReportContext.LayerHits? = nil) -> JSON {
        // Titles of the framework items the paths name, keyed "PREFIX id"; the script puts them
        // on the item chips as tooltips when a path is opened (the page stays small).
        var seen = Set<FrameworkRef>()
        var titles: [(String, JSON)] = []
        for i in paths.indices {
            for ref in paths[i].frameworks where seen.insert(ref).inserted {
                if let item = fw.item(ref) { titles.append(("\(fw.catalog(ref.catalog)?.prefix ?? ref.catalog) \(ref.id)", .string(item.title))) }
            }
        }
        func pair(_ h: (nodes: [Int], edges: [Int])) -> JSON { .array([.array(h.nodes.map { .int($0) }), .array(h.edges.map { .int($0) })]) }
        guard paths.count > limits.detailedPaths else {
            return .object([
                ("version", .int(1)),
                ("titles", .object(titles)),
                ("paths", .array(paths.indices.map { pair(d.highlight(paths[$0].steps)) })),
            ])
        }
        let order = ReportContext.reportOrder(paths)
        let shown = order.prefix(limits.detailedPaths).sorted()
        let shownSet = Set(shown)
        let layers = layers ?? ReportContext.maestroHits(paths, fw)
        var layerNodes = [Set<Int>](repeating: [], count: layers.count), layerEdges = [Set<Int>](repeating: [], count: layers.count)
        var byPath: [Int: (nodes: [Int], edges: [Int])] = [:]
        for i in paths.indices {
            let h = d.highlight(paths[i].steps)
            if shownSet.contains(i) { byPath[i] = h }
            for (l, layer) in layers.enumerated() where layer.hits[i] {
                layerNodes[l].formUnion(h.nodes)
                layerEdges[l].formUnion(h.edges)
            }
        }
        return .object([
            ("version", .int(1)),
            ("titles", .object(titles)),
            ("paths", .object(shown.map { (String($0), pair(byPath[$0]!)) })),
            ("layers", .object(layers.enumerated().map { l, layer in
                (layer.id, pair((layerNodes[l].sorted(), layerEdges[l].sorted())))
            })),
        ])
    }
}
