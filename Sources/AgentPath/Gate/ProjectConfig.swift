import Foundation

/// `agentpath.yaml` beside the models: project settings that CI and people share.
///
/// ```yaml
/// version: 1
/// gate:
///   fail_on: high        # critical, high, medium, low or none
/// waivers: waivers.yaml  # relative to this file
/// ```
public struct ProjectConfig: Sendable {
    public static let fileNames = ["agentpath.yaml", "agentpath.yml"]

    public var path: String
    /// `gate.fail_on`; nil when the file leaves it to the command line (default high).
    public var gate: Gate?
    /// `waivers`, resolved against the config file's folder.
    public var waivers: String?

    static let fileSpec = ObjectSpec(name: "agentpath.yaml", doc: "Project settings.", fields: [
        FieldSpec("version", .string, "The config format version; 1."),
        FieldSpec("gate", .object(gateSpec), "How `agentpath check` gates."),
        FieldSpec("waivers", .string, "The waivers file, relative to this file."),
    ])

    static let gateSpec = ObjectSpec(name: "gate", doc: "The CI gate.", fields: [
        FieldSpec("fail_on", .enumeration(["critical", "high", "medium", "low", "none"]), default: "high",
                  "The lowest severity of an open path that fails; `--fail-on` overrides it."),
    ])

    /// The config that applies to a model: in the model's folder, or in the model folder itself.
    public static func discover(forModel model: String) -> String? {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory)
        let folder = exists && isDirectory.boolValue ? model : (model as NSString).deletingLastPathComponent
        for name in fileNames {
            let candidate = ModelLoader.normalize(folder.isEmpty ? name : folder + "/" + name)
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Nil when the file cannot be read or has errors (they are in `diagnostics`).
    public static func load(path: String, diagnostics: DiagnosticCollector) -> ProjectConfig? {
        let file = diagnostics.files.intern(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.error(.fileUnreadable, "cannot read the project config", at: SourceLocation(file: file, line: 0, column: 0))
            return nil
        }
        let errorsBefore = diagnostics.errorCount
        var config = ProjectConfig(path: path)
        guard let root = YAMLReader().read(bytes: [UInt8](data), file: file, diagnostics: diagnostics) else {
            return diagnostics.errorCount == errorsBefore ? config : nil
        }
        if let s = root.scalar, s.resolved == .null { return config }
        guard let reader = MapReader(root, spec: fileSpec, subject: "agentpath.yaml", diagnostics: diagnostics) else { return nil }
        if let v = reader.value("version"), v.scalar?.text != "1" {
            diagnostics.error(.badVersion, "unsupported agentpath.yaml version '\(v.scalar?.text ?? v.kindDescription)'; this tool reads version 1", at: v.location)
        }
        if let g = reader.value("gate"), let gate = MapReader(g, spec: gateSpec, subject: "gate", diagnostics: diagnostics) {
            if let v = gate.value("fail_on") {
                if let s = v.scalar, let parsed = Gate.parse(s.text) {
                    config.gate = parsed
                } else {
                    let valid = ["critical", "high", "medium", "low", "none"]
                    let text = v.scalar?.text ?? v.kindDescription
                    diagnostics.error(.invalidEnum, "invalid value '\(text)' for 'fail_on' in gate; expected critical, high, medium, low or none\(Suggest.hint(text, in: valid))", at: v.location)
                }
            }
        }
        if let w = reader.string("waivers") {
            let folder = (path as NSString).deletingLastPathComponent
            config.waivers = w.hasPrefix("/") ? w : ModelLoader.normalize(folder.isEmpty ? w : folder + "/" + w)
        }
        return diagnostics.errorCount == errorsBefore ? config : nil
    }

    public init(path: String, gate: Gate? = nil, waivers: String? = nil) {
        self.path = path
        self.gate = gate
        self.waivers = waivers
    }
}
