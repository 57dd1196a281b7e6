import Foundation
import Testing
import AgentPath

/// Every example model's findings JSON validates against schema/findings.schema.json, checked
/// with Python's `jsonschema` (draft 2020-12) through Tests/scripts/validate_findings.py. A
/// missing python3 or jsonschema is a failure, not a skip: `.ci/run` installs both.
@Suite struct FindingsSchemaTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // AgentPathTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root

    /// The example models: each `*.yaml`/`*.yml` file and each directory directly in models/.
    static func exampleModels() throws -> [URL] {
        let dir = repoRoot.appendingPathComponent("models")
        let entries = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: [.isDirectoryKey])
        return entries.filter { url in
            guard !url.lastPathComponent.hasPrefix(".") else { return false }
            let isDir = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            return isDir || ["yaml", "yml"].contains(url.pathExtension)
        }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func findingsJSON(for model: URL) throws -> String {
        let diagnostics = DiagnosticCollector()
        let validated = try #require(Pipeline().load(path: model.path, diagnostics: diagnostics),
                                     "\(model.lastPathComponent) does not load: \(diagnostics.sorted.map(\.message))")
        let result = Analyzer(frameworks: FrameworkFixtures.builtin.set).analyze(validated)
        return FindingsJSON.emit(result, files: validated.model.files)
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test func examplesValidateAgainstTheFindingsSchema() throws {
        let models = try Self.exampleModels()
        #expect(models.count >= 4, "expected the example models in models/, found \(models.map(\.lastPathComponent))")

        let temp = FileManager.default.temporaryDirectory
            .appendingPathComponent("agentpath-findings-schema-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }

        var files: [String] = []
        for model in models {
            let json = try Self.findingsJSON(for: model)
            // Emitting is pure: a second run gives the same bytes.
            let sameBytes = try Self.findingsJSON(for: model) == json
            #expect(sameBytes, "\(model.lastPathComponent): findings JSON differs between two runs")
            let name = model.deletingPathExtension().lastPathComponent
            let file = temp.appendingPathComponent("\(name).findings.json")
            try json.write(to: file, atomically: true, encoding: .utf8)
            files.append(file.path)
        }

        let script = Self.repoRoot.appendingPathComponent("Tests/scripts/validate_findings.py").path
        let schema = Self.repoRoot.appendingPathComponent("schema/findings.schema.json").path

        // python3 must exist; `env` exits 127 when it does not.
        let probe = try Self.run(["python3", "--version"])
        try #require(probe.status == 0, """
            python3 is required to validate findings JSON against schema/findings.schema.json, \
            but `python3 --version` failed (exit \(probe.status)): \(probe.stderr)
            Install Python 3 and run `python3 -m pip install -r .ci/requirements.txt` (or use .ci/run).
            """)

        let result = try Self.run(["python3", script, schema] + files)
        if result.status == 3 {
            Issue.record("""
                The Python package jsonschema is required to validate findings JSON, but it is not installed.
                Run `python3 -m pip install -r .ci/requirements.txt` (or use .ci/run).
                \(result.stderr)
                """)
            return
        }
        #expect(result.status == 0, """
            findings JSON does not validate against schema/findings.schema.json (exit \(result.status)):
            \(result.stderr)\(result.stdout)
            """)
        for model in models {
            let name = model.deletingPathExtension().lastPathComponent
            #expect(result.stdout.contains("\(name).findings.json: valid"), "no validation reported for \(name)")
        }
    }
}
