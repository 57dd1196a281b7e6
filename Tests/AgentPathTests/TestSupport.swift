import Foundation
import Testing
@testable import AgentPath

/// Paths of the checkout, found from this source file so that tests need no bundle resources.
enum Paths {
    /// Tests/AgentPathTests
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The package root (where Package.swift is).
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static func inPackage(_ relative: String) -> String {
        packageRoot.appendingPathComponent(relative).path
    }

    /// The example models under models/, sorted.
    static func exampleModels() throws -> [String] {
        let dir = inPackage("models")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        return names.map { dir + "/" + $0 }
    }
}

enum Fixtures {
    static let directory = Paths.testsDirectory.appendingPathComponent("Fixtures")

    /// `Fixtures.path("codes/e0101-bad-version.yaml")`
    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// A fresh temporary directory, removed when the test is done with it.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = "agentpath-tests") throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        let dir = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }
}

/// The outcome of running the parse and validate stages on a path.
struct LoadOutcome {
    let model: ValidatedModel?
    let collector: DiagnosticCollector
    /// In the order a reader fixes them (file, line, column).
    let diagnostics: [Diagnostic]

    init(model: ValidatedModel?, collector: DiagnosticCollector) {
        self.model = model
        self.collector = collector
        diagnostics = collector.sorted
    }

    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    var codes: [DiagnosticCode] { diagnostics.map(\.code) }

    func first(_ code: DiagnosticCode) -> Diagnostic? { diagnostics.first { $0.code == code } }

    /// All diagnostics as text, for failure messages.
    var listing: String { diagnostics.map(\.text).joined(separator: "\n") }
}

func load(_ path: String, configure: (inout Pipeline) -> Void = { _ in }) -> LoadOutcome {
    var pipeline = Pipeline()
    configure(&pipeline)
    let collector = DiagnosticCollector()
    let model = pipeline.load(path: path, diagnostics: collector)
    return LoadOutcome(model: model, collector: collector)
}

/// Runs `body` and returns how long it took in seconds.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// What a child process did.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion. Output goes through files, so a chatty child cannot block
/// on a full pipe.
func runProcess(_ executable: String, _ arguments: [String], in directory: String? = nil,
                environment: [String: String]? = nil) throws -> ProcessResult {
    let scratch = try TemporaryDirectory("agentpath-process")
    let outPath = scratch.file("stdout")
    let errPath = scratch.file("stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    if let environment { process.environment = environment }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    func text(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
    return ProcessResult(status: process.terminationStatus, stdout: text(outPath), stderr: text(errPath))
}
