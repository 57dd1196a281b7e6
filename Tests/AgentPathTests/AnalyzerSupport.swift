import Foundation
import Testing
@testable import AgentPath

/// Fixture models for the analyzer tests, found from this file's location (no bundle
/// resources): `Tests/AgentPathTests/Fixtures/...` and the example models in `models/`.
enum AnalyzerFixtures {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixturesDir = testsDir.appendingPathComponent("Fixtures")
    static let repoRoot = testsDir.deletingLastPathComponent().deletingLastPathComponent()

    /// `Fixtures/rules/<name>.yaml`
    static func rule(_ name: String) -> String { fixturesDir.appendingPathComponent("rules/\(name).yaml").path }
    /// `Fixtures/determinism/<name>.yaml`
    static func determinism(_ name: String) -> String { fixturesDir.appendingPathComponent("determinism/\(name).yaml").path }
    /// `models/<name>.yaml`
    static func example(_ name: String) -> String { repoRoot.appendingPathComponent("models/\(name).yaml").path }

    /// Loads and validates a model; a model with errors fails the test with its diagnostics.
    static func load(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ValidatedModel {
        let diagnostics = DiagnosticCollector()
        let model = Pipeline().load(path: path, diagnostics: diagnostics)
        return try #require(model, "\(path) must validate:\n\(DiagnosticsEmitter.text(diagnostics.diagnostics, color: false))",
                            sourceLocation: sourceLocation)
    }

    static func analyze(_ path: String, limits: AnalysisLimits = AnalysisLimits(),
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Analysis {
        let model = try load(path, sourceLocation: sourceLocation)
        return Analysis(model: model, result: Analyzer(frameworks: .empty, limits: limits).analyze(model))
    }

    /// Writes `text` to a fresh temporary file and returns its path.
    static func temporary(_ text: String, name: String = "model.yaml") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agentpath-analyzer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// A copy of a fixture with each `(old, new)` replacement made; every `old` must occur
    /// exactly once, so a variant never silently equals its base.
    static func variant(of path: String, _ replacements: [(String, String)],
                        sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        for (old, new) in replacements {
            let count = text.components(separatedBy: old).count - 1
            try #require(count == 1, "'\(old)' occurs \(count) times in \(path); a variant needs exactly one", sourceLocation: sourceLocation)
            text = text.replacingOccurrences(of: old, with: new)
        }
        return try temporary(text, name: (path as NSString).lastPathComponent)
    }

    /// The 1-based line of the only line of `path` that contains `needle`.
    static func line(of needle: String, in path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Int32 {
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
        let hits = lines.indices.filter { lines[$0].contains(needle) }
        try #require(hits.count == 1, "'\(needle)' is on \(hits.count) lines of \(path); the test needs exactly one", sourceLocation: sourceLocation)
        return Int32(hits[0] + 1)
    }
}

/// A validated model and its analysis, with the lookups the tests use.
struct Analysis {
    var model: ValidatedModel
    var result: AnalysisResult
    var files: SourceFiles { model.model.files }

    func findings(_ rule: String) -> [Finding] { result.findings.filter { $0.rule == rule } }

    /// `file.yaml:LINE` (file name only, so the text does not depend on the checkout).
    func at(_ location: AgentPath.SourceLocation) -> String {
        let path = files.path(location).map { ($0 as NSString).lastPathComponent } ?? "<unknown>"
        return "\(path):\(location.line)"
    }

    func json() -> String { FindingsJSON.emit(result, files: files) }

    /// Every finding, one per line, for failure messages.
    func describe(_ findings: [Finding]? = nil) -> String {
        let list = findings ?? result.findings
        if list.isEmpty { return "(no findings)" }
        return list.map { f in
            "\(f.rule) \(f.status.rawValue) \(f.severity.rawValue) \(f.factors.score) entry=\(f.entry) impact=\(f.impact) "
                + "steps=[\(f.steps.map { "\($0.technique.rawValue)@\($0.element)\($0.via.map { " via \($0)" } ?? "")" }.joined(separator: ", "))]"
                + (f.mitigatingControls.isEmpty ? "" : " mitigated_by=\(f.mitigatingControls)")
                + (f.reducingControls.isEmpty ? "" : " reduced_by=\(f.reducingControls)")
        }.joined(separator: "\n")
    }
}

extension Finding {
    var techniques: [StepTechnique] { steps.map(\.technique) }
    var elements: [String] { steps.map(\.element) }
    var vias: [String?] { steps.map(\.via) }
}
