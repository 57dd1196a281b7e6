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
    public static func render(model: ValidatedModel, analysis: AnalysisResult, frameworks: FrameworkSet,
                              gate: GateResult, templates: ReportTemplates) -> String {
        let diagram = SystemDiagram(model)
        var ctx = ReportContext.build(model: model, analysis: analysis, frameworks: frameworks, gate: gate)
        // The script must never close its own element; report.js is ours, but check anyway.
        let script = templates.script.replacingOccurrences(of: "</", with: "<\\/")
        ctx["css"] = templates.css
        ctx["script"] = script
        ctx["csp"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src \(SHA256.cspSource(script)); base-uri 'none'; form-action 'none'"
        ctx["svg"] = diagram.svg()
        ctx["data"] = ReportEscape.scriptJSON(data(analysis, diagram, frameworks))
        ctx["diagramWidth"] = diagram.width
        return templates.library.render(ctx, withTemplate: ReportTemplates.page) ?? ""
    }

    /// The report under a bare threshold: no waivers, no baseline.
    public static func render(model: ValidatedModel, analysis: AnalysisResult, frameworks: FrameworkSet,
                              gate: Gate = Gate(), templates: ReportTemplates) -> String {
        render(model: model, analysis: analysis, frameworks: frameworks, gate: gate.evaluateWithoutWaivers(analysis), templates: templates)
    }

    /// What the page's script needs: for each path, the diagram nodes and edges it touches.
    static func data(_ r: AnalysisResult, _ d: SystemDiagram, _ fw: FrameworkSet) -> JSON {
        // Titles of the framework items the paths name, keyed "PREFIX id"; the script puts them
        // on the item chips as tooltips when a path is opened (the page stays small).
        var seen = Set<FrameworkRef>()
        var titles: [(String, JSON)] = []
        for f in r.paths {
            for ref in f.frameworks where seen.insert(ref).inserted {
                if let item = fw.item(ref) { titles.append(("\(fw.catalog(ref.catalog)?.prefix ?? ref.catalog) \(ref.id)", .string(item.title))) }
            }
        }
        return .object([
            ("version", .int(1)),
            ("titles", .object(titles)),
            ("paths", .array(r.paths.map { f in
                let h = d.highlight(f.steps)
                return .array([.array(h.nodes.map { .int($0) }), .array(h.edges.map { .int($0) })])
            })),
        ])
    }
}
