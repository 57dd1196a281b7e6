import Foundation
import Testing
@testable import AgentPath

/// Same model, same bytes; fingerprints that survive edits which do not change the system.
@Suite("Analyzer: determinism and golden output") struct AnalyzerDeterminismTests {
    static let models: [String] = [
        AnalyzerFixtures.determinism("base"),
        AnalyzerFixtures.example("coding-assistant"),
        AnalyzerFixtures.example("support-agent"),
        AnalyzerFixtures.example("devops-pipeline"),
        AnalyzerFixtures.example("devops-pipeline-hardened"),
    ]

    @Test(arguments: models)
    func analyzingTwiceGivesTheSameBytes(_ path: String) throws {
        let model = try AnalyzerFixtures.load(path)
        let first = FindingsJSON.emit(Analyzer(frameworks: .empty).analyze(model), files: model.model.files)
        let second = FindingsJSON.emit(Analyzer(frameworks: .empty).analyze(model), files: model.model.files)
        #expect(first == second)
    }

    @Test(arguments: models)
    func loadingTwiceGivesTheSameBytes(_ path: String) throws {
        let first = try AnalyzerFixtures.analyze(path).json()
        let second = try AnalyzerFixtures.analyze(path).json()
        #expect(Array(first.utf8) == Array(second.utf8))
    }

    /// Two processes hash with different seeds, so any output that depends on Dictionary or
    /// Set order shows up here even when it does not within one process.
    static var cliBinary: String? {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("agentpath").path,
            AnalyzerFixtures.repoRoot.appendingPathComponent(".build/debug/agentpath").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ binary: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test(.enabled(if: cliBinary != nil, "the agentpath executable is not built next to the tests"),
          arguments: [AnalyzerFixtures.determinism("base"), AnalyzerFixtures.example("devops-pipeline")])
    func separateProcessesGiveTheSameBytes(_ path: String) throws {
        let binary = try #require(Self.cliBinary)
        let runs = try (0..<3).map { _ in try Self.run(binary, ["analyze", "--format", "json", path]) }
        #expect(runs[0].contains("\"format\": \"agentpath-findings\""))
        #expect(runs[1] == runs[0])
        #expect(runs[2] == runs[0])
    }

    /// What a finding is, apart from where the model says it.
    static func identity(_ f: Finding) -> String {
        "\(f.rule)|\(f.entry)|\(f.impact)|\(f.status)|\(f.severity)|\(f.factors.score)|\(f.steps.map { "\($0.technique.rawValue)@\($0.element)/\($0.via ?? "")" })|\(f.pathCount)"
    }

    @Test func fingerprintsSurviveAnUnrelatedElement() throws {
        let base = try AnalyzerFixtures.analyze(AnalyzerFixtures.determinism("base"))
        let variant = try AnalyzerFixtures.analyze(AnalyzerFixtures.determinism("variant-unrelated"))
        let before = Dictionary(uniqueKeysWithValues: base.result.findings.map { ($0.fingerprint, Self.identity($0)) })
        let after = Dictionary(uniqueKeysWithValues: variant.result.findings.map { ($0.fingerprint, Self.identity($0)) })
        #expect(before.count > 15, "the base model should exercise many rules")
        #expect(Set(before.keys) == Set(after.keys),
                "lost: \(Set(before.keys).subtracting(after.keys).sorted()), new: \(Set(after.keys).subtracting(before.keys).sorted())")
        for (fp, id) in before { #expect(after[fp] == id, "finding \(fp) changed:\n  \(id)\n  \(after[fp] ?? "-")") }
    }

    @Test func fingerprintsSurviveShiftedLines() throws {
        let path = AnalyzerFixtures.determinism("base")
        let shift = 7
        let text = String(repeating: "# a comment line added at the top\n", count: shift) + (try String(contentsOfFile: path, encoding: .utf8))
        let shifted = try AnalyzerFixtures.analyze(AnalyzerFixtures.temporary(text, name: "base.yaml"))
        let base = try AnalyzerFixtures.analyze(path)
        try #require(base.result.findings.count == shifted.result.findings.count)
        for (f, g) in zip(base.result.findings, shifted.result.findings) {
            #expect(f.fingerprint == g.fingerprint)
            #expect(Self.identity(f) == Self.identity(g))
            #expect(g.location.line == f.location.line + Int32(shift))
            #expect(g.steps.map(\.location.line) == f.steps.map { $0.location.line + Int32(shift) })
        }
    }

    // MARK: golden JSON

    /// Golden findings JSON for two small fixtures, compared byte for byte. After an
    /// intended change to the analyzer or to FindingsJSON, regenerate them with
    ///
    ///     AGENTPATH_UPDATE_GOLDEN=1 swift test --filter AnalyzerDeterminismTests
    ///
    /// and review the diff of Tests/AgentPathTests/Fixtures/golden/ before committing.
    /// File paths in the JSON are relative to Tests/AgentPathTests/Fixtures, so the files
    /// do not depend on where the checkout lives.
    @Test(arguments: ["ap001-delegation", "ap005-cut-validation"])
    func goldenFindingsJSON(_ name: String) throws {
        let a = try AnalyzerFixtures.analyze(AnalyzerFixtures.rule(name))
        try #require(a.files.paths.count == 1)
        var files = SourceFiles()
        _ = files.intern("rules/\(name).yaml")
        let json = FindingsJSON.emit(a.result, files: files)
        let golden = AnalyzerFixtures.fixturesDir.appendingPathComponent("golden/\(name).findings.json")
        if ProcessInfo.processInfo.environment["AGENTPATH_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
            try json.write(to: golden, atomically: true, encoding: .utf8)
            return
        }
        let expected = try #require(FileManager.default.contents(atPath: golden.path),
                                    "missing \(golden.path); run AGENTPATH_UPDATE_GOLDEN=1 swift test --filter AnalyzerDeterminismTests")
        let actual = Data(json.utf8)
        if actual != expected {
            let a = json.components(separatedBy: "\n")
            let b = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
            let i = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
            Issue.record("""
                \(name).findings.json differs from the golden file at line \(i + 1):
                  golden: \(i < b.count ? b[i] : "<end>")
                  actual: \(i < a.count ? a[i] : "<end>")
                If the change is intended: AGENTPATH_UPDATE_GOLDEN=1 swift test --filter AnalyzerDeterminismTests
                """)
        }
    }
}
