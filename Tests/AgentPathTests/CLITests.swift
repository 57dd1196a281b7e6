import Foundation
import Testing
@testable import AgentPath

/// The command-line tool, run as a child process: exit codes, output shapes and files.
@Suite("Command line")
struct CLITests {
    /// The `agentpath` binary built beside this test bundle (`swift test` builds it), or
    /// .build/debug/agentpath under the package root.
    static let binary: String? = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("agentpath").path)
        }
        if let exe = Bundle.main.executableURL {
            candidates.append(exe.deletingLastPathComponent().appendingPathComponent("agentpath").path)
        }
        candidates.append(Paths.inPackage(".build/debug/agentpath"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    func agentpath(_ arguments: [String], in directory: String? = nil) throws -> ProcessResult {
        let binary = try #require(Self.binary, "the agentpath binary was not found; build it with `swift build`")
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return try runProcess(binary, arguments, in: directory, environment: environment)
    }

    static let clean = Fixtures.path("cli/clean.yaml")
    static let warnings = Fixtures.path("cli/warnings.yaml")
    static let invalid = Fixtures.path("codes/e0203-unknown-tool.yaml")

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object:\n\(text)")
    }

    // MARK: validate

    @Test func validateExitsZeroForEveryExampleModel() throws {
        for model in try Paths.exampleModels() {
            let r = try agentpath(["validate", model])
            #expect(r.status == 0, "\(model)\n\(r.stderr)")
            #expect(r.stdout.hasPrefix("\(model): valid — "), "\(r.stdout)")
        }
    }

    @Test func validateExitCodes() throws {
        #expect(try agentpath(["validate", Self.clean]).status == 0)
        #expect(try agentpath(["validate", "--strict", Self.clean]).status == 0)
        #expect(try agentpath(["validate", Self.warnings]).status == 0)
        #expect(try agentpath(["validate", "--strict", Self.warnings]).status == 1)
        #expect(try agentpath(["validate", Self.invalid]).status == 2)
        #expect(try agentpath(["validate", "--strict", Self.invalid]).status == 2, "errors win over --strict")
        #expect(try agentpath(["validate", Self.clean, Self.invalid]).status == 2, "any invalid model fails the run")
        #expect(try agentpath(["validate", Fixtures.path("does-not-exist.yaml")]).status == 2)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try agentpath(["validate"]).status == 2)
        #expect(try agentpath(["no-such-command"]).status == 2)
        #expect(try agentpath(["validate", "--format", "xml", Self.clean]).status == 2)
    }

    @Test func validateTextOutput() throws {
        let r = try agentpath(["validate", Self.invalid])
        #expect(r.stdout == "\(Self.invalid): invalid — 1 error, 1 warning\n")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(Self.invalid):6:21: error: unknown tool 'gh.read_isues' in 'tools' of agent 'assistant'; did you mean 'gh.read_issues'? [E0203]")
        #expect(lines.count == 2)
        #expect(!r.stderr.contains("\u{1B}["), "NO_COLOR must turn colour off")
    }

    @Test func validateJSONShape() throws {
        let r = try agentpath(["validate", "--format", "json", Self.warnings, Self.invalid])
        #expect(r.status == 2)
        let root = try json(r.stdout)
        #expect(root["version"] as? Int == 1)
        let models = try #require(root["models"] as? [[String: Any]])
        #expect(models.count == 2)

        let ok = models[0]
        #expect(ok["path"] as? String == Self.warnings)
        #expect(ok["valid"] as? Bool == true)
        #expect(ok["elements"] as? Int == 2)
        #expect(ok["errors"] as? Int == 0)
        #expect(ok["warnings"] as? Int == 2)
        let okDiagnostics = try #require(ok["diagnostics"] as? [[String: Any]])
        #expect(okDiagnostics.map { $0["code"] as? String } == ["W0002", "W0001"])

        let bad = models[1]
        #expect(bad["path"] as? String == Self.invalid)
        #expect(bad["valid"] as? Bool == false)
        #expect(bad["elements"] is NSNull)
        #expect(bad["errors"] as? Int == 1)
        let diagnostics = try #require(bad["diagnostics"] as? [[String: Any]])
        let first = try #require(diagnostics.first)
        #expect(Set(first.keys) == ["severity", "code", "message", "file", "line", "column"])
        #expect(first["severity"] as? String == "error")
        #expect(first["code"] as? String == "E0203")
        #expect(first["file"] as? String == Self.invalid)
        #expect(first["line"] as? Int == 6)
        #expect(first["column"] as? Int == 21)
    }

    @Test func validateJSONForAMissingFileHasNullPosition() throws {
        let missing = Fixtures.path("does-not-exist.yaml")
        let r = try agentpath(["validate", "--format", "json", missing])
        #expect(r.status == 2)
        let models = try #require(try json(r.stdout)["models"] as? [[String: Any]])
        let d = try #require((models.first?["diagnostics"] as? [[String: Any]])?.first)
        #expect(d["code"] as? String == "E0002")
        #expect(d["file"] as? String == missing)
        #expect(d["line"] is NSNull)
        #expect(d["column"] is NSNull)
    }

    // MARK: schema

    @Test func schemaCommandPrintsTheCommittedSchema() throws {
        let r = try agentpath(["schema"])
        #expect(r.status == 0)
        #expect(r.stdout == SchemaEmitter.emit())
        #expect(r.stdout == (try String(contentsOfFile: Paths.inPackage("schema/agentpath.schema.json"), encoding: .utf8)))
    }

    // MARK: init

    @Test func initWritesAModelThatValidates() throws {
        let dir = try TemporaryDirectory()
        let r = try agentpath(["init", "model.yaml", "--name", "Payments \"agent\": v2"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        let path = dir.file("model.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("{{"), "every placeholder is filled")
        let outcome = load(path)
        let model = try #require(outcome.model, "\(outcome.listing)")
        #expect(outcome.errors.isEmpty)
        // The name is quoted into YAML, so any text survives as the name.
        #expect(model.model.system.name == "Payments \"agent\": v2")
        #expect(try agentpath(["validate", "--strict", path]).status == 0, "the starter model has no warnings")
    }

    @Test func initRefusesToOverwriteWithoutForce() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("model.yaml", "mine\n")
        let r = try agentpath(["init", "model.yaml"], in: dir.path)
        #expect(r.status == 2)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine\n")
        #expect(try agentpath(["init", "--force", "model.yaml"], in: dir.path).status == 0)
        #expect(load(path).model != nil)
    }

    // MARK: build

    @Test func buildWritesDiagnosticsJSONAtomically() throws {
        let dir = try TemporaryDirectory()
        let first = try agentpath(["build", Self.warnings], in: dir.path)
        #expect(first.status == 0, "\(first.stderr)")
        let folder = dir.file("out/cli-warnings")
        let target = folder + "/diagnostics.json"
        let root = try json(try String(contentsOfFile: target, encoding: .utf8))
        #expect(root["version"] as? Int == 1)
        let diagnostics = try #require(root["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { $0["code"] as? String } == ["W0002", "W0001"])
        #expect(diagnostics.first?["file"] as? String == Self.warnings)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder)
        for output in ["diagnostics.json", "findings.json", "findings.txt", "findings.sarif", "findings.junit.xml", "report.html", "policies"] {
            #expect(written.contains(output), "build writes \(output): \(written)")
        }
        #expect(written.allSatisfy { !$0.hasPrefix(".") && !$0.contains(".tmp") }, "no temporary file is left: \(written)")

        // A second build replaces the file by renaming a new one into place (a new inode),
        // never by rewriting it where readers could see it half-written.
        let inode = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? UInt64
        #expect(try agentpath(["build", Self.warnings], in: dir.path).status == 0)
        let newInode = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? UInt64
        #expect(inode != nil && newInode != nil && inode != newInode)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == written.sorted())
    }

    @Test func buildWritesNothingForAnInvalidModel() throws {
        let dir = try TemporaryDirectory()
        let r = try agentpath(["build", Self.invalid], in: dir.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("[E0203]"))
        #expect(r.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")), "an invalid model must not create out/")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func buildOfAnInvalidModelLeavesPreviousOutputsAlone() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.write("model.yaml", try String(contentsOfFile: Self.clean, encoding: .utf8))
        #expect(try agentpath(["build", model], in: dir.path).status == 0)
        let target = dir.file("out/cli-fixture/diagnostics.json")
        let before = try Data(contentsOf: URL(fileURLWithPath: target))
        // Break the model, build again: the failed build must not touch the old outputs.
        try dir.write("model.yaml", try String(contentsOfFile: Self.clean, encoding: .utf8).replacingOccurrences(of: "tools: [search, fetch]", with: "tools: [serch, fetch]"))
        #expect(try agentpath(["build", model], in: dir.path).status == 2)
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before)
    }

    @Test func buildHonoursOut() throws {
        let dir = try TemporaryDirectory()
        let r = try agentpath(["build", Self.clean, "--out", "reports/x"], in: dir.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("reports/x/diagnostics.json")))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out")))
    }
}
