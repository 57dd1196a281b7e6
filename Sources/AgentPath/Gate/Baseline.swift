import Foundation

/// What the gate and the diff need to know about one finding, from an analysis or from a
/// findings JSON written earlier (`analyze --format json`, `build`, `check --format json`).
public struct FindingRecord: Sendable, Hashable {
    public var fingerprint: String
    public var rule: String
    public var title: String
    public var isPath: Bool
    public var status: PathStatus
    public var severity: FindingSeverity
    public var score: Double
    public var summary: String
    public var file: String?
    public var line: Int
    public var mitigatedBy: [String]

    /// A path that no enforced control closes.
    public var isOpen: Bool { status != .mitigated }

    public var whereText: String { file.map { line > 0 ? "\($0):\(line)" : $0 } ?? "" }

    public init(_ f: Finding, files: SourceFiles) {
        fingerprint = f.fingerprint
        rule = f.rule
        title = f.title
        isPath = f.isPath
        status = f.status
        severity = f.severity
        score = f.factors.score
        summary = f.summary
        file = files.path(f.location)
        line = Int(f.location.line)
        mitigatedBy = f.mitigatingControls
    }

    public init(fingerprint: String, rule: String, title: String, isPath: Bool, status: PathStatus, severity: FindingSeverity,
                score: Double, summary: String, file: String?, line: Int, mitigatedBy: [String] = []) {
        self.fingerprint = fingerprint
        self.rule = rule
        self.title = title
        self.isPath = isPath
        self.status = status
        self.severity = severity
        self.score = score
        self.summary = summary
        self.file = file
        self.line = line
        self.mitigatedBy = mitigatedBy
    }

    public static func all(_ r: AnalysisResult, files: SourceFiles) -> [FindingRecord] {
        r.findings.map { FindingRecord($0, files: files) }
    }
}

public struct BaselineError: Error, CustomStringConvertible, Equatable {
    public var description: String
}

/// Findings accepted as they are: `check --baseline FILE` fails only on what is new.
///
/// A finding is *in the baseline* when the baseline holds its fingerprint as an open path of
/// the same or a higher severity. A path that was mitigated in the baseline and is open now,
/// or whose severity rose, counts as new.
public struct Baseline: Sendable {
    public var path: String
    public var records: [FindingRecord]
    let byFingerprint: [String: FindingRecord]

    public init(path: String, records: [FindingRecord]) {
        self.path = path
        self.records = records
        byFingerprint = Dictionary(records.map { ($0.fingerprint, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func record(_ fingerprint: String) -> FindingRecord? { byFingerprint[fingerprint] }

    public func covers(_ f: Finding) -> Bool {
        guard let b = byFingerprint[f.fingerprint] else { return false }
        if f.isPath && !b.isOpen && f.status != .mitigated { return false }
        return f.severity <= b.severity
    }

    /// A findings file, or a folder holding `findings.json` (a `build` output folder).
    public static func load(path: String) throws(BaselineError) -> Baseline {
        var isDirectory: ObjCBool = false
        var file = path
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            file = (path.hasSuffix("/") ? path : path + "/") + "findings.json"
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw BaselineError(description: "cannot read \(file)")
        }
        return try Baseline(path: file, records: records(json: data))
    }

    /// As `load(path:)`, reporting a problem as an E0606 diagnostic about the file.
    public static func load(path: String, diagnostics: DiagnosticCollector) -> Baseline? {
        do { return try load(path: path) } catch {
            diagnostics.error(.badBaseline, error.description, at: SourceLocation(file: diagnostics.files.intern(path), line: 0, column: 0))
            return nil
        }
    }

    /// The findings of `agentpath-findings` JSON, or of the `findings` in `agentpath-check` JSON.
    public static func records(json data: Data) throws(BaselineError) -> [FindingRecord] {
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw BaselineError(description: "not JSON: \(error.localizedDescription)")
        }
        guard var doc = any as? [String: Any] else { throw BaselineError(description: "not a findings JSON object") }
        if doc["format"] as? String == "agentpath-check", let inner = doc["findings"] as? [String: Any] { doc = inner }
        guard doc["format"] as? String == "agentpath-findings" else {
            throw BaselineError(description: "not a findings JSON (format 'agentpath-findings'); write one with `agentpath analyze MODEL --format json` or `agentpath build`")
        }
        guard let version = doc["version"] as? Int, version == FindingsJSON.formatVersion else {
            throw BaselineError(description: "findings JSON version \(doc["version"].map { "\($0)" } ?? "missing"); this tool reads version \(FindingsJSON.formatVersion)")
        }
        guard let findings = doc["findings"] as? [[String: Any]] else { throw BaselineError(description: "no 'findings' list") }
        var out: [FindingRecord] = []
        for (i, f) in findings.enumerated() {
            guard let fp = f["fingerprint"] as? String, let rule = f["rule"] as? String,
                  let status = (f["status"] as? String).flatMap(PathStatus.init(rawValue:)),
                  let severity = (f["severity"] as? String).flatMap(FindingSeverity.init(rawValue:)) else {
                throw BaselineError(description: "finding \(i + 1) lacks fingerprint, rule, status or severity")
            }
            let location = f["location"] as? [String: Any]
            out.append(FindingRecord(
                fingerprint: fp, rule: rule, title: f["title"] as? String ?? rule, isPath: (f["kind"] as? String ?? "path") == "path",
                status: status, severity: severity, score: (f["score"] as? NSNumber)?.doubleValue ?? 0, summary: f["summary"] as? String ?? "",
                file: location?["file"] as? String, line: location?["line"] as? Int ?? 0, mitigatedBy: f["mitigated_by"] as? [String] ?? []))
        }
        return out
    }
}
