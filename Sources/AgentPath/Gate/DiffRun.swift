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
        func invalid(_ message: String) -> CheckOutcome { CheckOutcome(exitCode: 2, stdout: "", stderr: message, gate: nil) }
        guard (o.base == nil) != (o.baseRef == nil) else {
            return invalid("agentpath: error: give BASE and HEAD, or --base-ref REV and HEAD\n")
        }
        let head: [FindingRecord]
        switch records(o.head, frameworks: frameworks) {
        case .success(let r): head = r
        case .failure(let e): return invalid(e.description)
        }
        var base: [FindingRecord] = []
        let baseName: String
        if let rev = o.baseRef {
            baseName = "\(rev):\(o.head)"
            let exported: Exported?
            do { exported = try export(o.head, at: rev) } catch { return invalid("\(o.head): error: \(error.description) [\(DiagnosticCode.gitRevision.rawValue)]\n") }
            if let exported {
                defer { try? FileManager.default.removeItem(atPath: exported.root) }
                switch records(exported.model, frameworks: frameworks) {
                case .success(let r): base = r.map { exported.rename($0) }
                case .failure(let e): return invalid(e.description.replacingOccurrences(of: exported.root + "/", with: "\(rev):"))
                }
            }
        } else {
            baseName = o.base!
            switch records(o.base!, frameworks: frameworks) {
            case .success(let r): base = r
            case .failure(let e): return invalid(e.description)
            }
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

    struct Failure: Error { var description: String }

    /// The findings of a model (analysed now) or of a findings JSON written earlier.
    static func records(_ path: String, frameworks: FrameworkSet) -> Result<[FindingRecord], Failure> {
        if path.hasSuffix(".json") {
            do { return .success(try Baseline.load(path: path).records) } catch {
                return .failure(Failure(description: "\(path): error: \(error.description) [\(DiagnosticCode.badBaseline.rawValue)]\n"))
            }
        }
        let diagnostics = DiagnosticCollector()
        guard let validated = Pipeline().load(path: path, diagnostics: diagnostics) else {
            return .failure(Failure(description: DiagnosticsEmitter.text(diagnostics.sorted, color: false)
                + "\(path): invalid — \(DiagnosticsEmitter.summary(errors: diagnostics.errorCount, warnings: diagnostics.warningCount))\n"))
        }
        let analysis = Analyzer(frameworks: frameworks).analyze(validated)
        return .success(FindingRecord.all(analysis, files: validated.model.files))
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
