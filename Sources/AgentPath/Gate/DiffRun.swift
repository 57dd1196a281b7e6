import Foundation

/// `agentpath diff BASE HEAD` as a library call. Each side is a model (file or folder) or a
/// findings JSON; with `baseRef`, the base is the head model as it was at a git revision.
/// Exit 0 with the diff; 2 when a side is invalid or the revision cannot be read.
public struct DiffOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json, markdown }

    public var base: String?
    public var head: String
    public var baseRef: String?
    public var format: Format = .text

    public init(base: String?, head: String, baseRef: String? = nil, format: Format = .text) {
        self.base = base
        self.head = head
        self.baseRef = baseRef
        self.format = format
    }
}

public enum DiffRun {
    public static func run(_ o: DiffOptions, frameworks: FrameworkSet) -> CheckOutcome {
        let diagnostics = DiagnosticCollector()
        func invalid(_ message: String = "") -> CheckOutcome {
            CheckOutcome(exitCode: 2, stdout: "", stderr: DiagnosticsEmitter.text(diagnostics.sorted, color: false) + message, gate: nil, diagnostics: diagnostics.sorted)
        }
        guard (o.base == nil) != (o.baseRef == nil) else {
            return invalid("agentpath: error: give BASE and HEAD, or --base-ref REV and HEAD\n")
        }
        guard let head = records(o.head, frameworks: frameworks, diagnostics: diagnostics) else { return invalid() }
        var base: [FindingRecord] = []
        let baseName: String
        if let rev = o.baseRef {
            baseName = "\(rev):\(o.head)"
            let exported: Exported?
            do { exported = try export(o.head, at: rev) } catch {
                diagnostics.error(.gitRevision, error.description, at: SourceLocation(file: diagnostics.files.intern(o.head), line: 0, column: 0))
                return invalid()
            }
            if let exported {
                defer { try? FileManager.default.removeItem(atPath: exported.root) }
                let side = DiagnosticCollector()
                guard let r = records(exported.model, frameworks: frameworks, diagnostics: side) else {
                    let text = DiagnosticsEmitter.text(side.sorted, color: false).replacingOccurrences(of: exported.root + "/", with: "\(rev):")
                    return CheckOutcome(exitCode: 2, stdout: "", stderr: text, gate: nil, diagnostics: side.sorted)
                }
                base = r.map { exported.rename($0) }
            }
        } else {
            baseName = o.base!
            guard let r = records(o.base!, frameworks: frameworks, diagnostics: diagnostics) else { return invalid() }
            base = r
        }
        let diff = ModelDiff.compare(base: base, head: head, baseName: baseName, headName: o.head)
        let out: String
        switch o.format {
        case .text: out = DiffMarkdown.text(diff)
        case .json: out = DiffMarkdown.json(diff)
        case .markdown: out = DiffMarkdown.emit(diff)
        }
        return CheckOutcome(exitCode: 0, stdout: out, stderr: "", gate: nil)
    }

    /// The findings of a model (analysed now) or of a findings JSON written earlier; nil with
    /// diagnostics when it is invalid.
    static func records(_ path: String, frameworks: FrameworkSet, diagnostics: DiagnosticCollector) -> [FindingRecord]? {
        if path.hasSuffix(".json") {
            return Baseline.load(path: path, diagnostics: diagnostics)?.records
        }
        guard let validated = Pipeline().load(path: path, diagnostics: diagnostics) else { return nil }
        let analysis = Analyzer(frameworks: frameworks).analyze(validated)
        return FindingRecord.all(analysis, files: validated.model.files)
    }

    /// A model's folder exported from git at a revision into a temporary folder.
    struct Exported {
        var root: String
        var model: String
        /// `root/prefix/` in exported paths stands for this (the head's folder as written).
        var exportedFolder: String
        var headFolder: String

        func rename(_ r: FindingRecord) -> FindingRecord {
            var r = r
            if let f = r.file, f.hasPrefix(exportedFolder) {
                let rest = f.dropFirst(exportedFolder.count)
                r.file = headFolder.isEmpty ? String(rest) : headFolder + "/" + rest
            }
            return r
        }
    }

    /// Nil when the model does not exist at the revision (everything in head is then opened).
    static func export(_ head: String, at rev: String) throws(BaselineError) -> Exported? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: head, isDirectory: &isDirectory) else {
            throw BaselineError(description: "no such file or directory")
        }
        let folder = isDirectory.boolValue ? head : (head as NSString).deletingLastPathComponent
        let name = isDirectory.boolValue ? "" : (head as NSString).lastPathComponent
        let cwd = folder.isEmpty ? "." : folder
        let top = try git(["rev-parse", "--show-toplevel"], in: cwd).trimmingCharacters(in: .newlines)
        let prefix = try git(["rev-parse", "--show-prefix"], in: cwd).trimmingCharacters(in: .newlines)
        _ = try git(["rev-parse", "--verify", "--quiet", rev + "^{commit}"], in: top, failure: "'\(rev)' is not a git revision here")
        let target = prefix + name
        if (try? git(["cat-file", "-e", "\(rev):\(target.isEmpty ? "." : target)"], in: top)) == nil { return nil }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("agentpath-base-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let tar = root + "/.base.tar"
        _ = try git(["archive", "--format=tar", "-o", tar, rev, "--", prefix.isEmpty ? "." : prefix], in: top)
        let untar = try process(["tar", "-xf", tar, "-C", root], in: top)
        guard untar.status == 0 else { throw BaselineError(description: "cannot unpack the revision: \(untar.output)") }
        try? FileManager.default.removeItem(atPath: tar)
        let exportedFolder = root + "/" + prefix
        return Exported(root: root, model: exportedFolder + name, exportedFolder: exportedFolder,
                        headFolder: folder.hasSuffix("/") ? String(folder.dropLast()) : folder)
    }

    static func git(_ args: [String], in dir: String, failure: String? = nil) throws(BaselineError) -> String {
        let r = try process(["git", "-C", dir] + args, in: dir)
        guard r.status == 0 else { throw BaselineError(description: failure ?? "git \(args.joined(separator: " ")) failed: \(r.output.trimmingCharacters(in: .whitespacesAndNewlines))") }
        return r.output
    }

    static func process(_ args: [String], in dir: String) throws(BaselineError) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { throw BaselineError(description: "cannot run \(args[0]): \(error.localizedDescription)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
